import type { Executor } from "@/db/client";
import {
  listPaidInvoiceGroups,
  listRecoveryGroups,
  countTrialOutcomes,
  listOtherCashGroups,
} from "@/db/queries/finance";
import { sumCohortRowsOf, sumCohortTotalsOf, sumDailyTotalsOf } from "@/db/queries/dashboard-totals";
import {
  listCohortTotals,
  listDailyTotals,
  listFlagChanges,
  listWindowCorrections,
  sumCohortRows,
  sumFlaggedOnDays,
} from "@/db/queries/kpi-totals";
import { sumMovementsByPeriod } from "@/db/queries/mrr";
import {
  computeHeadlineFromTotals,
  findUncountedWindow,
  listNeededWindows,
  type CohortTotals,
  type DailyTotals,
  type TotalsInput,
} from "@/lib/metrics/headline-totals";
import { listBaseDays, type Headline } from "@/lib/metrics/headline";
import type { MovementPeriod } from "@/lib/metrics/movement-periods";
import { toPoliciesObject, type PoliciesObject } from "@/lib/metrics/policy";
import { flagsAtDays, type FlagsInForce } from "@/lib/metrics/rollup";
import { buildRateTable, flowConverter } from "@/lib/metrics/fx";
import { computeMarketingSpend } from "@/lib/metrics/marketing";
import {
  endOfLocalDay,
  endOfPeriod,
  listPeriods,
  resolvePeriod,
  startOfLocalDay,
  startOfPeriod,
  type Interval,
} from "@/lib/metrics/time";
import { listIngestRecords } from "@/lib/ingest/load";
import type { Day } from "@/lib/metrics/types";
import type { Workspace } from "@/lib/workspaces/context";
import { getMetricConfig, type MetricConfig } from "./settings";

/**
 * Marketing spend in P, each row converted at its own day's rate (§1.1), with what it left out: `total` in
 * reporting minor units; `unconverted`, the rows without a rate in their original minor units per currency; and
 * `warnings` (`missing_fx_rate:<currency>:<day>`, `stale_fx_rate:…`). Null when P holds no spend records: CAC is
 * unknown then, not zero. `unconverted` and `warnings` go to the headline as FinanceInput.marketingSpendFx.
 */
export async function loadMarketingSpend(
  workspace: Workspace,
  db: Executor,
  period: { start: Day; end: Day },
  config: MetricConfig,
): Promise<{ total: number; unconverted: Record<string, number>; warnings: string[] } | null> {
  const { marketing_spend: rows } = await listIngestRecords(workspace.id, db, ["marketing_spend"], {
    from: period.start,
    to: period.end,
    timeZone: workspace.timezone,
  });
  if (rows.length === 0) return null;
  const { convert, staleWarnings } = flowConverter(buildRateTable(config.fxRates, workspace.currency));
  const spend = computeMarketingSpend({ spend: rows, period, reportingCurrency: workspace.currency, convert });
  const { unconverted, warnings } = spend.breakdown;
  return { total: spend.value, unconverted, warnings: [...warnings, ...[...staleWarnings].sort()] };
}

/**
 * The body of `GET /api/v1/workspaces/<slug>/metrics` (interfaces.md), every finance KPI key present, and `more`
 * KPIs (the marketing and success values asked for) beside them; a finance key wins over a `more` one.
 */
export function toMetricsBody(
  workspace: Workspace,
  asOf: Day,
  headline: Omit<Headline, "kpis">,
  more: Record<string, unknown> = {},
) {
  return {
    workspace: workspace.slug,
    date: asOf,
    currency: workspace.currency,
    period: headline.period,
    ...more,
    ...headline.values,
    policies: headline.policies,
    incomplete: headline.incomplete,
    unconverted: headline.unconverted,
    warnings: headline.warnings,
  };
}

