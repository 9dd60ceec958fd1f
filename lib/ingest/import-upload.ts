/**
 * The upload of a CSV for a background import (POST /api/v1/workspaces/<slug>/imports), free of Next so it can be
 * tested as a function: the member's role first, then the query, then the body, read as a stream and cut off at
 * MAX_IMPORT_UPLOAD_BYTES, then the job.
 */
import type PgBoss from "pg-boss";
import { z } from "zod";
import type { Db } from "@/db/client";
import { findImportJob, listImportJobs, type ImportJobSummary } from "@/db/queries/ingest-imports";
import { parseQuery } from "@/lib/auth/api";
import { checkAccess } from "@/lib/auth/check";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { createImportJob } from "./import-job";
import { INGEST_EVENT_TYPES } from "./schemas";

/** About 250,000 typical rows; the job holds the whole file in memory while it validates it. */
export const MAX_IMPORT_UPLOAD_BYTES = 32 * 1024 * 1024;

const uploadQuerySchema = z.object({
  type: z.enum(INGEST_EVENT_TYPES, { error: `must be one of ${INGEST_EVENT_TYPES.join(", ")}` }),
  name: z.string().trim().min(1).max(200).default("upload.csv"),
  mapping: z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value === "") return {};
      try {
        return JSON.parse(value) as unknown;
      } catch {
        ctx.addIssue({ code: "custom", message: "must be a JSON object of field → column" });
        return z.NEVER;
      }
    })
    .pipe(z.record(z.string(), z.string().max(500)))
    .transform((m) => Object.fromEntries(Object.entries(m).filter(([, header]) => header !== ""))),
});

/** A 413 in the API's error shape. */
const tooLarge = (maxBytes: number) =>
  Response.json(
    {
      error: {
        code: "TOO_LARGE",
        message: `The file is larger than ${maxBytes / 1024 / 1024} MB. Split it, or use npm run admin -- import.`,
      },
    },
    { status: 413, headers: { "cache-control": "no-store" } },
  );

/**
 * Reads the body as UTF-8 text, stopping as soon as it passes `maxBytes` (null then), so an oversized upload is
 * never held in memory whole. Invalid UTF-8 and NUL characters (which Postgres text cannot hold) are a 400.
 */
export async function readCsvBody(req: Request, maxBytes: number): Promise<string | null> {
  if (Number(req.headers.get("content-length") ?? 0) > maxBytes) return null;
  if (!req.body) throw new AppError("VALIDATION", "The request has no file.");
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new AppError("VALIDATION", "The file is not UTF-8 text. Save it as CSV UTF-8 and try again.");
  }
  if (text.includes("\u0000")) throw new AppError("VALIDATION", "The file contains NUL characters; it is not a CSV.");
  if (text.replace(/^\uFEFF/, "").trim() === "") throw new AppError("VALIDATION", "The file is empty.");
  return text;
}

/**
 * A cookie-authenticated upload must come from Northstar's own pages: the body must be declared `text/csv` (which
 * a cross-site form cannot send without a CORS preflight) and a present Origin must be this host.
 */
function checkSameSite(req: Request): void {
  const type = (req.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "text/csv") throw new AppError("VALIDATION", "Send the file with content-type text/csv.");
  const origin = req.headers.get("origin");
  const host = req.headers.get("x-forwarded-host") ?? req.headers.get("host");
  if (origin && host && new URL(origin).host !== host) throw new AppError("FORBIDDEN", "Cross-site upload refused.");
}

export async function receiveImportUpload(args: {
  req: Request;
  slug: string;
  userId: string | undefined;
  db: Db;
  boss: () => PgBoss;
  maxBytes?: number;
}): Promise<Response> {
  const { req, db } = args;
  const { workspace, userId } = await checkAccess(args.userId, args.slug, "imports.write", db);
  checkSameSite(req);
  const query = parseQuery(req, uploadQuerySchema);
  const maxBytes = args.maxBytes ?? MAX_IMPORT_UPLOAD_BYTES;
  const csv = await readCsvBody(req, maxBytes);
  if (csv === null) return tooLarge(maxBytes);
  const { jobId } = await createImportJob({
    db,
    boss: args.boss(),
    workspaceId: workspace.id,
    userId,
    type: query.type,
    fileName: query.name,
    csv,
    mapping: query.mapping,
  });
  log.info("ingest.import.queued", { workspaceId: workspace.id, jobId, bytes: Buffer.byteLength(csv) });
  const job = await findImportJob(workspace.id, db, jobId);
  return Response.json({ job: toImportJobBody(job!) }, { status: 202, headers: { "cache-control": "no-store" } });
}

/** GET: the workspace's latest import jobs, for the import page's progress. */
export async function listImportJobsForMember(args: { slug: string; userId: string | undefined; db: Db }) {
  const { workspace } = await checkAccess(args.userId, args.slug, "imports.write", args.db);
  return (await listImportJobs(workspace.id, args.db)).map(toImportJobBody);
}

export type ImportJobBody = ReturnType<typeof toImportJobBody>;

/** A job as JSON: timestamps as ISO strings, `duplicates` worked out, the creator's id left out. */
export function toImportJobBody(job: ImportJobSummary) {
  return {
    id: job.id,
    type: job.type,
    fileName: job.fileName,
    bytes: job.bytes,
    status: job.status,
    rows: job.rows,
    done: job.done,
    inserted: job.inserted,
    duplicates: job.done - job.inserted,
    errorCount: job.errorCount,
    badRows: job.badRows,
    errors: job.errors,
    failure: job.failure,
    mapping: job.mapping,
    createdAt: job.createdAt.toISOString(),
    updatedAt: job.updatedAt.toISOString(),
  };
}
