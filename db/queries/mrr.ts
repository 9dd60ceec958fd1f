import { and, asc, eq, getTableColumns, gte, inArray, lte, sql, type SQL } from "drizzle-orm";
import type { MrrChange } from "@/lib/metrics/movements";
import {
  annotateLedger,
  diffRollups,
  ROLLUP_KEYS,
  type AnnotatedChange,
  type FlagTotals,
  type RollupDelta,
  type RollupTotals,
} from "@/lib/metrics/rollup";
import type { MeteredUsageLine } from "@/lib/metrics/metered";
import type { SubscriptionVersion } from "@/lib/metrics/types";
import type { TrialMark } from "@/lib/metrics/trials";
import { rowsOf, type Executor } from "../client";
import {
  invoiceLines,
  invoices,
  mrrChanges,
  mrrCohortMonthly,
  mrrDaily,
  mrrFlagDaily,
  prices,
  subscriptionVersions,
  trialMarks,
} from "../schema";

/**
 * Every subscription version of the given customers (their whole history), as the KPI engine reads them: in
 * `(valid_from, event_key)` order, which settles same-second versions (groupSubscriptionHistories).
 */
export async function listSubscriptionVersions(workspaceId: string, db: Executor, customerIds: readonly string[]) {
  if (customerIds.length === 0) return [];
  const rows = await db
    .select({
      customerId: subscriptionVersions.customerId,
      subscriptionId: subscriptionVersions.subscriptionId,
      validFrom: subscriptionVersions.validFrom,
      state: subscriptionVersions.state,
      eventId: subscriptionVersions.eventId,
      repeats: subscriptionVersions.repeats,
    })
    .from(subscriptionVersions)
    .where(
      and(
        eq(subscriptionVersions.workspaceId, workspaceId),
        inArray(subscriptionVersions.customerId, [...customerIds]),
      ),
    )
    .orderBy(asc(subscriptionVersions.validFrom), asc(subscriptionVersions.eventKey));
  return rows.map((r) => ({
    customerId: r.customerId,
    subscriptionId: r.subscriptionId,
    version: { validFrom: r.validFrom.getTime(), state: r.state, eventId: r.eventId } satisfies SubscriptionVersion,
    repeats: r.repeats,
  }));
}

/** The customers that have any subscription history in the workspace. */
export async function listCustomersWithVersions(workspaceId: string, db: Executor): Promise<string[]> {
  const rows = await db
    .selectDistinct({ customerId: subscriptionVersions.customerId })
    .from(subscriptionVersions)
    .where(eq(subscriptionVersions.workspaceId, workspaceId))
    .orderBy(asc(subscriptionVersions.customerId));
  return rows.map((r) => r.customerId);
}

export function toRow(workspaceId: string, r: AnnotatedChange): typeof mrrChanges.$inferInsert {
  // An annotated row holds exactly the ledger's columns.
  return { workspaceId, ...r, unconverted: r.unconverted ?? null };
}

export function fromRow(r: typeof mrrChanges.$inferSelect): AnnotatedChange {
  return {
    ...toMrrChange(r),
    annualDelta: r.annualDelta,
    cmrrDelta: r.cmrrDelta,
    annualCmrrDelta: r.annualCmrrDelta,
    payingDelta: r.payingDelta,
    trialingDelta: r.trialingDelta,
    cohort: r.cohort,
    firstNew: r.firstNew,
    nextDay: r.nextDay,
    zeroSince: r.zeroSince,
  };
}

const rowKey = (r: Pick<AnnotatedChange, "customerId" | "day">) => `${r.customerId}|${r.day}`;

/** The ledger's columns but the workspace, as the keys of an annotated row (a new column is among them too). */
export const LEDGER_KEYS = Object.keys(getTableColumns(mrrChanges)).filter(
  (k) => k !== "workspaceId",
) as (keyof AnnotatedChange)[];

