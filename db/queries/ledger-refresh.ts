// The per-event ledger refresh in two statements after its lock: one read of everything it compares against, one
// write of the difference (docs/decisions/0011-webhook-round-trips.md). The same end state as the chunked
// `replaceMrrChanges` and `replaceTrialMarks` of ./mrr.ts, which rebuilds and big refreshes use.
import { getTableColumns, sql, type SQL } from "drizzle-orm";
import type { MrrChange } from "@/lib/metrics/movements";
import { annotateLedger, diffRollups, type AnnotatedChange } from "@/lib/metrics/rollup";
import type { SubscriptionVersion } from "@/lib/metrics/types";
import type { TrialMark } from "@/lib/metrics/trials";
import { rowsOf, type Executor } from "../client";
import { mrrChanges, trialMarks } from "../schema";
import {
  fromRow,
  markRow,
  replaceTrialMarks,
  rollupUpserts,
  sameMarks,
  sameRows,
  snakeCase,
  toRow,
  writeMrrChanges,
} from "./mrr";

/** What a customer ledger refresh reads (after its lock): the history, the stored ledger rows and trial marks. */
export type CustomerLedgerInputs = {
  versions: { customerId: string; version: SubscriptionVersion }[];
  rows: AnnotatedChange[];
  marks: TrialMark[];
  /** Whether any of the customers has a subscription schedule the ledger reads (`listSchedulePhases`). */
  hasSchedules: boolean;
};

const idList = (ids: readonly string[]) =>
  sql.join(
    ids.map((i) => sql`${i}`),
    sql`, `,
  );
const camelCase = (key: string) => key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
const epochMs = (column: string) => sql.raw(`floor(extract(epoch from ${column}) * 1000)::bigint`);

/**
 * The inputs of `refreshCustomerLedger` for these customers in ONE statement: their subscription versions (the
 * same rows as `listSubscriptionVersions`), their ledger rows and trial marks as stored, and whether any has an
 * open schedule. Each part is a json aggregate over the same indexes the separate selects use.
 */
export async function listCustomerLedgerInputs(
  workspaceId: string,
  db: Executor,
  customerIds: readonly string[],
): Promise<CustomerLedgerInputs> {
  if (customerIds.length === 0) return { versions: [], rows: [], marks: [], hasSchedules: false };
  const ids = idList(customerIds);
  const [row] = rowsOf<{
    versions: { customerId: string; validFrom: number; state: SubscriptionVersion["state"]; eventId: string }[] | null;
    rows: Record<string, unknown>[] | null;
    marks: (Omit<TrialMark, "trialFrom"> & { trialFrom: number })[] | null;
    has_schedules: boolean;
  }>(
    await db.execute(sql`
      select
        (select json_agg(json_build_object('customerId', v.customer_id, 'validFrom', ${epochMs("v.valid_from")},
                                           'state', v.state, 'eventId', v.event_id))
           from subscription_versions v where v.workspace_id = ${workspaceId} and v.customer_id in (${ids})) as versions,
        (select json_agg(m) from mrr_changes m where m.workspace_id = ${workspaceId} and m.customer_id in (${ids})) as rows,
        (select json_agg(json_build_object('customerId', t.customer_id, 'subscriptionId', t.subscription_id,
                  'seq', t.seq, 'trialFrom', ${epochMs("t.trial_from")}, 'trialEnd', ${epochMs("t.trial_end")},
                  'nextFrom', ${epochMs("t.next_from")},
                  'laterTrialFrom', ${epochMs("t.later_trial_from")}, 'convertedAtNext', t.converted_at_next,
                  'convertedAtTrialEnd', t.converted_at_trial_end))
           from trial_marks t where t.workspace_id = ${workspaceId} and t.customer_id in (${ids})) as marks,
        exists (select 1 from subscription_schedules s where s.workspace_id = ${workspaceId}
                and s.status in ('not_started', 'active') and s.customer_id in (${ids})) as has_schedules`),
  );
  return {
    versions: (row?.versions ?? []).map((v) => ({
      customerId: v.customerId,
      version: { validFrom: Number(v.validFrom), state: v.state, eventId: v.eventId },
    })),
    rows: (row?.rows ?? []).map((r) =>
      fromRow(
        Object.fromEntries(
          Object.entries(r).map(([k, v]) => [camelCase(k), v]),
        ) as unknown as typeof mrrChanges.$inferSelect,
      ),
    ),
    marks: (row?.marks ?? []).map((m) => ({ ...m, trialFrom: Number(m.trialFrom) })),
    hasSchedules: row?.has_schedules === true,
  };
}

