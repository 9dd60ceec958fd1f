import { sql } from "drizzle-orm";
import type { CohortTotals, DailyTotals } from "@/lib/metrics/headline-totals";
import { ROLLUP_KEYS, type RollupTotals } from "@/lib/metrics/rollup";
import type { Day } from "@/lib/metrics/types";
import { rowsOf, type Executor } from "../client";
import { ofCustomers, ROLLUP_SUMS, snakeCase } from "./mrr";

// The workspace totals of ADR 0009 over some customers only: what the finance page reads for a filtered view
// (plan, billing interval, currency, country). The rollups hold workspace sums, so these add up the ledger rows of
// the view's customers in SQL instead; the same columns, the same rules as kpi-totals.ts (whose window corrections
// and FX flags take a customer subset themselves).

function toTotals(r: Record<string, unknown>): RollupTotals {
  return Object.fromEntries(ROLLUP_KEYS.map((k) => [k, Number(r[snakeCase(k)] ?? 0)])) as RollupTotals;
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
