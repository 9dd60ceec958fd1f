// The per-event ledger refresh in two statements after its lock: one read of everything it compares against, one
// write of the difference (docs/decisions/0011-webhook-round-trips.md, 0012-prepared-statements.md). The same end
// state as the chunked `replaceMrrChanges` and `replaceTrialMarks` of ./mrr.ts, which rebuilds use.
import { getTableColumns, sql, type SQL } from "drizzle-orm";
import type { MrrChange } from "@/lib/metrics/movements";
import { annotateLedger, diffRollups, type AnnotatedChange, type RollupDelta } from "@/lib/metrics/rollup";
import type { SubscriptionVersion } from "@/lib/metrics/types";
import type { TrialMark } from "@/lib/metrics/trials";
import { rowsOf, type Executor } from "../client";
import type { VersionKey } from "./stripe-projection";
import { mrrChanges, trialMarks } from "../schema";
import {
  diffLedgerRows,
  diffMarks,
  fromRow,
  insertRows,
  jsonRows,
  LEDGER_KEYS,
  markRow,
  rollupUpserts,
  snakeCase,
  sortedDelta,
  toRow,
} from "./mrr";

/** A version as the refresh reads it: with its key and how it is judged in the table (null: not yet). */
export type JudgedVersion = {
  customerId: string;
  subscriptionId: string;
  version: SubscriptionVersion;
  repeats: boolean | null;
};

/** A version's judgment to store: whether it repeats the state before it. */
export type VersionJudgment = { subscriptionId: string; eventId: string; repeats: boolean };