/** Two column values store the same: null and absent alike, arrays item by item, `unconverted` key by key. */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a == null || b == null) return a == null && b == null;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => x === b[i]);
  if (typeof a !== "object" || typeof b !== "object" || Array.isArray(b)) return false;
  const [x, y] = [a as Record<string, unknown>, b as Record<string, unknown>];
  const keys = Object.keys(x).filter((k) => x[k] !== undefined);
  return keys.length === Object.keys(y).filter((k) => y[k] !== undefined).length && keys.every((k) => x[k] === y[k]);
}

/** Whether two rows of one key store the same in every column. */
export function sameLedgerRow(a: AnnotatedChange, b: AnnotatedChange): boolean {
  for (const k of LEDGER_KEYS) if (!sameValue(a[k], b[k])) return false;
  return true;
}

/**
 * What turns the stored rows `old` into `next`: the rows of `next` that are new or differ in any stored column
 * (whatever the order of object keys), and the keys of `old` that `next` no longer has.
 */
export function diffLedgerRows(old: readonly AnnotatedChange[], next: readonly AnnotatedChange[]) {
  const before = new Map(old.map((r) => [rowKey(r), r]));
  const keys = new Set(next.map(rowKey));
  return {
    upserts: next.filter((r) => {
      const o = before.get(rowKey(r));
      return !o || !sameLedgerRow(o, r);
    }),
    deletes: old.filter((r) => !keys.has(rowKey(r))).map((r) => ({ customerId: r.customerId, day: r.day })),
  };
}

/** Rows are equal when every stored column is. */
export function sameRows(a: readonly AnnotatedChange[], b: readonly AnnotatedChange[]): boolean {
  const d = diffLedgerRows(a, b);
  return d.upserts.length === 0 && d.deletes.length === 0;
}

export const snakeCase = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const byKey = <T>([a]: [string, T], [b]: [string, T]) => (a < b ? -1 : 1);
export const sortedDelta = (delta: RollupDelta) => ({
  daily: [...delta.daily].sort(byKey),
  cohorts: [...delta.cohorts].sort(byKey),
  flags: [...delta.flags].sort(byKey),
});

/** mrr_flag_daily rows of a delta (key `${day}|${flag}`; a day holds no `|`). */
const flagRows = (workspaceId: string, flags: [string, FlagTotals][]) =>
  flags.map(([key, t]) => {
    const cut = key.indexOf("|");
    return { workspaceId, day: key.slice(0, cut), flag: key.slice(cut + 1), rows: t.rows, amount: t.amount };
  });

/** mrr_daily rows of a delta (key: the day). */
const dailyRows = (workspaceId: string, daily: [string, RollupTotals][]) =>
  daily.map(([day, t]) => ({ workspaceId, day, ...t }));

/** mrr_cohort_monthly rows of a delta (key `${cohort}|${month}`). */
const cohortRows = (workspaceId: string, cohorts: [string, RollupTotals][]) =>
  cohorts.map(([key, t]) => {
    const [cohort = "", month = ""] = key.split("|");
    return { workspaceId, cohort, month, ...t };
  });

/** Rows with their keys as the table's column names (drizzle's casing), for `jsonb_populate_recordset`. */
export const snakeRows = (rows: readonly object[]) =>
  rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [snakeCase(k), v])));

/** Rows as one jsonb parameter, keyed by column name (`jsonb_populate_recordset` reads them as the table's rows). */
export const jsonRows = (rows: readonly object[]) => sql`${JSON.stringify(snakeRows(rows))}::jsonb`;

/**
 * `select jsonb_array_elements_text(…)` of a list of text values sent as one jsonb parameter: for `x in (…)` and
 * `array(…)`, with a statement text that does not depend on how many values there are.
 */
export const textList = (values: readonly string[]) =>
  sql`select jsonb_array_elements_text(${JSON.stringify(values)}::jsonb)`;

/**
 * `insert into <table> select * from jsonb_populate_recordset(null::<table>, <rows>)`: rows with every column of the
 * table, as one jsonb parameter, so the text never depends on how many there are.
 */
