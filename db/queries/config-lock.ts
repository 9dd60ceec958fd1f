import { sql } from "drizzle-orm";
import type { Executor } from "../client";

// A workspace's configuration lock (ADR 0016, migration 0011). Writers of what the ledger and the cash rollups
// derive hold it shared for their whole transaction; changes of what they derive it with, and rebuilds, hold it
// exclusively. So no event computes its ledger rows or cash parts under a configuration that a concurrent change
// replaces without recomputing them.

/**
 * The shared lock and, with `withContext`, the ledger context read after it, as a row source for a statement:
 * `select … from ${configShared(id, true)} as c`. It waits at most 5 s for a change or rebuild in progress, then
 * fails with lock_not_available (55P03). With `customer`, it then takes that customer's ledger lock too (the one
 * `refreshCustomerLedger` takes), for the rest of the transaction.
 */
export const configShared = (workspaceId: string, withContext: boolean, customer?: string) =>
  sql`northstar_config_shared(${workspaceId}, ${withContext}, ${customer ?? null})`;

/** The shared lock alone, as the first statement of a writer's transaction (a backfill page). */
export async function lockConfigShared(db: Executor, workspaceId: string): Promise<void> {
  await db.execute(sql`select 1 from ${configShared(workspaceId, false)} as c`);
}

/**
 * The exclusive lock: the first statement of a transaction that changes the time zone, currency, policies or FX
 * rates, or rebuilds the ledger or the projection. It waits for the events in flight to commit, and events that
 * arrive meanwhile wait for it (up to 5 s each, then 503 and Stripe retries).
 */
export async function lockConfigExclusive(db: Executor, workspaceId: string): Promise<void> {
  await db.execute(sql`select pg_advisory_xact_lock(7428002, hashtext(${workspaceId}))`);
}

/**
 * Customers' ledger locks (ADR 0009), held to the end of the transaction: the key `northstar_config_shared` takes
 * for an event's customer. They are taken in one statement, in code-point order, so two transactions that lock
 * overlapping sets this way cannot wait for each other in a cycle. Taking a lock the transaction holds is a no-op.
 */
export async function lockCustomerLedgers(db: Executor, workspaceId: string, customerIds: Iterable<string>) {
  const ids = [...new Set(customerIds)];
  if (ids.length === 0) return;
  await db.execute(sql`select count(pg_advisory_xact_lock(hashtext('northstar.ledger:' || ${workspaceId} || ':' || id)))
    from (select id from jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb) id order by id collate "C") s`);
}
