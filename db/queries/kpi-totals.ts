import { sql, type SQL } from "drizzle-orm";
import { splitWindow, type CohortTotals, type DailyTotals, type WindowCorrection } from "@/lib/metrics/headline-totals";
import { emptyTotals, flagsInForce, ROLLUP_KEYS, type RollupTotals } from "@/lib/metrics/rollup";
import type { Day } from "@/lib/metrics/types";
import { addDays, endOfPeriod, minDay } from "@/lib/metrics/time";
import { rowsOf, type Executor } from "../client";
import { ofCustomers, snakeCase } from "./mrr";

const TOTALS_ARRAY = sql.raw(ROLLUP_KEYS.map((k) => `"${snakeCase(k)}"`).join(", "));

/** Rollup rows come back as one json array of arrays: a thousand rows parse in one JSON.parse, not per column. */
function unpack(row: readonly unknown[], from: number): RollupTotals {
  const t = emptyTotals();
  ROLLUP_KEYS.forEach((k, i) => (t[k] = Number(row[from + i])));
  return t;
}

/** The workspace's daily sums up to `to`, by day. */
export async function listDailyTotals(workspaceId: string, db: Executor, to: Day): Promise<DailyTotals[]> {
  const [result] = rowsOf<{ rows: [Day, ...number[]][] }>(
    await db.execute(sql`
      select coalesce(json_agg(json_build_array(day, ${TOTALS_ARRAY}) order by day), '[]'::json) as rows
      from mrr_daily where workspace_id = ${workspaceId} and day <= ${to}`),
  );
  return (result?.rows ?? []).map((r) => ({ ...unpack(r, 1), day: r[0] }));
}

/** The per-cohort monthly sums with cohort and month up to `month` (YYYY-MM). */
export async function listCohortTotals(workspaceId: string, db: Executor, month: string): Promise<CohortTotals[]> {
  const [result] = rowsOf<{ rows: [string, string, ...number[]][] }>(
    await db.execute(sql`
      select coalesce(json_agg(json_build_array(cohort, month, ${TOTALS_ARRAY})), '[]'::json) as rows
      from mrr_cohort_monthly where workspace_id = ${workspaceId} and cohort <= ${month} and month <= ${month}`),
  );
  return (result?.rows ?? []).map((r) => ({ ...unpack(r, 2), cohort: r[0], month: r[1] }));
}

/** Per cohort, the contributions of ledger rows dated in (after, through]: what a month cell holds past a day. */
export async function sumCohortRows(
  workspaceId: string,
  db: Executor,
  range: { after: Day; through: Day },
): Promise<(RollupTotals & { cohort: string })[]> {
  if (range.through <= range.after) return [];
  const rows = rowsOf<Record<string, string | number>>(
    await db.execute(sql`
      select cohort,
        coalesce(sum(mrr - previous_mrr), 0) as "mrrDelta",
        coalesce(sum((mrr > 0)::int - (previous_mrr > 0)::int), 0) as "positiveDelta",
        count(*) filter (where first_new) as members,
        coalesce(sum(amount) filter (where first_new), 0) as "initialMrr",
        coalesce(sum(amount) filter (where kind = 'new'), 0) as new,
        coalesce(sum(amount) filter (where kind = 'expansion'), 0) as expansion,
        coalesce(sum(amount) filter (where kind = 'contraction'), 0) as contraction,
        coalesce(sum(amount) filter (where kind = 'churn'), 0) as churn,
        coalesce(sum(amount) filter (where kind = 'reactivation'), 0) as reactivation
      from mrr_changes
      where workspace_id = ${workspaceId} and cohort is not null and day > ${range.after} and day <= ${range.through}
      group by cohort`),
  );
  return rows.map((r) => {
    const t = Object.fromEntries(ROLLUP_KEYS.map((k) => [k, Number(r[k] ?? 0)])) as RollupTotals;
    return { ...t, cohort: String(r.cohort) };
  });
}

/**
 * For each window [start, end] as of `asOf`, what the cohort sums do not hold (lib/metrics/headline-totals.ts
 * splitWindow): distinct customers with a churn in it (unless `churners` is false: only movement-based churn reads
 * them); customers whose first `new` falls in its part months, and how many; returning customers (a reactivation
 * in the window ending a spell without paying that began before it). For the customers named, how many pay at the
 * end, their end MRR and their movements in the window. With `customers`, only those customers count (a filtered
 * view). Reads only the kind index and the named customers' own rows.
 */