export const insertRows = (
  table: "mrr_changes" | "trial_marks" | "mrr_daily" | "mrr_cohort_monthly" | "mrr_flag_daily",
  rows: readonly object[],
) =>
  sql`insert into ${sql.raw(table)} select * from jsonb_populate_recordset(null::${sql.raw(table)}, ${jsonRows(rows)})`;

/** `"col" = <table>."col" + excluded."col"` for each column. */
const addSet = (table: string, columns: readonly string[]) =>
  sql.raw(columns.map((c) => `"${c}" = ${table}."${c}" + excluded."${c}"`).join(", "));
const rollupColumns = ROLLUP_KEYS.map(snakeCase);

/**
 * The upserts that add a delta's rows to each rollup. The rows travel as one jsonb parameter, so the text never
 * changes (the connection prepares it once, ADR 0012) and no row count meets the parameter limit. The per-event
 * ledger write runs them as CTEs of its one statement; rebuilds and the chunked refresh run them alone.
 */
export const rollupUpserts = {
  daily: (workspaceId: string, daily: [string, RollupTotals][]) => sql`
    ${insertRows("mrr_daily", dailyRows(workspaceId, daily))}
    on conflict (workspace_id, day) do update set ${addSet("mrr_daily", rollupColumns)}`,
  cohorts: (workspaceId: string, cohorts: [string, RollupTotals][]) => sql`
    ${insertRows("mrr_cohort_monthly", cohortRows(workspaceId, cohorts))}
    on conflict (workspace_id, cohort, month) do update set ${addSet("mrr_cohort_monthly", rollupColumns)}`,
  flags: (workspaceId: string, flags: [string, FlagTotals][]) => sql`
    ${insertRows("mrr_flag_daily", flagRows(workspaceId, flags))}
    on conflict (workspace_id, day, flag) do update set ${addSet("mrr_flag_daily", ["rows", "amount"])}`,
};

/** Adds a delta to the rollups. Keys are sorted so that concurrent writers lock rows in one order. */
async function applyRollupDelta(workspaceId: string, db: Executor, delta: RollupDelta) {
  const { daily, cohorts, flags } = sortedDelta(delta);
  if (daily.length > 0) await db.execute(rollupUpserts.daily(workspaceId, daily));
  if (cohorts.length > 0) await db.execute(rollupUpserts.cohorts(workspaceId, cohorts));
  if (flags.length > 0) await db.execute(rollupUpserts.flags(workspaceId, flags));
}

/**
 * Replaces the ledger rows of these customers (none: only adds `rows`) and moves the rollups by the difference.
 * Writes nothing when the customers' rows did not change.
 */
export async function replaceMrrChanges(
  workspaceId: string,
  db: Executor,
  customerIds: readonly string[],
  rows: readonly MrrChange[],
) {
  const added = annotateLedger(rows);
  const removed =
    customerIds.length > 0
      ? (
          await db
            .select()
            .from(mrrChanges)
            .where(and(eq(mrrChanges.workspaceId, workspaceId), inArray(mrrChanges.customerId, [...customerIds])))
        ).map(fromRow)
      : [];
  if (customerIds.length > 0 && sameRows(removed, added)) return;
  await writeMrrChanges(workspaceId, db, customerIds, removed, added);
}

export async function writeMrrChanges(
  workspaceId: string,
  db: Executor,
  customerIds: readonly string[],
  removed: readonly AnnotatedChange[],
  added: readonly AnnotatedChange[],
) {
  if (removed.length > 0)
    await db
      .delete(mrrChanges)
      .where(and(eq(mrrChanges.workspaceId, workspaceId), inArray(mrrChanges.customerId, [...customerIds])));
  // As the per-event write sends them: one jsonb parameter per chunk, no SQL built per row and column.
  for (let i = 0; i < added.length; i += 1000)
    await db.execute(
      insertRows(
        "mrr_changes",
        added.slice(i, i + 1000).map((r) => toRow(workspaceId, r)),
      ),
    );
  await applyRollupDelta(workspaceId, db, diffRollups(removed, added));
}

