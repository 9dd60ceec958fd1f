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
import { computeCustomerChurnRate, computeRevenueRetention } from "@/lib/metrics/finance-retention";
import type { Headline } from "@/lib/metrics/headline";
import { computeHeadlineFromTotals } from "@/lib/metrics/headline-totals";
import { indexLedger, listDailyMrr, summarizeWindow } from "@/lib/metrics/ledger";
import { computeMovementPeriods, type MovementRow } from "@/lib/metrics/movement-periods";
import type { MrrChange } from "@/lib/metrics/movements";
import type { MetricPolicy } from "@/lib/metrics/policy";
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

/**
 * Per-period retention over the view's periods (metrics.md §4.1): S is taken at the end of the day before each
 * period, E at its last day; the rules are lib/metrics's. The whole-ledger reference of loadPeriodPoints (and the
 * overview's sparklines).
 */
export function computePeriodPoints(
  changes: readonly MrrChange[],
  policy: MetricPolicy,
  range: { from: Day; to: Day; interval: FinanceParams["interval"] },
): { points: PeriodPoint[]; rows: MovementRow[][] } {
  const movements = computeMovementPeriods({ changes, ...range });
  const index = indexLedger(changes);
  // ARR per point under the workspace's basis: 12 × MRR, or 12 × the MRR of yearly-or-longer items.
  const annual =
    policy.arr === "annualContractsOnly"
      ? new Map(
          listDailyMrr(
            changes.map((c) => ({ ...c, mrr: c.annualMrr })),
            range.from,
            range.to,
          ).map((d) => [d.day, d.mrr]),
        )
      : null;
  const points = movements.value.map((p) => {
    const windows = summarizeWindow(index, p.start, p.end);
    const retention = computeRevenueRetention(windows);
    return {
      ...p,
      arr: annual ? 12 * (annual.get(p.end) ?? 0) : 12 * p.endMrr,
      customerChurnRate: computeCustomerChurnRate(windows, policy).value,
      grossRevenueChurnRate: retention.grossRevenueChurnRate.value,
      nrr: retention.nrr.value,
      grr: retention.grr.value,
    };
  });
  return { points, rows: movements.breakdown.periods.map((p) => p.rows) };
}

type ViewRange = { from: Day; to: Day; interval: FinanceParams["interval"] };

/**
 * The chart's points over the view's range from totals: the view's daily and cohort sums, the retention
 * corrections of each period and the distinct movers per period (computePeriodPoints gives the same from the whole
 * ledger). `sums`, when given, must hold the view's sums up to `range.to`.
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
    // The comparison reads its own period's payments, trials and spend, as that day's headline would.
    previousPeriod ? loadTotalsInput(workspace, db, { ...view, asOf: previousPeriod.end }) : null,
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
