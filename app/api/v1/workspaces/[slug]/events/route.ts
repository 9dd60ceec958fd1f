// POST /api/v1/workspaces/[slug]/events – store up to 1,000 marketing and CS events, all or none
// Other methods get Next's own 405 (only POST is exported).
import { getDb } from "@/db/client";
import { apiRoute, readJson } from "@/lib/auth/api";
import { checkApiKey } from "@/lib/auth/check";
import { AppError } from "@/lib/errors";
import { insertIngestEvents } from "@/lib/ingest/insert";
import { ingestBatchSchema, toIndexedIssues } from "@/lib/ingest/schemas";
import { log } from "@/lib/log";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** 1,000 events with long comments fit; anything bigger is not a batch we want to parse. */
const MAX_BODY_BYTES = 5_000_000;

export const POST = apiRoute(async (req: Request, { params }: { params: Promise<{ slug: string }> }) => {
  const db = await getDb();
  const { workspace, keyId } = await checkApiKey(req, (await params).slug, "ingest:write", db);
  const parsed = ingestBatchSchema.safeParse(await readJson(req, { maxBytes: MAX_BODY_BYTES }));
  if (!parsed.success)
    throw new AppError("VALIDATION", "Invalid events; nothing stored.", { details: toIndexedIssues(parsed.error) });
  const result = await insertIngestEvents(workspace.id, db, parsed.data.events);
  log.info("ingest.events", { workspaceId: workspace.id, keyId, ...result });
  return Response.json(result, { headers: { "cache-control": "no-store" } });
});