/** A view's daily and cohort sums up to a day: the rollups for everyone, or its customers' rows summed (ADR 0009). */
export type ViewSums = { daily: DailyTotals[]; cohorts: CohortTotals[] };

/** The sums of a view as of `to`: the rollups when `customers` is null, else those customers' ledger rows summed. */
export function loadViewSums(
  workspace: Workspace,
  db: Executor,
  opts: { to: Day; customers: readonly string[] | null },
): Promise<ViewSums> {
  const month = opts.to.slice(0, 7);
  const { customers } = opts;
  return Promise.all([
    customers
      ? sumDailyTotalsOf(workspace.id, db, { to: opts.to, customers })
      : listDailyTotals(workspace.id, db, opts.to),
    customers ? sumCohortTotalsOf(workspace.id, db, { month, customers }) : listCohortTotals(workspace.id, db, month),
  ]).then(([daily, cohorts]) => ({ daily, cohorts }));
}

/** Per cohort, the view's rows dated after `asOf` within its month (taken back out of the month's cells). */
export function loadCohortTail(workspace: Workspace, db: Executor, asOf: Day, customers: readonly string[] | null) {
  const range = { after: asOf, through: endOfPeriod(asOf, "month") };
  return customers
    ? sumCohortRowsOf(workspace.id, db, { ...range, customers })
    : sumCohortRows(workspace.id, db, range);
}

/**
 * What the headline reads from the rollups (ADR 0009, 0010), as of the end of local day `asOf`: the daily and
 * cohort sums, the corrections for each window, the FX flags in force at asOf and on the revenue ratios' base days,
 * and the period's trial marks, grouped payments and spend. A few small queries whatever the workspace's size.
 * With `customers` (a filtered view) every part covers those customers only, except the marketing spend: a view's
 * CAC divides the whole spend by its new customers. `sums` may come from an earlier call that summed the view up
 * to the same or a later day.
 */
export async function loadTotalsInput(
  workspace: Workspace,
  db: Executor,
  opts: {
    asOf: Day;
    interval?: Interval;
    config?: MetricConfig;
    customers?: readonly string[] | null;
    sums?: Promise<ViewSums>;
    /** false: leave out `nrrTrailing12m` and its window (TotalsInput.trailingYear). */
    trailingYear?: boolean;
  },
): Promise<TotalsInput> {
  const interval = opts.interval ?? "month";
  const customers = opts.customers ?? null;
  const trailing = opts.trailingYear === false ? { trailingYear: false } : {};
  const before = new Date(endOfLocalDay(opts.asOf, workspace.timezone));
  const period = resolvePeriod(opts.asOf, interval);
  const from = new Date(startOfLocalDay(period.start, workspace.timezone));
  const range = { from, before, timeZone: workspace.timezone, customers };
  const windowsOf = { asOf: opts.asOf, interval, ...trailing };
  // Only the windows (the LTV months are a setting) and the spend (its FX rates) wait for the settings.
  const configRead = opts.config ? Promise.resolve(opts.config) : getMetricConfig(workspace.id, db);
  const needingConfig = configRead.then((config) =>
    Promise.all([
      listWindowCorrections(workspace.id, db, listNeededWindows({ ...windowsOf, settings: config.settings }), {
        asOf: opts.asOf,
        churners: config.policy.churnRateBasis === "movements",
        customers,
        uncounted: findUncountedWindow({ ...windowsOf, settings: config.settings }),
      }),
      loadMarketingSpend(workspace, db, period, config),
    ]),
  );
  const baseDays = listBaseDays(period, opts.asOf, opts.trailingYear !== false);
  const [
    config,
    [windows, spend],
    sums,
    cohortTail,
    [flagged, ...baseFlagged],
    trials,
    paidInvoices,
    otherPayments,
    failedInvoices,
  ] = await Promise.all([
    configRead,
    needingConfig,
    opts.sums ?? loadViewSums(workspace, db, { to: opts.asOf, customers }),
    loadCohortTail(workspace, db, opts.asOf, customers),
    sumFlaggedOnDays(workspace.id, db, [opts.asOf, ...baseDays], customers),
    countTrialOutcomes(workspace.id, db, range),
    listPaidInvoiceGroups(workspace.id, db, range),
    listOtherCashGroups(workspace.id, db, range),
    listRecoveryGroups(workspace.id, db, range),
  ]);
  return {
    asOf: opts.asOf,
    interval,
    policy: config.policy,
    settings: config.settings,
    timeZone: workspace.timezone,
    reportingCurrency: workspace.currency,
    fxRates: config.fxRates,
    // Sums loaded up to a later day hold days past asOf: the headline reads stocks as of asOf and before only.
    daily: sums.daily.filter((d) => d.day <= opts.asOf),
    windows,
    cohorts: sums.cohorts,
    cohortTail,
    flagged: [flagged!],
    baseFlagged,
    trials,
    cash: [...paidInvoices, ...otherPayments],
    failedInvoices,
    marketingSpend: spend?.total ?? null,
    marketingSpendFx: spend,
    ...trailing,
  };
}

