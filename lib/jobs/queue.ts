// Background jobs on pg-boss 10.4.2 (stack.md "Job queue for backfills"). Postgres: pg-boss's own pool from the
// URL. PGlite: pg-boss shares the app's single connection through `executeSql`, and the worker must live in the
// process that owns the data dir (the server). Our `jobs` table is what the UI and CLI read.
import { and, eq } from "drizzle-orm";
import PgBoss from "pg-boss";
import type { Db, DbHandle } from "@/db/client";
import { jobs } from "@/db/schema";
import { newId } from "@/lib/ids";
import { runPolicyChange } from "@/lib/kpi/policy-change";
import { rebuildWorkspaceLedger } from "@/lib/kpi/rebuild";
import { log } from "@/lib/log";
import { runBackfill } from "@/lib/stripe/backfill";

export const BACKFILL_QUEUE = "backfill";
export const POLICY_QUEUE = "policy-change";

export type BackfillJobData = { jobId: string; workspaceId: string; connectionId: string };

/** executeSql over PGlite: parameterless text goes to exec(), since pg-boss sends multi-statement DDL. */
function pgliteExecutor(handle: DbHandle) {
  const pg = handle.pglite!;
  return {
    executeSql: async (text: string, values?: unknown[]) =>
      values?.length ? pg.query(text, values as never[]) : { rows: (await pg.exec(text)).flatMap((r) => r.rows ?? []) },
  };
}

/** node-postgres (pg-boss's usual driver) sends plain objects as JSON; postgres.js needs them as text. */
const toParam = (v: unknown) =>
  v === undefined
    ? null
    : v !== null && typeof v === "object" && !(v instanceof Date) && !Array.isArray(v) && !Buffer.isBuffer(v)
      ? JSON.stringify(v)
      : v;

/** The pg-boss instance for this process, started, with the backfill queue created. */
export async function startQueue(handle: DbHandle, opts: { url?: string } = {}): Promise<PgBoss> {
  let boss: PgBoss;
  if (handle.driver === "pglite") boss = new PgBoss({ db: pgliteExecutor(handle), supervise: true, schedule: false });
  else if (opts.url) boss = new PgBoss({ connectionString: opts.url, schedule: false });
  else {
    // No URL (tests): one reserved postgres.js connection, since pg-boss sends BEGIN … COMMIT blocks as one text.
    const reserved = await handle.sql!.reserve();
    boss = new PgBoss({
      db: {
        executeSql: async (text: string, values?: unknown[]) => ({
          rows: await (values?.length
            ? reserved.unsafe(text, values.map(toParam) as never[])
            : reserved.unsafe(text).simple()),
        }),
      },
      schedule: false,
    });
    boss.on("stopped", () => reserved.release());
  }
  boss.on("error", (err) => log.error("jobs.queue.error", { error: err.message }));
  await boss.start();
  await boss.createQueue(BACKFILL_QUEUE);
  await boss.createQueue(POLICY_QUEUE);
  return boss;
}

/** Registers the backfill worker (10 jobs per fetch). Progress and the outcome go to our `jobs` row. */
export async function workBackfills(boss: PgBoss, db: Db): Promise<string> {
  return boss.work<BackfillJobData>(BACKFILL_QUEUE, { batchSize: 10, pollingIntervalSeconds: 1 }, async (batch) => {
    for (const job of batch) await runBackfillJob(db, job.data);
  });
}

export async function runBackfillJob(db: Db, data: BackfillJobData): Promise<void> {
  const { jobId, workspaceId, connectionId } = data;
  const where = and(eq(jobs.workspaceId, workspaceId), eq(jobs.id, jobId));
  await db.update(jobs).set({ status: "running", updatedAt: new Date() }).where(where);
  try {
    const result = await runBackfill({
      db,
      workspaceId,
      connectionId,
      onProgress: async (p) => {
        await db.update(jobs).set({ progress: p.counts, updatedAt: new Date() }).where(where);
      },
    });
    // Backfilled objects skip the per-event ledger refresh; one rebuild afterwards is far cheaper.
    await rebuildWorkspaceLedger(db, workspaceId);
    await db.update(jobs).set({ status: "succeeded", progress: result.imported, updatedAt: new Date() }).where(where);
  } catch (err) {
    const cause = ((err as { cause?: Error }).cause ?? err) as Error;
    await db
      .update(jobs)
      .set({ status: "failed", error: String(cause.message).slice(0, 500), updatedAt: new Date() })
      .where(where);
    throw err; // pg-boss records the failure and retries per its policy; a retry resumes from the cursor
  }
}

export async function enqueueBackfill(args: {
  db: Db;
  boss: PgBoss;
  workspaceId: string;
  connectionId: string;
}): Promise<{ jobId: string }> {
  const jobId = newId("job");
  await args.db.insert(jobs).values({
    workspaceId: args.workspaceId,
    id: jobId,
    kind: "backfill",
    status: "queued",
    input: { connectionId: args.connectionId },
  });
  await args.boss.send(
    BACKFILL_QUEUE,
    { jobId, workspaceId: args.workspaceId, connectionId: args.connectionId } satisfies BackfillJobData,
    { retryLimit: 3, retryDelay: 5 },
  );
  return { jobId };
}

export async function findJob(workspaceId: string, db: Db, jobId: string) {
  const [row] = await db
    .select()
    .from(jobs)
    .where(and(eq(jobs.workspaceId, workspaceId), eq(jobs.id, jobId)));
  return row;
}

export type PolicyJobData = { jobId: string; workspaceId: string };

/**
 * Registers the policy-change worker (ADR 0017): one change at a time per fetch. `runPolicyChange` keeps the job
 * row; a retry starts the change again from its first batch, which is safe while it is still the pending one.
 */
export async function workPolicyChanges(boss: PgBoss, db: Db): Promise<string> {
  return boss.work<PolicyJobData>(POLICY_QUEUE, { batchSize: 1, pollingIntervalSeconds: 1 }, async ([job]) => {
    if (job) await runPolicyChange(db, job.data.workspaceId, job.data.jobId);
  });
}

export async function enqueuePolicyChange(boss: PgBoss, data: PolicyJobData): Promise<void> {
  await boss.send(POLICY_QUEUE, data satisfies PolicyJobData, { retryLimit: 2, retryDelay: 5 });
}