const markOf = (r: typeof trialMarks.$inferSelect): TrialMark => ({
  customerId: r.customerId,
  subscriptionId: r.subscriptionId,
  seq: r.seq,
  trialFrom: r.trialFrom.getTime(),
  trialEnd: r.trialEnd?.getTime() ?? null,
  nextFrom: r.nextFrom?.getTime() ?? null,
  laterTrialFrom: r.laterTrialFrom?.getTime() ?? null,
  convertedAtNext: r.convertedAtNext,
  convertedAtTrialEnd: r.convertedAtTrialEnd,
});

export const markRow = (workspaceId: string, m: TrialMark): typeof trialMarks.$inferInsert => ({
  workspaceId,
  ...m,
  trialFrom: new Date(m.trialFrom),
  trialEnd: m.trialEnd === null ? null : new Date(m.trialEnd),
  nextFrom: m.nextFrom === null ? null : new Date(m.nextFrom),
  laterTrialFrom: m.laterTrialFrom === null ? null : new Date(m.laterTrialFrom),
});

const markKey = (m: TrialMark) => `${m.customerId}|${m.subscriptionId}|${m.seq}`;
const sameMark = (a: TrialMark, b: TrialMark) => (Object.keys(a) as (keyof TrialMark)[]).every((k) => a[k] === b[k]);

/** The marks of `marks` that are new or differ from `old`, and the keys of `old` that `marks` no longer has. */
export function diffMarks(old: readonly TrialMark[], marks: readonly TrialMark[]) {
  const before = new Map(old.map((m) => [markKey(m), m]));
  const keys = new Set(marks.map(markKey));
  return {
    upserts: marks.filter((m) => {
      const o = before.get(markKey(m));
      return !o || !sameMark(o, m);
    }),
    deletes: old.filter((m) => !keys.has(markKey(m))),
  };
}

export function sameMarks(old: readonly TrialMark[], marks: readonly TrialMark[]) {
  const d = diffMarks(old, marks);
  return d.upserts.length === 0 && d.deletes.length === 0;
}

/**
 * Replaces the trial marks of these customers (none: only adds `marks`), writing only when a mark changed. A
 * customer's versions are only ever added and a version's status never changes, so customers without marks now
 * had none before: they cost no statement.
 */
export async function replaceTrialMarks(
  workspaceId: string,
  db: Executor,
  customerIds: readonly string[],
  marks: readonly TrialMark[],
) {
  if (customerIds.length > 0) {
    if (marks.length === 0) return;
    const where = and(eq(trialMarks.workspaceId, workspaceId), inArray(trialMarks.customerId, [...customerIds]));
    const old = (await db.select().from(trialMarks).where(where)).map(markOf);
    if (sameMarks(old, marks)) return;
    if (old.length > 0) await db.delete(trialMarks).where(where);
  }
  for (let i = 0; i < marks.length; i += 1000)
    await db.execute(
      insertRows(
        "trial_marks",
        marks.slice(i, i + 1000).map((m) => markRow(workspaceId, m)),
      ),
    );
}

/** Empties the workspace's ledger and its rollups. */
export async function deleteAllMrrChanges(workspaceId: string, db: Executor) {
  await db.delete(trialMarks).where(eq(trialMarks.workspaceId, workspaceId));
  await db.delete(mrrChanges).where(eq(mrrChanges.workspaceId, workspaceId));
  await db.delete(mrrDaily).where(eq(mrrDaily.workspaceId, workspaceId));
  await db.delete(mrrCohortMonthly).where(eq(mrrCohortMonthly.workspaceId, workspaceId));
  await db.delete(mrrFlagDaily).where(eq(mrrFlagDaily.workspaceId, workspaceId));
}

/**
 * Recomputes the workspace's rollups from its ledger rows in SQL (after rows were written directly, as the
 * benchmarks' seeding does). The ledger's annotation columns must already be right.
 */
