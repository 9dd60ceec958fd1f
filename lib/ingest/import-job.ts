/**
 * The background CSV import (docs/decisions/0007-background-csv-import.md): an uploaded file is stored in
 * `import_jobs`, then a pg-boss job validates every row and, only when all are valid, writes them in batches through
 * the insert path the CLI and the API use. Each batch commits together with the job's progress, so a run that stops
 * (a crash, the database going away) resumes after the last committed batch, and no row is written twice.
 */
import type PgBoss from "pg-boss";
import type { Db } from "@/db/client";
import {
  advanceImportJob,
  findImportJob,
  findImportJobWithFile,
  insertImportJob,
  updateImportJob,
  type ImportJobStatus,
} from "@/db/queries/ingest-imports";
import { AppError, newErrorRef } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { log } from "@/lib/log";
import type { CsvMapping } from "./csv";
import { checkCsv } from "./import";
import { insertIngestEventChunks } from "./insert";
import type { IngestEventType } from "./schemas";

export const IMPORT_QUEUE = "csv-import";

/**
 * Rows per transaction (one INSERT statement): about half a second on the embedded database, whose one connection
 * the server's pages wait for meanwhile.
 */
export const IMPORT_BATCH_ROWS = 1_000;

/** Row errors kept on an invalid job: enough to fix a mapping or a file. The total is kept as a count. */
export const IMPORT_ERRORS_KEPT = 100;

export type ImportJobData = { workspaceId: string; jobId: string };

/** Statuses from which a run may (re)start the job: a retry of a failed or interrupted run resumes it. */
const RUNNABLE: readonly ImportJobStatus[] = ["queued", "validating", "importing", "failed"];

/** Thrown inside a batch transaction when another run already committed this batch: roll back, stop quietly. */
class SupersededRun extends Error {}

/** Stores the file and its settings as a queued job and hands it to the queue. */
export async function createImportJob(args: {
  db: Db;
  boss: PgBoss;
  workspaceId: string;
  userId: string | null;
  type: IngestEventType;
  fileName: string;
  csv: string;
  mapping: CsvMapping;
}): Promise<{ jobId: string }> {
  const jobId = newId("imp");
  await insertImportJob(args.workspaceId, args.db, {
    id: jobId,
    type: args.type,
    fileName: args.fileName,
    bytes: Buffer.byteLength(args.csv),
    mapping: args.mapping as Record<string, string>,
    csv: args.csv,
    createdBy: args.userId,
  });
  try {
    await enqueueImport(args.boss, { workspaceId: args.workspaceId, jobId });
  } catch (err) {
    // The file is stored: a failed job can be resumed (queued again) from the page.
    const ref = newErrorRef();
    log.error("ingest.import.enqueue_failed", { workspaceId: args.workspaceId, jobId, ref, err });
    await updateImportJob(args.workspaceId, args.db, jobId, ["queued"], {
      status: "failed",
      failure: `The import could not be queued (ref ${ref}). Resume it to try again.`,
    });
  }
  return { jobId };
}

export async function enqueueImport(boss: PgBoss, data: ImportJobData): Promise<void> {
  // An interrupted run's job expires after an hour and is retried; a retry resumes from the last committed batch.
  await boss.send(IMPORT_QUEUE, data, { retryLimit: 3, retryDelay: 10, expireInSeconds: 3600 });
}

/**
 * Queues a failed job again (after pg-boss has given up retrying it); it resumes after its last committed batch.
 * NOT_FOUND for an unknown job or another workspace's; CONFLICT unless the job is failed.
 */
export async function resumeImportJob(args: {
  db: Db;
  boss: PgBoss;
  workspaceId: string;
  jobId: string;
}): Promise<void> {
  const job = await findImportJob(args.workspaceId, args.db, args.jobId);
  if (!job) throw new AppError("NOT_FOUND");
  const queued = await updateImportJob(args.workspaceId, args.db, args.jobId, ["failed"], {
    status: "queued",
    failure: null,
  });
  if (!queued) throw new AppError("CONFLICT", "Only a stopped import can be resumed.");
  await enqueueImport(args.boss, { workspaceId: args.workspaceId, jobId: args.jobId });
}

