import type { Executor } from "@/db/client";
import {
  hasFilter,
  listFilteredCustomerIds,
  listFilterOptions,
  listRevenueBreakdown,
  type CustomerFilter,
  type FilterOptions,
  type RevenueBreakdown,
} from "@/db/queries/dashboard";
import { listIngestRecords } from "@/lib/ingest/load";
import { computeCustomerChurnRate, computeRevenueRetention } from "@/lib/metrics/finance-retention";
import type { FinanceInput } from "@/lib/metrics/finance";
import { buildRateTable, convertFlow } from "@/lib/metrics/fx";
import { computeHeadline, type Headline } from "@/lib/metrics/headline";
import { indexLedger, listDailyMrr, summarizeWindow } from "@/lib/metrics/ledger";
import { computeMarketingSpend } from "@/lib/metrics/marketing";
import { computeMovementPeriods, type MovementPeriod, type MovementRow } from "@/lib/metrics/movement-periods";
import type { MrrChange } from "@/lib/metrics/movements";
import type { MetricPolicy } from "@/lib/metrics/policy";
import { comparisonPeriod, resolvePeriod, type ReportPeriod } from "@/lib/metrics/time";
import type { Day } from "@/lib/metrics/types";
import type { Workspace } from "@/lib/workspaces/context";
import type { FinanceParams } from "./dashboard-params";
import { loadFinanceInput } from "./finance";
import { getMetricConfig, type MetricConfig } from "./settings";

export type PeriodPoint = MovementPeriod & {
  arr: number;
  customerChurnRate: number | null;
  grossRevenueChurnRate: number | null;
  nrr: number | null;
  grr: number | null;
};

export type FinanceDashboard = {
  period: ReportPeriod;
  previousPeriod: ReportPeriod | null;
  headline: Headline;
  previous: Headline | null;
  points: PeriodPoint[];
  /** Movement rows per point (same order), so a chart point can name the customers behind it. */
  rows: MovementRow[][];
  breakdown: RevenueBreakdown;
  options: FilterOptions;
  marketingSpend: number | null;
};

/** Keeps only the records of the given customers (a filtered view); no set means everyone. */
function restrict(input: FinanceInput, ids: ReadonlySet<string> | null): FinanceInput {
  if (!ids) return input;
  const keep = <T extends { customerId: string | null }>(list: readonly T[] | undefined) =>
    (list ?? []).filter((x) => x.customerId !== null && ids.has(x.customerId));
  return {
    ...input,
    changes: input.changes.filter((c) => ids.has(c.customerId)),
    committed: keep(input.committed),
    trials: keep(input.trials),
    invoices: keep(input.invoices),
    charges: keep(input.charges),
    refunds: keep(input.refunds),
  };
}

/**
 * Marketing spend in [start, end], in reporting minor units, from the ingest API's `marketing_spend` events
 * (for LTV:CAC and CAC payback). Null when the workspace has no spend data at all, so those KPIs stay undefined
 * instead of showing an invented 0.
 */
export async function computeSpendIn(
  workspace: Workspace,
  db: Executor,
  config: Pick<MetricConfig, "fxRates">,
  period: { start: Day; end: Day },
): Promise<number | null> {
  const { marketing_spend: spend } = await listIngestRecords(workspace.id, db, ["marketing_spend"], {
    from: period.start,
    to: period.end,
    timeZone: workspace.timezone,
  });
  if (spend.length === 0) return null;
  const rates = buildRateTable(config.fxRates, workspace.currency);
  return computeMarketingSpend({
    spend,
    period,
    reportingCurrency: workspace.currency,
    convert: (amount, currency, day) => convertFlow(amount, currency, day, rates)?.amount ?? null,
  }).value;
}

/**
 * Per-period retention over the view's periods (metrics.md §4.1): S is taken at the end of the day before each
 * period, E at its last day; the rules are lib/metrics's.
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

/** Everything the finance page shows, for the view in the URL. */
export async function loadFinanceDashboard(
  workspace: Workspace,
  db: Executor,
  params: FinanceParams,
): Promise<FinanceDashboard> {
  const filter: CustomerFilter = params.filter;
  const config = await getMetricConfig(workspace.id, db);
  const period = resolvePeriod(params.to, params.interval);
  const previousPeriod = params.compare ? comparisonPeriod(period, params.interval) : null;
  const ids = hasFilter(filter) ? new Set(await listFilteredCustomerIds(workspace.id, db, filter)) : null;

  const spend = await computeSpendIn(workspace, db, config, period);
  const input = restrict(
    await loadFinanceInput(workspace, db, {
      asOf: params.to,
      interval: params.interval,
      config,
      marketingSpend: spend,
    }),
    ids,
  );
  const headline = computeHeadline(input);
  let previous: Headline | null = null;
  if (previousPeriod) {
    const prevSpend = await computeSpendIn(workspace, db, config, previousPeriod);
    // The same records, cut at the comparison day: every KPI reads only what is on or before its asOf. Committed
    // MRR is computed per as-of day from whole histories, so the comparison leaves it out rather than reload all.
    const prevInput: FinanceInput = {
      ...input,
      asOf: previousPeriod.end,
      committed: undefined,
      marketingSpend: prevSpend,
    };
    previous = computeHeadline(prevInput);
  }
  const { points, rows } = computePeriodPoints(input.changes, config.policy, params);
  const [breakdown, options] = [
    await listRevenueBreakdown(workspace.id, db, { day: params.to, filter }),
    await listFilterOptions(workspace.id, db),
  ];
  return { period, previousPeriod, headline, previous, points, rows, breakdown, options, marketingSpend: spend };
}