export async function rebuildRollups(workspaceId: string, db: Executor) {
  await db.delete(mrrDaily).where(eq(mrrDaily.workspaceId, workspaceId));
  await db.delete(mrrCohortMonthly).where(eq(mrrCohortMonthly.workspaceId, workspaceId));
  await db.execute(sql`
    insert into mrr_daily (workspace_id, day, ${ROLLUP_COLUMNS})
    select workspace_id, day, ${ROLLUP_SUMS} from mrr_changes where workspace_id = ${workspaceId}
    group by workspace_id, day`);
  await db.execute(sql`
    insert into mrr_cohort_monthly (workspace_id, cohort, month, ${ROLLUP_COLUMNS})
    select workspace_id, cohort, to_char(day, 'YYYY-MM'), ${ROLLUP_SUMS} from mrr_changes
    where workspace_id = ${workspaceId} and cohort is not null
    group by workspace_id, cohort, to_char(day, 'YYYY-MM')`);
  await db.delete(mrrFlagDaily).where(eq(mrrFlagDaily.workspaceId, workspaceId));
  await db.execute(sql`insert into mrr_flag_daily (workspace_id, day, flag, rows, amount) ${FLAG_SUMS(workspaceId)}`);
}

/**
 * The mrr_flag_daily rows of the workspace's ledger, as a select (the same rule as `diffRollups`): each row adds
 * its flags on its day and takes them away on its next row's day. Migration 0006 fills the table with this select
 * for every workspace.
 */
const FLAG_SUMS = (workspaceId: string) => sql`
  select workspace_id, day, flag, sum(n)::int, sum(a)::bigint from (
    select workspace_id, f.day, f.flag, f.n, f.a
    from mrr_changes m,
      lateral (select 'warning:' || w as flag, 0::numeric as a from unnest(m.warnings) w
               union all
               select 'unconverted:' || u.key, u.value::numeric from jsonb_each_text(coalesce(m.unconverted, '{}'::jsonb)) u) x,
      lateral (values (m.day, x.flag, 1, x.a), (m.next_day, x.flag, -1, -x.a)) f(day, flag, n, a)
    where m.workspace_id = ${workspaceId} and f.day is not null
  ) t
  group by workspace_id, day, flag
  having sum(n) <> 0 or sum(a) <> 0`;

/**
 * Sets the annotation columns of the workspace's ledger rows (deltas against each customer's previous row,
 * cohort, first `new`, next row's day) in SQL, for rows written without them (the benchmarks copy rows and shift their days).
 * The same rules as annotateLedger in lib/metrics/rollup.ts.
 */
export async function annotateLedgerInSql(workspaceId: string, db: Executor) {
  await db.execute(sql`
    with flagged as (
      select *, ${payingRow(sql`mrr_changes`)} as paying
      from mrr_changes where workspace_id = ${workspaceId}
    ),
    annotated as (
      select customer_id, day,
        annual_mrr - coalesce(lag(annual_mrr) over w, 0) as annual_delta,
        cmrr - coalesce(lag(cmrr) over w, 0) as cmrr_delta,
        annual_cmrr - coalesce(lag(annual_cmrr) over w, 0) as annual_cmrr_delta,
        paying::int - coalesce(lag(paying::int) over w, 0) as paying_delta,
        (trialing and not paying)::int - coalesce(lag((trialing and not paying)::int) over w, 0) as trialing_delta,
        to_char(min(day) filter (where kind = 'new') over c, 'YYYY-MM') as cohort,
        kind = 'new' and day = min(day) filter (where kind = 'new') over c as first_new,
        lead(day) over w as next_day,
        case when previous_mrr <= 0 and mrr > 0 then max(day) filter (where previous_mrr > 0 and mrr <= 0) over (
          partition by customer_id order by day rows between unbounded preceding and 1 preceding) end as zero_since
      from flagged
      window w as (partition by customer_id order by day), c as (partition by customer_id)
    )
    update mrr_changes m set annual_delta = a.annual_delta, cmrr_delta = a.cmrr_delta,
      annual_cmrr_delta = a.annual_cmrr_delta, paying_delta = a.paying_delta, trialing_delta = a.trialing_delta,
      cohort = a.cohort, first_new = coalesce(a.first_new, false), next_day = a.next_day,
      zero_since = a.zero_since
    from annotated a
    where m.workspace_id = ${workspaceId} and m.customer_id = a.customer_id and m.day = a.day`);
}