export async function listWindowCorrections(
  workspaceId: string,
  db: Executor,
  windows: readonly [Day, Day][],
  opts: { asOf: Day; churners?: boolean; customers?: readonly string[] | null },
): Promise<Map<string, WindowCorrection>> {
  const out = new Map<string, WindowCorrection>();
  if (windows.length === 0) return out;
  const churners = opts.churners ?? true;
  const mine = (column: SQL) => ofCustomers(opts.customers ?? null, column);
  const values = sql.join(
    windows.map(([start, end], i) => {
      // The part months: before the whole months, and after them when the window ends inside a month.
      const whole = splitWindow(start, end, opts.asOf);
      const wholeStart = whole ? `${whole.from}-01` : null;
      const wholeEnd = whole ? minDay(end, endOfPeriod(`${whole.to}-01`, "month")) : null;
      const head = !wholeStart ? [start, end] : start < wholeStart ? [start, addDays(wholeStart, -1)] : [null, null];
      const tail = wholeEnd && wholeEnd < end ? [addDays(wholeEnd, 1), end] : [null, null];
      return sql`(${i}::int, ${start}::date, ${end}::date, ${head[0]}::date, ${head[1]}::date, ${tail[0]}::date, ${tail[1]}::date)`;
    }),
    sql`, `,
  );
  const rows = rowsOf<Record<string, string | number>>(
    await db.execute(sql`
      with w(idx, s, e, head_from, head_to, tail_from, tail_to) as (values ${values}),
      part_new as (
        select w.idx, m.customer_id
        from w cross join lateral (
          select customer_id from mrr_changes
          where workspace_id = ${workspaceId} and kind = 'new' and day >= w.head_from and day <= w.head_to
            and first_new and ${mine(sql`customer_id`)}
          union all
          select customer_id from mrr_changes
          where workspace_id = ${workspaceId} and kind = 'new' and day >= w.tail_from and day <= w.tail_to
            and first_new and ${mine(sql`customer_id`)}) m
      ),
      comebacks as (
        select w.idx, r.customer_id
        from w join mrr_changes r
          on r.workspace_id = ${workspaceId} and r.kind = 'reactivation' and r.day >= w.s and r.day <= w.e
        -- m ≤ 0 the day before the window: the spell without paying that this return ends began before it
        where r.zero_since < w.s and ${mine(sql`r.customer_id`)}
      ),
      named as (select idx, customer_id from part_new union select idx, customer_id from comebacks),
      named_rows as (
        select n.idx, n.customer_id,
          sum(r.mrr - r.previous_mrr) as end_mrr,
          coalesce(sum(r.amount) filter (where r.kind = 'expansion'), 0) as expansion,
          coalesce(sum(r.amount) filter (where r.kind = 'contraction'), 0) as contraction,
          coalesce(sum(r.amount) filter (where r.kind = 'churn'), 0) as churn,
          coalesce(sum(r.amount) filter (where r.kind = 'reactivation'), 0) as reactivation
        from named n join w using (idx)
        join mrr_changes r on r.workspace_id = ${workspaceId} and r.customer_id = n.customer_id
          and r.day >= w.s and r.day <= w.e
        group by n.idx, n.customer_id
      ),
      named_sums as (
        select idx, count(*) as entrants, count(*) filter (where end_mrr > 0) as paying_at_end,
          sum(end_mrr) as end_mrr, sum(expansion) as expansion, sum(contraction) as contraction,
          sum(churn) as churn, sum(reactivation) as reactivation
        from named_rows group by idx
      ),
      part_counts as (select idx, count(*) as new_customers from part_new group by idx),
      churners as (
        select w.idx, count(distinct c.customer_id) as churned_customers
        from w join mrr_changes c
          on c.workspace_id = ${workspaceId} and c.kind = 'churn' and c.day >= w.s and c.day <= w.e
        where ${churners}::boolean and ${mine(sql`c.customer_id`)}
        group by w.idx
      )
      select w.idx, coalesce(h.new_customers, 0) as new_customers,
        coalesce(c.churned_customers, 0) as churned_customers,
        coalesce(s.entrants, 0) as entrants, coalesce(s.paying_at_end, 0) as paying_at_end,
        coalesce(s.end_mrr, 0) as end_mrr, coalesce(s.expansion, 0) as expansion,
        coalesce(s.contraction, 0) as contraction, coalesce(s.churn, 0) as churn,
        coalesce(s.reactivation, 0) as reactivation
      from w left join part_counts h using (idx) left join churners c using (idx) left join named_sums s using (idx)`),
  );
  for (const r of rows) {
    const window = windows[Number(r.idx)];
    if (!window) continue;
    out.set(`${window[0]}|${window[1]}`, {
      newCustomers: Number(r.new_customers),
      churnedCustomers: churners ? Number(r.churned_customers) : null,
      entrants: Number(r.entrants),
      entrantsPayingAtEnd: Number(r.paying_at_end),
      entrantsEndMrr: Number(r.end_mrr),
      expansion: Number(r.expansion),
      contraction: Number(r.contraction),
      churn: Number(r.churn),
      reactivation: Number(r.reactivation),
    });
  }
  return out;
}