/** A statement that writes at most this many rows binds well under Postgres's 65,535 parameters. */
const ONE_STATEMENT_ROWS = 500;

const ledgerSet = Object.fromEntries(
  Object.keys(getTableColumns(mrrChanges))
    .filter((k) => k !== "workspaceId" && k !== "customerId" && k !== "day")
    .map((k) => [k, sql.raw(`excluded."${snakeCase(k)}"`)]),
);
const markSet = Object.fromEntries(
  Object.keys(getTableColumns(trialMarks))
    .filter((k) => k !== "workspaceId" && k !== "customerId" && k !== "subscriptionId" && k !== "seq")
    .map((k) => [k, sql.raw(`excluded."${snakeCase(k)}"`)]),
);

/**
 * Writes the refreshed ledger rows and trial marks of these customers against what `listCustomerLedgerInputs`
 * read, with the same end state as `replaceMrrChanges` then `replaceTrialMarks`: nothing when neither changed,
 * else ONE statement (data-modifying CTEs) that upserts the new rows, deletes the old rows not among them, moves
 * the rollups by the difference and replaces the marks. Big refreshes go through the chunked path.
 */
export async function writeCustomerLedger(
  workspaceId: string,
  db: Executor,
  customerIds: readonly string[],
  input: { old: Pick<CustomerLedgerInputs, "rows" | "marks">; rows: readonly MrrChange[]; marks: readonly TrialMark[] },
) {
  const added = annotateLedger(input.rows);
  const removed = input.old.rows;
  const ledgerChanged = !sameRows(removed, added);
  const marksChanged = input.marks.length > 0 && !sameMarks(input.old.marks, input.marks);
  if (!ledgerChanged && !marksChanged) return;
  const delta = ledgerChanged ? diffRollups(removed, added) : { daily: new Map(), cohorts: new Map() };
  if (added.length + delta.daily.size + delta.cohorts.size + input.marks.length > ONE_STATEMENT_ROWS) {
    if (ledgerChanged) await writeMrrChanges(workspaceId, db, customerIds, removed, added);
    if (marksChanged) await replaceTrialMarks(workspaceId, db, customerIds, input.marks);
    return;
  }
  const ids = idList(customerIds);
  const parts: SQL[] = [];
  if (ledgerChanged) {
    if (added.length > 0)
      parts.push(
        db
          .insert(mrrChanges)
          .values(added.map((r) => toRow(workspaceId, r)))
          .onConflictDoUpdate({
            target: [mrrChanges.workspaceId, mrrChanges.customerId, mrrChanges.day],
            set: ledgerSet,
          })
          .getSQL(),
      );
    if (removed.length > 0) {
      const keep = added.length
        ? sql` and (customer_id, day) not in (${sql.join(
            added.map((r) => sql`(${r.customerId}::text, ${r.day}::date)`),
            sql`, `,
          )})`
        : sql``;
      parts.push(sql`delete from mrr_changes where workspace_id = ${workspaceId} and customer_id in (${ids})${keep}`);
    }
    parts.push(...rollupUpserts(workspaceId, db, delta));
  }
  if (marksChanged) {
    parts.push(
      db
        .insert(trialMarks)
        .values(input.marks.map((m) => markRow(workspaceId, m)))
        .onConflictDoUpdate({
          target: [trialMarks.workspaceId, trialMarks.customerId, trialMarks.subscriptionId, trialMarks.seq],
          set: markSet,
        })
        .getSQL(),
    );
    if (input.old.marks.length > 0)
      parts.push(sql`delete from trial_marks where workspace_id = ${workspaceId} and customer_id in (${ids})
        and (customer_id, subscription_id, seq) not in (${sql.join(
          input.marks.map((m) => sql`(${m.customerId}::text, ${m.subscriptionId}::text, ${m.seq}::int)`),
          sql`, `,
        )})`);
  }
  // Every data-modifying CTE runs once, to completion, whatever the main query reads; each writes rows no other
  // part touches (the delete spares exactly the upserted keys).
  await db.execute(
    sql`with ${sql.join(
      parts.map((p, i) => sql`${sql.raw(`w${i}`)} as (${p})`),
      sql`, `,
    )} select 1`,
  );
}