const ROLLUP_COLUMNS = sql.raw(
  "mrr_delta, annual_delta, cmrr_delta, annual_cmrr_delta, positive_delta, paying_delta, trialing_delta, new, expansion, contraction, churn, reactivation, fx_impact, involuntary_churn, members, initial_mrr",
);
/**
 * The rollup sums over a set of ledger rows, one column per rollup (named as ROLLUP_COLUMNS): what rebuildRollups
 * stores, and what the finance page sums over a filtered view's customers.
 */
export const ROLLUP_SUMS = sql.raw(`
  coalesce(sum(mrr - previous_mrr), 0) as mrr_delta, coalesce(sum(annual_delta), 0) as annual_delta,
  coalesce(sum(cmrr_delta), 0) as cmrr_delta, coalesce(sum(annual_cmrr_delta), 0) as annual_cmrr_delta,
  coalesce(sum((mrr > 0)::int - (previous_mrr > 0)::int), 0) as positive_delta,
  coalesce(sum(paying_delta), 0) as paying_delta, coalesce(sum(trialing_delta), 0) as trialing_delta,
  coalesce(sum(amount) filter (where kind = 'new'), 0) as new,
  coalesce(sum(amount) filter (where kind = 'expansion'), 0) as expansion,
  coalesce(sum(amount) filter (where kind = 'contraction'), 0) as contraction,
  coalesce(sum(amount) filter (where kind = 'churn'), 0) as churn,
  coalesce(sum(amount) filter (where kind = 'reactivation'), 0) as reactivation,
  coalesce(sum(fx_impact), 0) as fx_impact,
  coalesce(sum(amount) filter (where kind = 'churn' and involuntary), 0) as involuntary_churn,
  count(*) filter (where first_new) as members, coalesce(sum(amount) filter (where first_new), 0) as initial_mrr`);

/** A stored ledger row as the KPI engine reads it. */
export function toMrrChange(r: typeof mrrChanges.$inferSelect): MrrChange {
  const change: MrrChange = {
    customerId: r.customerId,
    day: r.day,
    mrr: r.mrr,
    previousMrr: r.previousMrr,
    kind: r.kind,
    amount: r.amount,
    fxImpact: r.fxImpact,
    annualMrr: r.annualMrr,
    cmrr: r.cmrr,
    annualCmrr: r.annualCmrr,
    trialing: r.trialing,
    involuntary: r.involuntary,
    eventIds: r.eventIds,
    warnings: r.warnings,
  };
  if (r.unconverted) change.unconverted = r.unconverted;
  return change;
}

/** The `new` movements dated in [from, to]: each customer's first paid day and its new MRR (the kind index). */
export async function listNewMovements(workspaceId: string, db: Executor, range: { from: string; to: string }) {
  return db
    .select({ customerId: mrrChanges.customerId, day: mrrChanges.day, amount: mrrChanges.amount })
    .from(mrrChanges)
    .where(
      and(
        eq(mrrChanges.workspaceId, workspaceId),
        eq(mrrChanges.kind, "new"),
        gte(mrrChanges.day, range.from),
        lte(mrrChanges.day, range.to),
      ),
    );
}

