import type { Executor } from "@/db/client";
import {
  hasFilter,
  listFilteredCustomerIds,
  listBreakdownAndOptions,
  type CustomerFilter,
  type FilterOptions,
  type RevenueBreakdown,
} from "@/db/queries/dashboard";
import {
  listFlaggedRowsOf,
  listWindowCorrectionsOf,
  sumCohortRowsOf,
  sumCohortTotalsOf,
  sumDailyTotalsOf,
} from "@/db/queries/dashboard-totals";
import { listChargeRecords, listInvoiceRecords, listRefundRecords, listTrialHistories } from "@/db/queries/finance";
import { listDailyTotals, listWindowCorrections } from "@/db/queries/kpi-totals";
import { countMoversByPeriod } from "@/db/queries/mrr";
import { computeCustomerChurnRate, computeRevenueRetention } from "@/lib/metrics/finance-retention";
import type { Headline } from "@/lib/metrics/headline";
import {
  computeHeadlineFromTotals,
  listNeededWindows,
  type CohortTotals,
  type DailyTotals,
  type TotalsInput,
} from "@/lib/metrics/headline-totals";
import { indexLedger, listDailyMrr, summarizeWindow } from "@/lib/metrics/ledger";
import { computeMovementPeriods, type MovementRow } from "@/lib/metrics/movement-periods";
import type { MrrChange } from "@/lib/metrics/movements";
import type { MetricPolicy } from "@/lib/metrics/policy";
import {
  comparisonPeriod,
  endOfLocalDay,
  endOfPeriod,
  resolvePeriod,
  startOfLocalDay,
  type ReportPeriod,
} from "@/lib/metrics/time";
import { listTrialOutcomes } from "@/lib/metrics/trials";
import type { Day } from "@/lib/metrics/types";
import type { Workspace } from "@/lib/workspaces/context";
import type { FinanceParams } from "./dashboard-params";
import { computePointsFromTotals, listPointWindows, type PeriodPoint } from "./dashboard-points";
import { loadMarketingSpend, loadTotalsInput } from "./finance";
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
 * The headline's input for a view as of the end of `asOf`: the rollups (ADR 0009) for the whole workspace; for a
 * filtered view (`customers` set) the same sums over those customers' ledger rows, and their payments and trials.
 * `sums` may be passed in when an earlier call already summed the view's days and cohorts up to a later day.
 */
async function loadViewTotals(
  workspace: Workspace,
  db: Executor,
  opts: {
    asOf: Day;
    interval: FinanceParams["interval"];
    config: MetricConfig;
    customers: readonly string[] | null;
    sums?: Promise<{ daily: DailyTotals[]; cohorts: CohortTotals[] }>;
  },
): Promise<TotalsInput> {
  const { asOf, interval, config, customers } = opts;
  if (!customers) return loadTotalsInput(workspace, db, { asOf, interval, config });
  const sums = opts.sums ?? loadViewSums(workspace, db, { to: asOf, customers });
  const [records, { daily, cohorts }, windows, cohortTail, flagged] = await Promise.all([
    loadPeriodRecords(workspace, db, { asOf, interval, config }),
    sums,
    listWindowCorrectionsOf(
      workspace.id,
      db,
      listNeededWindows({ asOf, interval, settings: config.settings }),
      customers,
    ),
    sumCohortRowsOf(workspace.id, db, { after: asOf, through: endOfPeriod(asOf, "month"), customers }),
    listFlaggedRowsOf(workspace.id, db, { day: asOf, customers }),
  ]);
  const ids = new Set(customers);
  const keep = <T extends { customerId: string | null }>(list: readonly T[]) =>
    list.filter((x) => x.customerId !== null && ids.has(x.customerId));
  return {
    asOf,
    interval,
    policy: config.policy,
    settings: config.settings,
    timeZone: workspace.timezone,
    reportingCurrency: workspace.currency,
    fxRates: config.fxRates,
    daily,
    windows,
    cohorts,
    cohortTail,
    flagged,
    trials: keep(records.trials),
    invoices: keep(records.invoices),
    charges: keep(records.charges),
    refunds: keep(records.refunds),
    // Marketing spend is not per customer: a filtered view's CAC divides the whole spend by its new customers.
    marketingSpend: records.marketingSpend,
  };
}

