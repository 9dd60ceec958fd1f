import { and, asc, eq, lte, sql } from "drizzle-orm";
import type { CohortTotals, DailyTotals, WindowCorrection } from "@/lib/metrics/headline-totals";
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
        coalesce(sum(amount) filter (where first_new), 0) as "initialMrr"
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
 * For each window [start, end]: distinct customers with a new and with a churn movement in it, and the entrants
 * (customers with a new or reactivation in it and m ≤ 0 at the end of the day before it): how many, how many pay
 * at the end, their end MRR and their movements. Reads only the ledger's entry rows and the entrants' own rows.
 */
export async function listWindowCorrections(
  workspaceId: string,
  db: Executor,
  windows: readonly [Day, Day][],
): Promise<Map<string, WindowCorrection>> {
  const out = new Map<string, WindowCorrection>();
  if (windows.length === 0) return out;
  const values = sql.join(
    windows.map(([start, end], i) => sql`(${i}::int, ${start}::date, ${end}::date)`),
    sql`, `,
  );
  const rows = rowsOf<Record<string, string | number>>(
    await db.execute(sql`
      with w(idx, s, e) as (values ${values}),
      moves as (
        select w.idx, m.customer_id, m.kind
        from w join mrr_changes m
          on m.workspace_id = ${workspaceId} and m.day >= w.s and m.day <= w.e
          and m.kind in ('new', 'reactivation', 'churn')
      ),
      counts as (
        select idx,
          count(distinct customer_id) filter (where kind = 'new') as new_customers,
          count(distinct customer_id) filter (where kind = 'churn') as churned_customers
        from moves group by idx
      ),
      entrants as (
        select x.idx, x.customer_id, w.s, w.e
        from (select distinct idx, customer_id from moves where kind in ('new', 'reactivation')) x
        join w using (idx)
        where coalesce((
          select b.mrr from mrr_changes b
          where b.workspace_id = ${workspaceId} and b.customer_id = x.customer_id and b.day < w.s
          order by b.day desc limit 1), 0) <= 0
      ),
      entrant_sums as (
        select e.idx,
          count(*) as entrants,
          count(*) filter (where t.end_mrr > 0) as paying_at_end,
          coalesce(sum(t.end_mrr), 0) as end_mrr,
          coalesce(sum(t.expansion), 0) as expansion, coalesce(sum(t.contraction), 0) as contraction,
          coalesce(sum(t.churn), 0) as churn, coalesce(sum(t.reactivation), 0) as reactivation
        from entrants e
        cross join lateral (
          select (array_agg(r.mrr order by r.day desc))[1] as end_mrr,
            sum(r.amount) filter (where r.kind = 'expansion') as expansion,
            sum(r.amount) filter (where r.kind = 'contraction') as contraction,
            sum(r.amount) filter (where r.kind = 'churn') as churn,
            sum(r.amount) filter (where r.kind = 'reactivation') as reactivation
          from mrr_changes r
          where r.workspace_id = ${workspaceId} and r.customer_id = e.customer_id and r.day >= e.s and r.day <= e.e
        ) t
        group by e.idx
      )
      select w.idx, coalesce(c.new_customers, 0) as new_customers, coalesce(c.churned_customers, 0) as churned_customers,
        coalesce(s.entrants, 0) as entrants, coalesce(s.paying_at_end, 0) as paying_at_end,
        coalesce(s.end_mrr, 0) as end_mrr, coalesce(s.expansion, 0) as expansion,
        coalesce(s.contraction, 0) as contraction, coalesce(s.churn, 0) as churn,
        coalesce(s.reactivation, 0) as reactivation
      from w left join counts c using (idx) left join entrant_sums s using (idx)`),
  );
  for (const r of rows) {
    const window = windows[Number(r.idx)];
    if (!window) continue;
    out.set(`${window[0]}|${window[1]}`, {
      newCustomers: Number(r.new_customers),
      churnedCustomers: Number(r.churned_customers),
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

/** The ledger rows in force at the end of `day` that carry an unconverted part or a warning. */
export async function listFlaggedRowsAsOf(workspaceId: string, db: Executor, day: Day) {
  const rows = rowsOf<{ unconverted: Record<string, number> | null; warnings: string[] }>(
    await db.execute(sql`
      select distinct on (customer_id) customer_id, unconverted, warnings
      from mrr_changes
      where workspace_id = ${workspaceId} and day <= ${day}
        and customer_id in (
          select customer_id from mrr_changes
          where workspace_id = ${workspaceId} and (unconverted is not null or cardinality(warnings) > 0))
      order by customer_id, day desc`),
  );
  return rows.filter((r) => r.unconverted !== null || r.warnings.length > 0);
}
