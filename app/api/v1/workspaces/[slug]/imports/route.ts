// POST /api/v1/workspaces/[slug]/imports – upload a CSV (the raw body, text/csv) for a background import
// GET  /api/v1/workspaces/[slug]/imports – the latest import jobs with their progress
// Signed-in members whose role may import (imports.write); strangers get 404. See docs/api.md, "CSV import".
import { getDb } from "@/db/client";
import { apiRoute } from "@/lib/auth/api";
import { auth } from "@/lib/auth/config";
import { listImportJobsForMember, receiveImportUpload } from "@/lib/ingest/import-upload";
import { getQueue } from "@/lib/server/services";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ slug: string }> };

export const POST = apiRoute(async (req: Request, { params }: Ctx) => {
  const db = await getDb();
  const session = await auth();
  return receiveImportUpload({ req, slug: (await params).slug, userId: session?.user?.id, db, boss: getQueue });
});

export const GET = apiRoute(async (_req: Request, { params }: Ctx) => {
  const db = await getDb();
  const session = await auth();
  const jobs = await listImportJobsForMember({ slug: (await params).slug, userId: session?.user?.id, db });
  return Response.json({ jobs }, { headers: { "cache-control": "private, no-store" } });
});
