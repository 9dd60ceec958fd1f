import { and, desc, eq, inArray, sql } from "drizzle-orm";
import type { Executor } from "../client";
import { importJobs } from "../schema";

export type ImportJobRow = typeof importJobs.$inferSelect;
export type ImportJobStatus = ImportJobRow["status"];
/** A job as the import page and the status route show it: everything but the file. */
export type ImportJobSummary = Omit<ImportJobRow, "csv" | "workspaceId">;

const summary = {
  id: importJobs.id,
  type: importJobs.type,
  fileName: importJobs.fileName,
  bytes: importJobs.bytes,
  mapping: importJobs.mapping,
  status: importJobs.status,
  rows: importJobs.rows,
  done: importJobs.done,
  inserted: importJobs.inserted,
  errors: importJobs.errors,
  errorCount: importJobs.errorCount,
  badRows: importJobs.badRows,
  failure: importJobs.failure,
  createdBy: importJobs.createdBy,
  createdAt: importJobs.createdAt,
  updatedAt: importJobs.updatedAt,
};

const byId = (workspaceId: string, id: string) => and(eq(importJobs.workspaceId, workspaceId), eq(importJobs.id, id));

export async function insertImportJob(
  workspaceId: string,
  db: Executor,
  row: Pick<ImportJobRow, "id" | "type" | "fileName" | "bytes" | "mapping" | "csv" | "createdBy">,
): Promise<void> {
  await db.insert(importJobs).values({ ...row, workspaceId, status: "queued" });
}

/** The workspace's latest import jobs, newest first, without their files. */
export async function listImportJobs(workspaceId: string, db: Executor, limit = 10): Promise<ImportJobSummary[]> {
  return db
    .select(summary)
    .from(importJobs)
    .where(eq(importJobs.workspaceId, workspaceId))
    .orderBy(desc(importJobs.createdAt), desc(importJobs.id))
    .limit(limit);
}

export async function findImportJob(workspaceId: string, db: Executor, id: string) {
  const [row] = await db.select(summary).from(importJobs).where(byId(workspaceId, id));
  return row;
}

/** The job with its file, for the worker. */
export async function findImportJobWithFile(workspaceId: string, db: Executor, id: string) {
  const [row] = await db.select().from(importJobs).where(byId(workspaceId, id));
  return row;
}

/**
 * Moves a job to `status` with the given fields, only from one of the `from` statuses; returns whether it did. The
 * guard keeps a stale worker (a retry of a job that was in fact still running) from overwriting a newer outcome.
 */
export async function updateImportJob(
  workspaceId: string,
  db: Executor,
  id: string,
  from: readonly ImportJobStatus[],
  set: Partial<Omit<ImportJobRow, "workspaceId" | "id" | "createdAt" | "updatedAt">>,
): Promise<boolean> {
  const updated = await db
    .update(importJobs)
    .set({ ...set, updatedAt: new Date() })
    .where(and(byId(workspaceId, id), inArray(importJobs.status, [...from])))
    .returning({ id: importJobs.id });
  return updated.length === 1;
}

/**
 * Records one committed batch: `done` moves from `fromDone` to `fromDone + rows`. Run it in the batch's transaction;
 * false (nothing updated) means another run already moved past this point, and the caller rolls the batch back.
 */
export async function advanceImportJob(
  workspaceId: string,
  db: Executor,
  id: string,
  batch: { fromDone: number; rows: number; inserted: number },
): Promise<boolean> {
  const updated = await db
    .update(importJobs)
    .set({
      done: sql`${importJobs.done} + ${batch.rows}`,
      inserted: sql`${importJobs.inserted} + ${batch.inserted}`,
      updatedAt: new Date(),
    })
    .where(and(byId(workspaceId, id), eq(importJobs.status, "importing"), eq(importJobs.done, batch.fromDone)))
    .returning({ id: importJobs.id });
  return updated.length === 1;
}
