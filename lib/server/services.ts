import type PgBoss from "pg-boss";
import type { DbHandle } from "@/db/client";
import { getEnv } from "@/lib/env";
import { startQueue, workBackfills, workPolicyChanges } from "@/lib/jobs/queue";
import { workImports } from "@/lib/ingest/import-job";

const store = globalThis as { __northstarQueue?: PgBoss };

/**
 * Background services of the server process, started after migrations: the job queue with its backfill, CSV import
 * and policy-change workers. On the embedded database the workers must live here (one process owns PGlite); on Postgres every
 * server runs them and pg-boss hands each job to exactly one of them.
 */
export async function startServerServices(handle: DbHandle): Promise<void> {
  const boss = await startQueue(handle, { url: getEnv().DATABASE_URL });
  await workBackfills(boss, handle.db);
  await workImports(boss, handle.db);
  await workPolicyChanges(boss, handle.db);
  store.__northstarQueue = boss;
}

/** The running queue (server process only), for actions that enqueue background work. */
export function getQueue(): PgBoss {
  if (!store.__northstarQueue) throw new Error("the job queue runs in the server process only");
  return store.__northstarQueue;
}