/** The `/metrics` answer: every headline value from the rollups (breakdowns are the finance page's business). */
export async function computeMetricsAnswer(
  workspace: Workspace,
  db: Executor,
  opts: { asOf: Day; interval?: Interval },
) {
  const input = await loadTotalsInput(workspace, db, opts);
  return { input, headline: computeHeadlineFromTotals(input) };
}

/**
 * MRR movements per period over [from, to] for the read API, summed in SQL over the ledger (the rules of
 * lib/metrics/movement-periods.ts; movements-sql.int.test.ts checks both agree). Each period is cut to the range,
 * and each period's end MRR is the next one's start.
 */
export async function computeMovementsAnswer(
  workspace: Workspace,
  db: Executor,
  opts: { from: Day; to: Day; interval: "day" | "week" | "month" | "quarter" },
): Promise<{
  value: (MovementPeriod & FlagsInForce & { incomplete: boolean })[];
  policies: PoliciesObject;
  incomplete: boolean;
  warnings: string[];
}> {
  const [sums, flagChanges, config] = await Promise.all([
    sumMovementsByPeriod(workspace.id, db, opts),
    listFlagChanges(workspace.id, db, opts.to),
    getMetricConfig(workspace.id, db),
  ]);
  const byKey = new Map(sums.periods.map((p) => [p.periodKey, p]));
  let mrr = sums.startMrr;
  const value = listPeriods(opts.from, opts.to, opts.interval).map((period) => {
    const { periodKey: _key, ...s } = byKey.get(startOfPeriod(period.start, opts.interval)) ?? {
      periodKey: "",
      new: 0,
      expansion: 0,
      contraction: 0,
      churn: 0,
      reactivation: 0,
      fxImpact: 0,
      newCustomers: 0,
      reactivatedCustomers: 0,
      expandedCustomers: 0,
      contractedCustomers: 0,
      churnedCustomers: 0,
    };
    const startMrr = mrr;
    mrr = startMrr + s.new + s.expansion + s.contraction + s.churn + s.reactivation + s.fxImpact;
    return { start: period.start, end: period.end, startMrr, ...s, endMrr: mrr };
  });
  // A period's end MRR leaves out the parts in a currency without a rate in force at its end (metrics.md §1.1).
  const flags = flagsAtDays(
    flagChanges,
    value.map((p) => p.end),
  );
  const withFlags = value.map((p, i) => ({
    ...p,
    incomplete: Object.keys(flags[i]!.unconverted).length > 0,
    ...flags[i]!,
  }));
  return {
    value: withFlags,
    policies: toPoliciesObject(config.policy),
    incomplete: withFlags.some((p) => p.incomplete),
    warnings: [...new Set(flags.flatMap((f) => f.warnings))].sort(),
  };
}