/**
 * The records of the period ending `asOf` that the headline reads besides the ledger sums, for every customer: the
 * trial outcomes, invoices, charges and refunds, and the marketing spend (the part of loadTotalsInput a filtered
 * view does not replace with its own sums).
 */
async function loadPeriodRecords(
  workspace: Workspace,
  db: Executor,
  opts: { asOf: Day; interval: FinanceParams["interval"]; config: MetricConfig },
) {
  const before = new Date(endOfLocalDay(opts.asOf, workspace.timezone));
  const period = resolvePeriod(opts.asOf, opts.interval);
  const from = new Date(startOfLocalDay(period.start, workspace.timezone));
  const [trialHistories, invoices, charges, refunds, marketingSpend] = await Promise.all([
    listTrialHistories(workspace.id, db, { from, before }),
    listInvoiceRecords(workspace.id, db, { before, from }),
    listChargeRecords(workspace.id, db, { before, from }),
    listRefundRecords(workspace.id, db, { before, from }),
    loadMarketingSpend(workspace, db, period, opts.config),
  ]);
  const trials = listTrialOutcomes({
    versions: trialHistories.filter((v) => v.validFrom < before.getTime()),
    policy: opts.config.policy,
    timeZone: workspace.timezone,
    asOf: opts.asOf,
  });
  return { trials, invoices, charges, refunds, marketingSpend };
}

/** A filtered view's daily and cohort sums up to `to` (the rollups as its customers alone would have them). */
async function loadViewSums(
  workspace: Workspace,
  db: Executor,
  opts: { to: Day; customers: readonly string[] },
): Promise<{ daily: DailyTotals[]; cohorts: CohortTotals[] }> {
  const [daily, cohorts] = await Promise.all([
    sumDailyTotalsOf(workspace.id, db, opts),
    sumCohortTotalsOf(workspace.id, db, { month: opts.to.slice(0, 7), customers: opts.customers }),
  ]);
  return { daily, cohorts };
}

/**
 * The chart's points over the view's range from totals: the view's daily sums, the retention corrections of each
 * period and the distinct movers per period (computePeriodPoints gives the same from the whole ledger).
 * `daily`, when given, must hold the view's daily sums up to at least `range.to`.
 */
export async function loadPeriodPoints(
  workspace: Workspace,
  db: Executor,
  opts: {
    range: ViewRange;
    policy: MetricConfig["policy"];
    customers: readonly string[] | null;
    daily?: Promise<readonly DailyTotals[]>;
  },
): Promise<PeriodPoint[]> {
  const { range, customers } = opts;
  const windows = listPointWindows(range);
  const [daily, corrections, movers] = await Promise.all([
    opts.daily ??
      (customers
        ? sumDailyTotalsOf(workspace.id, db, { to: range.to, customers })
        : listDailyTotals(workspace.id, db, range.to)),
    customers
      ? listWindowCorrectionsOf(workspace.id, db, windows, customers)
      : listWindowCorrections(workspace.id, db, windows),
    countMoversByPeriod(workspace.id, db, { from: range.from, to: range.to, interval: range.interval, customers }),
  ]);
  return computePointsFromTotals({ daily, windows: corrections, movers, policy: opts.policy, range });
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
  const sums = customers ? loadViewSums(workspace, db, { to: params.to, customers }) : undefined;
  const view = { interval: params.interval, config, customers, ...(sums ? { sums } : {}) };
  const [current, previous, points, { breakdown, options }] = await Promise.all([
    loadViewTotals(workspace, db, { ...view, asOf: params.to }),
    // The comparison reads its own period's payments, trials and spend, as that day's headline would.
    previousPeriod ? loadViewTotals(workspace, db, { ...view, asOf: previousPeriod.end }) : null,
    loadPeriodPoints(workspace, db, {
      range: params,
      policy: config.policy,
      customers,
      ...(sums ? { daily: sums.then((s) => s.daily) } : {}),
    }),
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
