import type { Executor } from "@/db/client";
import {
  hasFilter,
  listFilteredCustomerIds,
  listBreakdownAndOptions,
  type CustomerFilter,
  type FilterOptions,
  type RevenueBreakdown,
} from "@/db/queries/dashboard";
import { listWindowCorrections } from "@/db/queries/kpi-totals";
import { countMoversByPeriod } from "@/db/queries/mrr";
import type { Headline } from "@/lib/metrics/headline";
import { computeHeadlineFromTotals } from "@/lib/metrics/headline-totals";
import { comparisonPeriod, resolvePeriod, type ReportPeriod } from "@/lib/metrics/time";
import type { Day } from "@/lib/metrics/types";
import type { Workspace } from "@/lib/workspaces/context";
import type { FinanceParams } from "./dashboard-params";
import { computePointsFromTotals, listPointWindows, type PeriodPoint } from "./dashboard-points";
import { loadCohortTail, loadTotalsInput, loadViewSums, type ViewSums } from "./finance";
import { getMetricConfig, type MetricConfig } from "./settings";

export type { PeriodPoint } from "./dashboard-points";

export type FinanceHeadline = Omit<Headline, "kpis">;

export type FinanceDashboard = {
  period: ReportPeriod;
  previousPeriod: ReportPeriod | null;
  /** The view's headline (the customers behind each KPI are the drill-down pages' business). */
  headline: FinanceHeadline;
  previous: FinanceHeadline | null;
  points: PeriodPoint[];
  breakdown: RevenueBreakdown;
  options: FilterOptions;
  marketingSpend: number | null;
};

type ViewRange = { from: Day; to: Day; interval: FinanceParams["interval"] };

/**
 * The chart's points over the view's range from totals: the view's daily and cohort sums, the retention
 * corrections of each period and the distinct movers per period (computePeriodPoints in testing/reference.ts
 * gives the same from the whole ledger). `sums`, when given, must hold the view's sums up to `range.to`.
 */
export async function loadPeriodPoints(
  workspace: Workspace,
  db: Executor,
  opts: {
    range: ViewRange;
    policy: MetricConfig["policy"];
    customers: readonly string[] | null;
    sums?: Promise<ViewSums>;
  },
): Promise<PeriodPoint[]> {
  const { range, customers } = opts;
  const windows = listPointWindows(range);
  const [sums, cohortTail, corrections, movers] = await Promise.all([
    opts.sums ?? loadViewSums(workspace, db, { to: range.to, customers }),
    loadCohortTail(workspace, db, range.to, customers),
    listWindowCorrections(workspace.id, db, windows, {
      asOf: range.to,
      churners: opts.policy.churnRateBasis === "movements",
      customers,
    }),
    countMoversByPeriod(workspace.id, db, { from: range.from, to: range.to, interval: range.interval, customers }),
  ]);
  return computePointsFromTotals({ ...sums, cohortTail, windows: corrections, movers, policy: opts.policy, range });
}

/** The ids of the view's customers, or null when the view has no filter (everyone). */
export async function listViewCustomers(
  workspace: Workspace,
  db: Executor,
  filter: CustomerFilter,
): Promise<string[] | null> {
  return hasFilter(filter) ? listFilteredCustomerIds(workspace.id, db, filter) : null;
}

/**
 * Everything the finance page shows, for the view in the URL: the headline and the comparison from totals, the
 * chart's points, the MRR breakdown and the filter options, read in parallel. None of it loads rows per customer
 * (a filtered view sums its customers' ledger rows in SQL); the customers behind a number are the drill-down
 * pages' business, paged there.
 */
export async function loadFinanceDashboard(
  workspace: Workspace,
  db: Executor,
  params: FinanceParams,
): Promise<FinanceDashboard> {
  const filter: CustomerFilter = params.filter;
  const [config, customers] = await Promise.all([
    getMetricConfig(workspace.id, db),
    listViewCustomers(workspace, db, filter),
  ]);
  const period = resolvePeriod(params.to, params.interval);
  const previousPeriod = params.compare ? comparisonPeriod(period, params.interval) : null;
  // One read of the view's sums up to its last day serves the view, its comparison and its points.
  const sums = loadViewSums(workspace, db, { to: params.to, customers });
  const view = { interval: params.interval, config, customers, sums };
  const [current, previous, points, { breakdown, options }] = await Promise.all([
    loadTotalsInput(workspace, db, { ...view, asOf: params.to }),
    // The comparison reads its own period's payments, trials and spend, as that day's headline would. No tile
    // compares the trailing-year NRR, so it skips that window.
    previousPeriod ? loadTotalsInput(workspace, db, { ...view, asOf: previousPeriod.end, trailingYear: false }) : null,
    loadPeriodPoints(workspace, db, { range: params, policy: config.policy, customers, sums }),
    listBreakdownAndOptions(workspace.id, db, { day: params.to, filter }),
  ]);
  return {
    period,
    previousPeriod,
    headline: computeHeadlineFromTotals(current),
    previous: previous ? computeHeadlineFromTotals(previous) : null,
    points,
    breakdown,
    options,
    marketingSpend: current.marketingSpend ?? null,
  };
}