/** Ledger rows of the workspace up to `to` (inclusive), optionally for some customers only. */
export async function listMrrChanges(
  workspaceId: string,
  db: Executor,
  range: { to: string; customerIds?: readonly string[]; withEventIds?: boolean },
) {
  const where = [eq(mrrChanges.workspaceId, workspaceId), lte(mrrChanges.day, range.to)];
  if (range.customerIds) where.push(inArray(mrrChanges.customerId, [...range.customerIds]));
  // KPI totals don't need the causing events; leaving them out halves what a big workspace sends over the wire.
  const columns = getTableColumns(mrrChanges);
  const rows = await db
    .select(range.withEventIds === false ? { ...columns, eventIds: sql<string[]>`'{}'::text[]` } : columns)
    .from(mrrChanges)
    .where(and(...where))
    .orderBy(asc(mrrChanges.customerId), asc(mrrChanges.day));
  return rows.map(toMrrChange);
}

/**
 * Invoice lines of metered prices for these customers (policy `metered: "trailing3MonthAverage"`), after
 * discounts and before tax, with their invoice's status.
 */
export async function listMeteredLines(
  workspaceId: string,
  db: Executor,
  customerIds: readonly string[],
): Promise<MeteredUsageLine[]> {
  if (customerIds.length === 0) return [];
  const rows = await db
    .select({
      id: invoiceLines.id,
      customerId: invoices.customerId,
      currency: invoiceLines.currency,
      amount: invoiceLines.amount,
      discountAmount: invoiceLines.discountAmount,
      periodEnd: invoiceLines.periodEnd,
      status: invoices.status,
    })
    .from(invoiceLines)
    .innerJoin(
      invoices,
      and(eq(invoices.workspaceId, invoiceLines.workspaceId), eq(invoices.id, invoiceLines.invoiceId)),
    )
    .innerJoin(prices, and(eq(prices.workspaceId, invoiceLines.workspaceId), eq(prices.id, invoiceLines.priceId)))
    .where(
      and(
        eq(invoiceLines.workspaceId, workspaceId),
        inArray(invoices.customerId, [...customerIds]),
        sql`${prices.data}->>'usageType' = 'metered'`,
      ),
    );
  return rows
    .filter((r) => r.periodEnd !== null)
    .map((r) => ({
      id: r.id,
      customerId: r.customerId,
      currency: r.currency,
      amount: r.amount - r.discountAmount,
      serviceEnd: r.periodEnd!.getTime(),
      invoiceStatus: (r.status ?? "draft") as MeteredUsageLine["invoiceStatus"],
    }));
}

export type MovementSums = {
  periodKey: string;
  new: number;
  expansion: number;
  contraction: number;
  churn: number;
  reactivation: number;
  fxImpact: number;
  newCustomers: number;
  reactivatedCustomers: number;
  expandedCustomers: number;
  contractedCustomers: number;
  churnedCustomers: number;
};

const TRUNC_UNIT = { day: "day", week: "week", month: "month", quarter: "quarter" } as const;

/**
 * The ledger row `row` (a table or alias of mrr_changes) makes its customer paying: m > 0, or a part left
 * unconverted for lack of an FX rate (lib/metrics/ledger.ts isPayingRow).
 */
export function payingRow(row: SQL): SQL {
  return sql`(${row}.mrr > 0 or coalesce(jsonb_path_exists(${row}.unconverted, '$.* ? (@ > 0)'), false))`;
}

/** Ledger rows of these customers only (`column` in the list); null: every customer. */

export function ofCustomers(customers: readonly string[] | null, column: SQL = sql`customer_id`): SQL {
  if (!customers) return sql`true`;
  return sql`${column} in (${textList(customers)})`;
}

export type MoverCounts = {
  periodKey: string;
  newCustomers: number;
  reactivatedCustomers: number;
  expandedCustomers: number;
  contractedCustomers: number;
  churnedCustomers: number;
};

/**
 * The distinct customers behind each movement type per calendar period over [from, to], keyed by the period's
 * calendar start (ISO weeks start on Monday), of some customers only (null: everyone). An index-only scan of the
 * moving rows.
 */
