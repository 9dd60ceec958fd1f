import { sql } from "drizzle-orm";
import type { CohortTotals, DailyTotals, WindowCorrection } from "@/lib/metrics/headline-totals";
import { ROLLUP_KEYS, type RollupTotals } from "@/lib/metrics/rollup";
import type { Day } from "@/lib/metrics/types";
import { rowsOf, type Executor } from "../client";
import { ofCustomers, ROLLUP_SUMS } from "./mrr";

// The workspace totals of ADR 0009 over some customers only: what the finance page reads for a filtered view
// (plan, billing interval, currency, country). The rollups hold workspace sums, so these add up the ledger rows of
// the view's customers in SQL instead; the same columns, the same rules as kpi-totals.ts. With `customers` null
// the window corrections run over everyone.

const snake = (k: string) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

function toTotals(r: Record<string, unknown>): RollupTotals {
  return Object.fromEntries(ROLLUP_KEYS.map((k) => [k, Number(r[snake(k)] ?? 0)])) as RollupTotals;
}

/** mrr_daily as these customers alone would have it: their rows' sums per day up to `to`, by day. */
export async function sumDailyTotalsOf(
  workspaceId: string,
  db: Executor,
  opts: { to: Day; customers: readonly string[] },
): Promise<DailyTotals[]> {
  const rows = rowsOf<Record<string, unknown>>(
    await db.execute(sql`
      select day::text as day, ${ROLLUP_SUMS}
      from mrr_changes
      where workspace_id = ${workspaceId} and day <= ${opts.to} and ${ofCustomers(opts.customers)}
      group by day
      order by day`),
  );
  return rows.map((r) => ({ ...toTotals(r), day: String(r.day) }));
}

/** mrr_cohort_monthly as these customers alone would have it, cohort and month up to `month` (YYYY-MM). */
export async function sumCohortTotalsOf(
  workspaceId: string,
  db: Executor,
  opts: { month: string; customers: readonly string[] },
): Promise<CohortTotals[]> {
  const rows = rowsOf<Record<string, unknown>>(
    await db.execute(sql`
      select cohort, to_char(day, 'YYYY-MM') as month, ${ROLLUP_SUMS}
      from mrr_changes
      where workspace_id = ${workspaceId} and cohort is not null and cohort <= ${opts.month}
        and day < (${`${opts.month}-01`}::date + interval '1 month') and ${ofCustomers(opts.customers)}
      group by 1, 2`),
  );
  return rows.map((r) => ({ ...toTotals(r), cohort: String(r.cohort), month: String(r.month) }));
}

/** Per cohort, the contributions of these customers' rows dated in (after, through] (kpi-totals' sumCohortRows). */
export async function sumCohortRowsOf(
  workspaceId: string,
  db: Executor,
  opts: { after: Day; through: Day; customers: readonly string[] },
): Promise<(RollupTotals & { cohort: string })[]> {
  if (opts.through <= opts.after) return [];
  const rows = rowsOf<Record<string, unknown>>(
    await db.execute(sql`
      select cohort, ${ROLLUP_SUMS}
      from mrr_changes
      where workspace_id = ${workspaceId} and cohort is not null and day > ${opts.after} and day <= ${opts.through}
        and ${ofCustomers(opts.customers)}
      group by cohort`),
  );
  return rows.map((r) => ({ ...toTotals(r), cohort: String(r.cohort) }));
}

/**
 * kpi-totals' listWindowCorrections over some customers only (null: everyone): for each window [start, end], the
 * distinct customers with a new and with a churn in it, and the entrants' count, paying count and MRR at the end,
 * and movements. See there for why the entry rows alone name the entrants.
 */
export async function listWindowCorrectionsOf(
  workspaceId: string,
  db: Executor,
  windows: readonly [Day, Day][],
  customers: readonly string[] | null,
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
      entry as (
        select w.idx, m.customer_id,
          (array_agg(m.kind order by m.day))[1] as first_kind,
          bool_or(m.kind = 'new') as has_new, bool_or(m.kind = 'churn') as has_churn
        from w join mrr_changes m
          on m.workspace_id = ${workspaceId} and m.day >= w.s and m.day <= w.e
          and m.kind in ('new', 'reactivation', 'churn') and ${ofCustomers(customers, sql`m.customer_id`)}
        group by w.idx, m.customer_id
      ),
      counts as (
        select idx, count(*) filter (where has_new) as new_customers,
          count(*) filter (where has_churn) as churned_customers
        from entry group by idx
      ),
      entrant_rows as (
        select e.idx, e.customer_id,
          sum(r.mrr - r.previous_mrr) as end_mrr,
          coalesce(sum(r.amount) filter (where r.kind = 'expansion'), 0) as expansion,
          coalesce(sum(r.amount) filter (where r.kind = 'contraction'), 0) as contraction,
          coalesce(sum(r.amount) filter (where r.kind = 'churn'), 0) as churn,
          coalesce(sum(r.amount) filter (where r.kind = 'reactivation'), 0) as reactivation
        from entry e join w using (idx)
        join mrr_changes r on r.workspace_id = ${workspaceId} and r.customer_id = e.customer_id
          and r.day >= w.s and r.day <= w.e
        where e.first_kind in ('new', 'reactivation')
        group by e.idx, e.customer_id
      ),
      entrant_sums as (
        select idx, count(*) as entrants, count(*) filter (where end_mrr > 0) as paying_at_end,
          sum(end_mrr) as end_mrr, sum(expansion) as expansion, sum(contraction) as contraction,
          sum(churn) as churn, sum(reactivation) as reactivation
        from entrant_rows group by idx
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

/** These customers' ledger rows in force at the end of `day` that carry an unconverted part or a warning. */
export async function listFlaggedRowsOf(
  workspaceId: string,
  db: Executor,
  opts: { day: Day; customers: readonly string[] },
) {
  const rows = rowsOf<{ unconverted: Record<string, number> | null; warnings: string[] }>(
    await db.execute(sql`
      select distinct on (customer_id) customer_id, unconverted, warnings
      from mrr_changes
      where workspace_id = ${workspaceId} and day <= ${opts.day} and ${ofCustomers(opts.customers)}
        and customer_id in (
          select customer_id from mrr_changes
          where workspace_id = ${workspaceId} and (unconverted is not null or cardinality(warnings) > 0))
      order by customer_id, day desc`),
  );
  return rows.filter((r) => r.unconverted !== null || r.warnings.length > 0);
}
