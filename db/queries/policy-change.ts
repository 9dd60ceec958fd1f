import { sql } from "drizzle-orm";
import { rowsOf, type Executor } from "../client";
import { ledgerSet, markSet } from "./ledger-refresh";
import { textList } from "./mrr";

// A policy change applied in the background (ADR 0017): `metric_settings.pending` names it, every ledger refresh
// meanwhile records its customers in `ledger_pending_customers`, and the change stages the customers' new ledger
// in `ledger_staged_changes` until the swap moves it in.

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

/** Drops what a pending change gathered: the customers events recorded, and every pass's staged changes. */
export async function clearPendingChange(db: Executor, workspaceId: string) {
  await db.execute(sql`delete from ledger_pending_customers where workspace_id = ${workspaceId}`);
  await db.execute(sql`delete from ledger_staged_changes where workspace_id = ${workspaceId}`);
}

/** One customer's staged change: table rows of `mrr_changes` and `trial_marks` with snake_case keys. */
export type StagedLedgerChange = {
  customer_id: string;
  /** Ledger rows to upsert, and the days of the rows to delete. */
  rows: object[];
  deletes: string[];
  /** Trial marks to upsert, and the keys of those to delete. */
  marks: object[];
  unmarks: { subscription_id: string; seq: number }[];
};

/** Stages customers' changes under the pass `runId`, one statement (a batch's worth). */
export async function stageLedgerChanges(
  db: Executor,
  workspaceId: string,
  runId: string,
  changes: readonly StagedLedgerChange[],
) {
  if (changes.length === 0) return;
  await db.execute(sql`
    insert into ledger_staged_changes (workspace_id, run_id, customer_id, rows, deletes, marks, unmarks)
    select ${workspaceId}, ${runId}, s.customer_id, s.rows, s.deletes, s.marks, s.unmarks
    from jsonb_to_recordset(${JSON.stringify(changes)}::jsonb)
      s(customer_id text, rows jsonb, deletes jsonb, marks jsonb, unmarks jsonb)`);
}

/** Drops the staged changes of these customers of the pass (computed again at the swap), or all of the pass's. */
export async function unstageLedgerChanges(
  db: Executor,
  workspaceId: string,
  runId: string,
  customerIds?: readonly string[],
) {
  if (customerIds?.length === 0) return;
  const only = customerIds ? sql` and customer_id in (${textList(customerIds)})` : sql``;
  await db.execute(sql`
    delete from ledger_staged_changes where workspace_id = ${workspaceId} and run_id = ${runId}${only}`);
}

/** How many customers the pass has staged. */
export async function countStagedChanges(db: Executor, workspaceId: string, runId: string): Promise<number> {
  const [row] = rowsOf<{ n: number | string }>(
    await db.execute(sql`
      select count(*) as n from ledger_staged_changes where workspace_id = ${workspaceId} and run_id = ${runId}`),
  );
  return Number(row?.n ?? 0);
}

/**
 * Moves the pass's staged changes into the ledger and the trial marks, set-based, in ONE statement: upserts and
 * deletes of every staged customer (a customer's upserted and deleted keys are disjoint). The rollups are the
 * caller's (they move by the sum it kept). The caller holds the configuration lock exclusively.
 */
export async function applyStagedChanges(db: Executor, workspaceId: string, runId: string) {
  await db.execute(sql`
    with s as (
      select customer_id, rows, deletes, marks, unmarks from ledger_staged_changes
      where workspace_id = ${workspaceId} and run_id = ${runId}),
    up as (
      insert into mrr_changes select r.* from s, jsonb_populate_recordset(null::mrr_changes, s.rows) r
      on conflict (workspace_id, customer_id, day) do update set ${ledgerSet}),
    gone as (
      delete from mrr_changes m using s, jsonb_array_elements_text(s.deletes) d(day)
      where m.workspace_id = ${workspaceId} and m.customer_id = s.customer_id and m.day = d.day::date),
    marked as (
      insert into trial_marks select t.* from s, jsonb_populate_recordset(null::trial_marks, s.marks) t
      on conflict (workspace_id, customer_id, subscription_id, seq) do update set ${markSet}),
    unmarked as (
      delete from trial_marks t using s, jsonb_to_recordset(s.unmarks) d(subscription_id text, seq int)
      where t.workspace_id = ${workspaceId} and t.customer_id = s.customer_id
        and t.subscription_id = d.subscription_id and t.seq = d.seq)
    select 1`);
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