export async function countMoversByPeriod(
  workspaceId: string,
  db: Executor,
  opts: { from: string; to: string; interval: keyof typeof TRUNC_UNIT; customers: readonly string[] | null },
): Promise<MoverCounts[]> {
  const unit = sql.raw(`'${TRUNC_UNIT[opts.interval]}'`);
  const c = (kind: string) => sql`count(distinct customer_id) filter (where kind = ${kind})`;
  const rows = rowsOf<Record<string, string | number>>(
    await db.execute(sql`
      select to_char(date_trunc(${unit}, day::timestamp), 'YYYY-MM-DD') as period_key,
        ${c("new")} as new_customers, ${c("reactivation")} as reactivated_customers,
        ${c("expansion")} as expanded_customers, ${c("contraction")} as contracted_customers,
        ${c("churn")} as churned_customers
      from mrr_changes
      where workspace_id = ${workspaceId} and day >= ${opts.from} and day <= ${opts.to} and kind is not null
        and ${ofCustomers(opts.customers)}
      group by 1`),
  );
  return rows.map((r) => ({
    periodKey: String(r.period_key),
    newCustomers: Number(r.new_customers),
    reactivatedCustomers: Number(r.reactivated_customers),
    expandedCustomers: Number(r.expanded_customers),
    contractedCustomers: Number(r.contracted_customers),
    churnedCustomers: Number(r.churned_customers),
  }));
}

/**
 * Ledger sums per calendar period over [from, to]: each movement type, fxImpact and the distinct customers behind
 * each type, keyed by the period's calendar start (`date_trunc`; ISO weeks start on Monday). Plus the MRR at the
 * end of the day before `from`: every row satisfies previous_mrr + amount + fx_impact = mrr, so Σ(amount +
 * fx_impact) over a customer's rows up to a day is its MRR then. lib/metrics/movement-periods.ts holds the rules;
 * a test checks both agree.
 */
export async function sumMovementsByPeriod(
  workspaceId: string,
  db: Executor,
  range: { from: string; to: string; interval: keyof typeof TRUNC_UNIT },
): Promise<{ startMrr: number; periods: MovementSums[] }> {
  const unit = sql.raw(`'${TRUNC_UNIT[range.interval]}'`);
  const period = sql`to_char(date_trunc(${unit}, day::timestamp), 'YYYY-MM-DD')`;
  // Amounts come from the daily rollup (ADR 0009); only the distinct customers need the ledger's moving rows.
  const [[start], sums, counts] = await Promise.all([
    db
      .execute(
        sql`select coalesce(sum(mrr_delta), 0) as mrr from mrr_daily where workspace_id = ${workspaceId} and day < ${range.from}`,
      )
      .then((r) => rowsOf<{ mrr: string | number }>(r)),
    db
      .execute(
        sql`
      select ${period} as period_key, sum(new) as new, sum(expansion) as expansion,
        sum(contraction) as contraction, sum(churn) as churn, sum(reactivation) as reactivation,
        sum(fx_impact) as fx_impact
      from mrr_daily
      where workspace_id = ${workspaceId} and day >= ${range.from} and day <= ${range.to}
      group by 1`,
      )
      .then((r) => rowsOf<Record<string, string | number>>(r)),
    countMoversByPeriod(workspaceId, db, { ...range, customers: null }),
  ]);
  const countsByKey = new Map(counts.map((r) => [r.periodKey, r]));
  return {
    startMrr: Number(start?.mrr ?? 0),
    periods: sums.map((r) => {
      const periodKey = String(r.period_key);
      const c = countsByKey.get(periodKey);
      return {
        periodKey,
        new: Number(r.new),
        expansion: Number(r.expansion),
        contraction: Number(r.contraction),
        churn: Number(r.churn),
        reactivation: Number(r.reactivation),
        fxImpact: Number(r.fx_impact),
        newCustomers: c?.newCustomers ?? 0,
        reactivatedCustomers: c?.reactivatedCustomers ?? 0,
        expandedCustomers: c?.expandedCustomers ?? 0,
        contractedCustomers: c?.contractedCustomers ?? 0,
        churnedCustomers: c?.churnedCustomers ?? 0,
      };
    }),
  };
}
