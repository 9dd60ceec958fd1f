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
  // An entrant's first new/reactivation/churn row in the window is a new or a reactivation: a customer paying
  // before the window must churn before it can come back. So the entry rows alone name the entrants, and their
  // MRR at the end of the window is the sum of their changes in it (they start from 0).
  const rows = rowsOf<Record<string, string | number>>(
    await db.execute(sql`
      with w(idx, s, e) as (values ${values}),
      entry as (
        select w.idx, m.customer_id,
          (array_agg(m.kind order by m.day))[1] as first_kind,
          bool_or(m.kind = 'new') as has_new, bool_or(m.kind = 'churn') as has_churn
        from w join mrr_changes m
          on m.workspace_id = ${workspaceId} and m.day >= w.s and m.day <= w.e
          and m.kind in ('new', 'reactivation', 'churn')
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