/**
 * What the ledger rows in force at the end of `day` carry as unconverted parts and warnings: Σ unconverted per
 * currency and the distinct warnings (sorted). For the whole workspace it sums mrr_flag_daily up to the day; for
 * some customers it reads their flagged rows (`sumFlaggedRowsAsOf`).
 */
export async function sumFlaggedAsOf(
  workspaceId: string,
  db: Executor,
  day: Day,
  customers: readonly string[] | null = null,
) {
  if (customers) return sumFlaggedRowsAsOf(workspaceId, db, day, customers);
  const rows = rowsOf<{ flag: string; rows: string | number; amount: string | number }>(
    await db.execute(sql`
      select flag, sum("rows") as "rows", sum(amount) as amount from mrr_flag_daily
      where workspace_id = ${workspaceId} and day <= ${day}
      group by flag`),
  );
  const { unconverted, warnings } = flagsInForce(
    rows.map((r) => [r.flag, { rows: Number(r.rows), amount: Number(r.amount) }]),
  );
  return { unconverted: Object.keys(unconverted).length > 0 ? unconverted : null, warnings };
}

/**
 * The changes of mrr_flag_daily up to `to`, summed by day and flag, in day order: `flagsAtDays` (lib/metrics/rollup.ts)
 * reads from them the flags in force at the end of each period of a movements answer.
 */
export async function listFlagChanges(workspaceId: string, db: Executor, to: Day) {
  return rowsOf<{ day: string; flag: string; rows: string | number; amount: string | number }>(
    await db.execute(sql`
      select day::text as day, flag, sum("rows") as "rows", sum(amount) as amount from mrr_flag_daily
      where workspace_id = ${workspaceId} and day <= ${to}
      group by day, flag order by day, flag`),
  ).map((r) => ({ day: r.day, flag: r.flag, rows: Number(r.rows), amount: Number(r.amount) }));
}

/** `sumFlaggedAsOf` from the ledger rows themselves (of some customers only, when given): the flagged index. */
export async function sumFlaggedRowsAsOf(
  workspaceId: string,
  db: Executor,
  day: Day,
  customers: readonly string[] | null = null,
) {
  const [row] = rowsOf<{ unconverted: Record<string, string | number> | null; warnings: string[] | null }>(
    await db.execute(sql`
      with in_force as (
        select unconverted, warnings from mrr_changes
        where workspace_id = ${workspaceId} and (unconverted is not null or cardinality(warnings) > 0)
          and day <= ${day} and (next_day is null or next_day > ${day}) and ${ofCustomers(customers)}
      )
      select
        (select jsonb_object_agg(currency, total) from (
           select u.key as currency, sum(u.value::numeric) as total
           from in_force, jsonb_each_text(in_force.unconverted) u group by u.key) t) as unconverted,
        (select array_agg(distinct x) from in_force, unnest(in_force.warnings) x) as warnings`),
  );
  const unconverted = Object.fromEntries(Object.entries(row?.unconverted ?? {}).map(([k, v]) => [k, Number(v)]));
  return { unconverted: Object.keys(unconverted).length > 0 ? unconverted : null, warnings: row?.warnings ?? [] };
}