/** What a customer ledger refresh reads (after its lock): the history, the stored ledger rows and trial marks. */
export type CustomerLedgerInputs = {
  /** In `(valid_from, event_key)` order; only the versions the refresh must see (`listCustomerLedgerInputs`). */
  versions: JudgedVersion[];
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
/** A ledger row as an array of its columns in `LEDGER_KEYS` order, as the refresh reads it. */
const ledgerRowArray = sql.raw(`json_build_array(${LEDGER_KEYS.map((k) => `m.${snakeCase(k)}`).join(", ")})`);
const epochMs = (column: string) => sql.raw(`floor(extract(epoch from ${column}) * 1000)::bigint`);
/** An `epochMs` column as read back: a number, or null. */
const instant = (ms: number | null) => (ms === null ? null : Number(ms));
/** The version columns the refresh reads, of table alias `t`. */
const versionColumns = (t: string) =>
  sql.raw(
    ["customer_id", "subscription_id", "event_id", "event_key", "valid_from", "state", "repeats"]
      .map((c) => `${t}.${c}`)
      .join(", "),
  );

/**
 * The inputs of `refreshCustomerLedger` for these customers in ONE statement: their subscription versions, their
 * ledger rows and trial marks as stored, and whether any has an open schedule. Each part is a json aggregate over
 * the same indexes the separate selects use.
 *
 * Of the versions it reads only those that may change something (ADR 0015): the ones not judged a repeat
 * (`subscription_versions_changes_idx`), the `fresh` ones this transaction inserted and judged a repeat (a
 * concurrent event may have put a version before them), and the version right after each one not yet judged or
 * fresh (its predecessor is new or changed). A version left out repeats the state of the one read before it.
 */
export async function listCustomerLedgerInputs(
  workspaceId: string,
  db: Executor,
  customerIds: readonly string[],
  fresh: readonly VersionKey[] = [],
): Promise<CustomerLedgerInputs> {
  if (customerIds.length === 0) return { versions: [], rows: [], marks: [], hasSchedules: false };
  const ids = idList(customerIds);
  const freshPart =
    fresh.length > 0
      ? sql`, f as (
          select ${versionColumns("v")}
          from jsonb_to_recordset(${jsonRows(fresh)}) k(subscription_id text, event_id text)
          join subscription_versions v on v.workspace_id = ${workspaceId} and v.subscription_id = k.subscription_id
            and v.event_id = k.event_id
          where v.repeats)`
      : sql``;
  const andFresh = fresh.length > 0 ? sql` union all select * from f` : sql``;
  const [row] = rowsOf<{
    /** [customer id, subscription id, valid from (epoch ms), state, event id, repeats]: arrays spare the keys. */
    versions: [string, string, number, SubscriptionVersion["state"], string, boolean | null][] | null;
    /** Each row's columns in `LEDGER_KEYS` order. */
    rows: unknown[][] | null;
    /** The columns of a mark in `TrialMark` order, instants as epoch ms. */
    marks: [string, string, number, number, number | null, number | null, number | null, boolean, boolean][] | null;
    has_schedules: boolean;
  }>(
    await db.execute(sql`
      with r as (
        select ${versionColumns("v")} from subscription_versions v
        where v.workspace_id = ${workspaceId} and v.customer_id in (${ids}) and v.repeats is not true)${freshPart},
      n as (
        select s.* from (select * from r where r.repeats is null${andFresh}) q
        cross join lateral (
          select ${versionColumns("x")} from subscription_versions x
          where x.workspace_id = ${workspaceId} and x.subscription_id = q.subscription_id
            and (x.valid_from, x.event_key) > (q.valid_from, q.event_key)
          order by x.valid_from, x.event_key limit 1) s
        where s.repeats),
      a as (select * from r union all select * from n${andFresh})
      select
        (select json_agg(json_build_array(a.customer_id, a.subscription_id, ${epochMs("a.valid_from")}, a.state,
                  a.event_id, a.repeats) order by a.valid_from, a.event_key) from a) as versions,
        (select json_agg(${ledgerRowArray}) from mrr_changes m
           where m.workspace_id = ${workspaceId} and m.customer_id in (${ids})) as rows,
        (select json_agg(json_build_array(t.customer_id, t.subscription_id, t.seq, ${epochMs("t.trial_from")},
                  ${epochMs("t.trial_end")}, ${epochMs("t.next_from")}, ${epochMs("t.later_trial_from")},
                  t.converted_at_next, t.converted_at_trial_end))
           from trial_marks t where t.workspace_id = ${workspaceId} and t.customer_id in (${ids})) as marks,
        exists (select 1 from subscription_schedules s where s.workspace_id = ${workspaceId}
                and s.status in ('not_started', 'active') and s.customer_id in (${ids})) as has_schedules`),
  );
  // A version can be read twice (fresh, and right after one not yet judged): keep the first.
  const seen = new Set<string>();
  const versions: JudgedVersion[] = [];
  for (const [customerId, subscriptionId, validFrom, state, eventId, repeats] of row?.versions ?? []) {
    const key = `${subscriptionId}\u0000${eventId}`;
    if (seen.has(key)) continue;
    seen.add(key);
    versions.push({ customerId, subscriptionId, version: { validFrom: Number(validFrom), state, eventId }, repeats });
  }
  return {
    versions,
    rows: (row?.rows ?? []).map((values) => {
      const r: Record<string, unknown> = {};
      LEDGER_KEYS.forEach((k, i) => (r[k] = values[i]));
      return fromRow(r as unknown as typeof mrrChanges.$inferSelect);
    }),
    marks: (row?.marks ?? []).map(
      ([
        customerId,
        subscriptionId,
        seq,
        trialFrom,
        trialEnd,
        nextFrom,
        laterTrialFrom,
        convertedAtNext,
        convertedAtTrialEnd,
      ]) => ({
        customerId,
        subscriptionId,
        seq,
        trialFrom: Number(trialFrom),
        trialEnd: instant(trialEnd),
        nextFrom: instant(nextFrom),
        laterTrialFrom: instant(laterTrialFrom),
        convertedAtNext,
        convertedAtTrialEnd,
      }),
    ),
    hasSchedules: row?.has_schedules === true,
  };
}

const judgmentUpdate = (workspaceId: string, judged: readonly VersionJudgment[]) => sql`
  update subscription_versions v set repeats = d.repeats
  from jsonb_to_recordset(${jsonRows(judged)}) d(subscription_id text, event_id text, repeats boolean)
  where v.workspace_id = ${workspaceId} and v.subscription_id = d.subscription_id and v.event_id = d.event_id`;

/** Stores versions' judgments in one statement (a rebuild's corrections). */
export async function storeJudgments(workspaceId: string, db: Executor, judged: readonly VersionJudgment[]) {
  if (judged.length > 0) await db.execute(judgmentUpdate(workspaceId, judged));
}

const columnsOf = (table: Parameters<typeof getTableColumns>[0]) => Object.keys(getTableColumns(table)).map(snakeCase);
/** `"col" = excluded."col"` for every column but the key. */
const replaceSet = (table: Parameters<typeof getTableColumns>[0], key: readonly string[]) =>
  sql.raw(
    columnsOf(table)
      .filter((c) => !key.includes(c))
      .map((c) => `"${c}" = excluded."${c}"`)
      .join(", "),
  );
/** The `do update set` of a ledger row's upsert, and of a trial mark's: every column but the key. */
export const ledgerSet = replaceSet(mrrChanges, ["workspace_id", "customer_id", "day"]);
export const markSet = replaceSet(trialMarks, ["workspace_id", "customer_id", "subscription_id", "seq"]);

/**
 * Writes the refreshed ledger rows and trial marks of some customers against what `listCustomerLedgerInputs`
 * read, with the same end state as `replaceMrrChanges` then `replaceTrialMarks`: nothing when neither changed,
 * else ONE statement (data-modifying CTEs) that upserts the rows that are new or differ, deletes the rows that are
 * gone, moves the rollups by the difference, does the same for the marks and stores the versions' changed
 * judgments (`judged`, ADR 0015). It holds only the parts that have
 * rows: an empty CTE still costs the server its setup (opening the table and its indexes, the conflict arbiter),
 * about 0.05 ms of a typical write (docs/performance.md). The rows travel as jsonb parameters, so the text
 * depends only on which parts are there: a handful of texts, each prepared once per connection (ADR 0012),
 * binding a few parameters however many rows change.
 */
export async function writeCustomerLedger(
  workspaceId: string,
  db: Executor,
  input: {
    old: Pick<CustomerLedgerInputs, "rows" | "marks">;
    rows: readonly MrrChange[];
    marks: readonly TrialMark[];
    /** Versions whose judgment changed (ADR 0015). */
    judged?: readonly VersionJudgment[];
    /**
     * Collects the rows the rollups must move by, instead of moving them here: a writer of many chunks then moves
     * each rollup row once (`writeRollupDelta`), not once per chunk.
     */
    deferRollups?: { removed: AnnotatedChange[]; added: AnnotatedChange[] };
  },
) {
  const added = annotateLedger(input.rows);
  const removed = input.old.rows;
  const rows = diffLedgerRows(removed, added);
  const ledgerChanged = rows.upserts.length > 0 || rows.deletes.length > 0;
  // A customer's versions are only added, so one without marks now had none before (see `replaceTrialMarks`).
  const marks = input.marks.length > 0 ? diffMarks(input.old.marks, input.marks) : { upserts: [], deletes: [] };
  const deferred = input.deferRollups;
  if (deferred && ledgerChanged) {
    deferred.removed.push(...removed);
    deferred.added.push(...added);
  }
  const delta =
    ledgerChanged && !deferred ? sortedDelta(diffRollups(removed, added)) : { daily: [], cohorts: [], flags: [] };
  // Each data-modifying CTE runs once, to completion, whatever the main query reads; no two touch the same row
  // (upserted and deleted keys are disjoint). Rollup keys come sorted: concurrent writers lock rows in one order.
  const parts: SQL[] = [];
  if (rows.upserts.length > 0)
    parts.push(sql`up as (
      ${insertRows(
        "mrr_changes",
        rows.upserts.map((r) => toRow(workspaceId, r)),
      )}
      on conflict (workspace_id, customer_id, day) do update set ${ledgerSet})`);
  if (rows.deletes.length > 0)
    parts.push(sql`gone as (
      delete from mrr_changes m using jsonb_to_recordset(${jsonRows(rows.deletes)}) d(customer_id text, day date)
      where m.workspace_id = ${workspaceId} and m.customer_id = d.customer_id and m.day = d.day)`);
  parts.push(...rollupParts(workspaceId, delta));
  if (marks.upserts.length > 0)
    parts.push(sql`marks as (
      ${insertRows(
        "trial_marks",
        marks.upserts.map((m) => markRow(workspaceId, m)),
      )}
      on conflict (workspace_id, customer_id, subscription_id, seq) do update set ${markSet})`);
  if (marks.deletes.length > 0)
    parts.push(sql`unmarked as (
      delete from trial_marks t using jsonb_to_recordset(${jsonRows(marks.deletes)}) d(customer_id text, subscription_id text, seq int)
      where t.workspace_id = ${workspaceId} and t.customer_id = d.customer_id and t.subscription_id = d.subscription_id
        and t.seq = d.seq)`);
  if (input.judged && input.judged.length > 0)
    parts.push(sql`judged as (${judgmentUpdate(workspaceId, input.judged)})`);
  if (parts.length === 0) return;
  await db.execute(sql`with ${sql.join(parts, sql`, `)} select 1`);
}

/** Moves the rollups by `delta` (a sum of differences, see `deferRollups`): one statement. */
export async function writeRollupDelta(workspaceId: string, db: Executor, delta: RollupDelta) {
  const parts = rollupParts(workspaceId, sortedDelta(delta));
  if (parts.length > 0) await db.execute(sql`with ${sql.join(parts, sql`, `)} select 1`);
}

/** The CTEs that move the rollups by `delta`: only those with rows. */
function rollupParts(workspaceId: string, delta: ReturnType<typeof sortedDelta>): SQL[] {
  const parts: SQL[] = [];
  if (delta.daily.length > 0) parts.push(sql`daily as (${rollupUpserts.daily(workspaceId, delta.daily)})`);
  if (delta.cohorts.length > 0) parts.push(sql`cohorts as (${rollupUpserts.cohorts(workspaceId, delta.cohorts)})`);
  if (delta.flags.length > 0) parts.push(sql`flags as (${rollupUpserts.flags(workspaceId, delta.flags)})`);
  return parts;
}