/** Creates the import queue and works it, one job at a time per server. */
export async function workImports(boss: PgBoss, db: Db): Promise<string> {
  await boss.createQueue(IMPORT_QUEUE);
  return boss.work<ImportJobData>(IMPORT_QUEUE, { batchSize: 1, pollingIntervalSeconds: 1 }, async (batch) => {
    for (const job of batch) await runImportJob(db, job.data);
  });
}

/**
 * Runs (or resumes) one import job. Validation: every row, against the same schemas as the API; any error makes the
 * job `invalid` with the first IMPORT_ERRORS_KEPT errors and the count, and nothing is written. Import: batches of
 * IMPORT_BATCH_ROWS from `done` on, each in one transaction with its progress. `afterBatch` is for tests that stop
 * a run midway. An unexpected failure marks the job `failed` and is rethrown, so pg-boss retries it.
 */
export async function runImportJob(
  db: Db,
  { workspaceId, jobId }: ImportJobData,
  { afterBatch }: { afterBatch?: (done: number) => void | Promise<void> } = {},
): Promise<void> {
  const job = await findImportJobWithFile(workspaceId, db, jobId);
  if (!job || !RUNNABLE.includes(job.status)) return; // finished already, or its workspace is gone
  if (job.csv === null) {
    await updateImportJob(workspaceId, db, jobId, RUNNABLE, { status: "failed", failure: "The file is gone." });
    return;
  }
  const started = Date.now();
  try {
    if (!(await updateImportJob(workspaceId, db, jobId, RUNNABLE, { status: "validating", failure: null }))) return;
    const check = checkCsv(job.csv, job.type as IngestEventType, job.mapping);
    const rows = check.table.rows.length;
    if (check.errors.length > 0) {
      await updateImportJob(workspaceId, db, jobId, ["validating"], {
        status: "invalid",
        rows,
        errors: check.errors.slice(0, IMPORT_ERRORS_KEPT),
        errorCount: check.errors.length,
        badRows: check.badRows,
        csv: null,
      });
      log.info("ingest.import.invalid", { workspaceId, jobId, rows, errors: check.errors.length });
      return;
    }
    if (!(await updateImportJob(workspaceId, db, jobId, ["validating"], { status: "importing", rows }))) return;
    for (let from = job.done; from < rows; from += IMPORT_BATCH_ROWS) {
      const events = check.events.slice(from, from + IMPORT_BATCH_ROWS);
      await db.transaction(async (tx) => {
        const inserted = await insertIngestEventChunks(workspaceId, tx, events);
        const advanced = await advanceImportJob(workspaceId, tx, jobId, {
          fromDone: from,
          rows: events.length,
          inserted,
        });
        if (!advanced) throw new SupersededRun();
      });
      await afterBatch?.(from + events.length);
      // Let queries that queued during the batch (a page, the progress poll) run before the next one: PGlite hands
      // its connection to whoever asks first once the event loop turns, and the next batch would always win.
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    await updateImportJob(workspaceId, db, jobId, ["importing"], { status: "succeeded", csv: null });
    log.info("ingest.import.succeeded", { workspaceId, jobId, rows, resumedAt: job.done, ms: Date.now() - started });
  } catch (err) {
    if (err instanceof SupersededRun) return;
    const ref = newErrorRef();
    log.error("ingest.import.failed", { workspaceId, jobId, ref, err });
    await updateImportJob(workspaceId, db, jobId, ["validating", "importing"], {
      status: "failed",
      failure: `The import stopped (ref ${ref}). It is retried automatically, or resume it: it continues where it stopped.`,
    }).catch(() => undefined); // the database may be the reason; the retry sets the status again
    throw err;
  }
}
