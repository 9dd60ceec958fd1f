import { and, asc, eq, lte, sql } from "drizzle-orm";
import { splitWindow, type CohortTotals, type DailyTotals, type WindowCorrection } from "@/lib/metrics/headline-totals";
import { ROLLUP_KEYS, type RollupTotals } from "@/lib/metrics/rollup";
import type { Day } from "@/lib/metrics/types";
import { rowsOf, type Executor } from "../client";
import { mrrCohortMonthly, mrrDaily } from "../schema";

const totalsColumns = (table: typeof mrrDaily | typeof mrrCohortMonthly) =>
  Object.fromEntries(ROLLUP_KEYS.map((k) => [k, table[k]])) as {
    [K in (typeof ROLLUP_KEYS)[number]]: typeof table.mrrDelta;
  };

/** The workspace's daily sums up to `to`, by day. */
export async function listDailyTotals(workspaceId: string, db: Executor, to: Day): Promise<DailyTotals[]> {
  return db
    .select({ day: mrrDaily.day, ...totalsColumns(mrrDaily) })
    .from(mrrDaily)
    .where(and(eq(mrrDaily.workspaceId, workspaceId), lte(mrrDaily.day, to)))
    .orderBy(asc(mrrDaily.day));
}

/** The per-cohort monthly sums with cohort and month up to `month` (YYYY-MM). */
export async function listCohortTotals(workspaceId: string, db: Executor, month: string): Promise<CohortTotals[]> {
  return db
    .select({ cohort: mrrCohortMonthly.cohort, month: mrrCohortMonthly.month, ...totalsColumns(mrrCohortMonthly) })
    .from(mrrCohortMonthly)
    .where(
      and(
        eq(mrrCohortMonthly.workspaceId, workspaceId),
        lte(mrrCohortMonthly.cohort, month),
        lte(mrrCohortMonthly.month, month),
      ),
    );
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
 * For each window [start, end], what the cohort sums do not hold (lib/metrics/headline-totals.ts splitWindow):
 * distinct customers with a churn in it (unless `churners` is false: only movement-based churn reads them); customers whose first `new` falls in its leading part month, and how
 * many; returning customers (a reactivation in the window, m ≤ 0 at the end of the day before it, first `new`
 * before its whole months). For the customers named, how many pay at the end, their end MRR and their movements
 * in the window. Reads only the kind index and the named customers' own rows.
 */
export async function listWindowCorrections(
  workspaceId: string,
  db: Executor,
  windows: readonly [Day, Day][],
  opts: { churners?: boolean } = {},
): Promise<Map<string, WindowCorrection>> {
  const churners = opts.churners ?? true;
  const out = new Map<string, WindowCorrection>();
  if (windows.length === 0) return out;
  const values = sql.join(
    windows.map(([start, end], i) => {
      const { headEnd, wholeFrom } = splitWindow(start, end);
      return sql`(${i}::int, ${start}::date, ${end}::date, ${headEnd}::date, ${wholeFrom}::text)`;
    }),
    sql`, `,
  );
  const rows = rowsOf<Record<string, string | number>>(
    await db.execute(sql`
      with w(idx, s, e, head_end, whole_from) as (values ${values}),
      head_new as (
        select w.idx, m.customer_id
        from w cross join lateral (
          select customer_id from mrr_changes
          where workspace_id = ${workspaceId} and kind = 'new' and day >= w.s and day <= w.head_end and first_new) m
        where w.head_end is not null
      ),
      comebacks as (
        select w.idx, r.customer_id
        from w join mrr_changes r
          on r.workspace_id = ${workspaceId} and r.kind = 'reactivation' and r.day >= w.s and r.day <= w.e
        -- m ≤ 0 the day before the window: the spell without paying that this return ends began before it
        where r.cohort < w.whole_from and r.zero_since < w.s
      ),
      named as (select idx, customer_id from head_new union select idx, customer_id from comebacks),
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
      head_counts as (select idx, count(*) as new_customers from head_new group by idx),
      churners as (
        select w.idx, count(distinct c.customer_id) as churned_customers
        from w join mrr_changes c
          on c.workspace_id = ${workspaceId} and c.kind = 'churn' and c.day >= w.s and c.day <= w.e
        where ${churners}::boolean
        group by w.idx
      )
      select w.idx, coalesce(h.new_customers, 0) as new_customers,
        coalesce(c.churned_customers, 0) as churned_customers,
        coalesce(s.entrants, 0) as entrants, coalesce(s.paying_at_end, 0) as paying_at_end,
        coalesce(s.end_mrr, 0) as end_mrr, coalesce(s.expansion, 0) as expansion,
        coalesce(s.contraction, 0) as contraction, coalesce(s.churn, 0) as churn,
        coalesce(s.reactivation, 0) as reactivation
      from w left join head_counts h using (idx) left join churners c using (idx) left join named_sums s using (idx)`),
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
 * currency and the distinct warnings, in one row. Reads the flagged index only.
 */
export async function sumFlaggedAsOf(workspaceId: string, db: Executor, day: Day) {
  const [row] = rowsOf<{ unconverted: Record<string, string | number> | null; warnings: string[] | null }>(
    await db.execute(sql`
      with in_force as (
        select unconverted, warnings from mrr_changes
        where workspace_id = ${workspaceId} and (unconverted is not null or cardinality(warnings) > 0)
          and day <= ${day} and (next_day is null or next_day > ${day})
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
