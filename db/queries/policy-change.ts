import { sql } from "drizzle-orm";
import { rowsOf, type Executor } from "../client";

// A policy change applied in the background (ADR 0017): `metric_settings.pending` names it, and every ledger
// refresh meanwhile records its customers in `ledger_pending_customers`.

/** Records customers whose ledger inputs this transaction changes while a policy change is pending. One statement. */
export async function markPendingCustomers(db: Executor, workspaceId: string, customerIds: readonly string[]) {
  const ids = [...new Set(customerIds)];
  if (ids.length === 0) return;
  await db.execute(sql`
    insert into ledger_pending_customers (workspace_id, customer_id)
    select ${workspaceId}, id from jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb) id
    on conflict do nothing`);
}

/** The customers recorded since the change started, in code-point order. */
export async function listPendingCustomers(db: Executor, workspaceId: string): Promise<string[]> {
  const rows = rowsOf<{ customer_id: string }>(
    await db.execute(sql`
      select customer_id from ledger_pending_customers where workspace_id = ${workspaceId}
      order by customer_id collate "C"`),
  );
  return rows.map((r) => r.customer_id);
}

export async function clearPendingCustomers(db: Executor, workspaceId: string) {
  await db.execute(sql`delete from ledger_pending_customers where workspace_id = ${workspaceId}`);
}

/** The pending change and the ledger's epoch (bumped by every whole rebuild), as stored. */
export async function findPendingState(db: Executor, workspaceId: string) {
  const [row] = rowsOf<{ pending: Record<string, unknown> | null; ledger_epoch: number }>(
    await db.execute(sql`
      select pending, ledger_epoch from metric_settings where workspace_id = ${workspaceId}`),
  );
  return { pending: row?.pending ?? null, epoch: Number(row?.ledger_epoch ?? 0) };
}

/** A whole-ledger rebuild happened: a pending change computed before it must compute again. */
export async function bumpLedgerEpoch(db: Executor, workspaceId: string) {
  await db.execute(sql`
    update metric_settings set ledger_epoch = ledger_epoch + 1 where workspace_id = ${workspaceId}`);
}

/** How many customers the workspace has, counting no further than `limit` (a size check, not a census). */
export async function countCustomersUpTo(db: Executor, workspaceId: string, limit: number): Promise<number> {
  const [row] = rowsOf<{ n: number | string }>(
    await db.execute(sql`
      select count(*) as n from (select 1 from customers where workspace_id = ${workspaceId} limit ${limit}) c`),
  );
  return Number(row?.n ?? 0);
}
