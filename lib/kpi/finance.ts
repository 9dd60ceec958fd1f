import type { Executor } from "@/db/client";
import {
  listChargeRecords,
  listInvoiceRecords,
  listRefundRecords,
  listSchedulePhases,
  listTrialHistories,
  listVersionsInForce,
} from "@/db/queries/finance";
import { listMrrChanges, sumMovementsByPeriod } from "@/db/queries/mrr";
import { computeCommittedMrr } from "@/lib/metrics/committed-mrr";
import type { FinanceInput } from "@/lib/metrics/finance";
import { computeHeadline, type Headline } from "@/lib/metrics/headline";
import type { MovementPeriod } from "@/lib/metrics/movement-periods";
import { buildRateTable, convertFlow } from "@/lib/metrics/fx";
import {
  endOfLocalDay,
  listPeriods,
  resolvePeriod,
  startOfLocalDay,
  startOfPeriod,
  type Interval,
} from "@/lib/metrics/time";
import { listIngestRecords } from "@/lib/ingest/load";
import { listTrialOutcomes } from "@/lib/metrics/trials";
import type { Day, SubscriptionVersion } from "@/lib/metrics/types";
import type { Workspace } from "@/lib/workspaces/context";
import { getMetricConfig, type MetricConfig } from "./settings";

function groupVersions(versions: readonly SubscriptionVersion[]) {
  const map = new Map<string, SubscriptionVersion[]>();
  for (const v of versions) {
    const list = map.get(v.state.customerId) ?? [];
    list.push(v);
    map.set(v.state.customerId, list);
  }
  return map;
}

/**
 * Marketing spend in P, each row converted at its own day's rate (§1.1). Null when P holds no spend records:
 * CAC is unknown then, not zero. Rows without a rate are left out, as in every converted total.
 */
export async function loadMarketingSpend(
  workspace: Workspace,
  db: Executor,
  period: { start: Day; end: Day },
  config: MetricConfig,
) {
  const { marketing_spend: rows } = await listIngestRecords(workspace.id, db, ["marketing_spend"], {
    from: period.start,
    to: period.end,
    timeZone: workspace.timezone,
  });
  if (rows.length === 0) return null;
  const table = buildRateTable(config.fxRates, workspace.currency);
  return rows.reduce((sum, r) => sum + (convertFlow(r.amount, r.currency, r.day, table)?.amount ?? 0), 0);
}

/**
 * Everything the finance KPIs read, as of the end of local day `asOf`: the MRR ledger, whole subscription
 * histories (trial outcomes, committed MRR), invoices, charges and refunds, and the workspace's policies.
 */
export async function loadFinanceInput(
  workspace: Workspace,
  db: Executor,
  opts: { asOf: Day; interval?: Interval; config?: MetricConfig; marketingSpend?: number | null },
): Promise<FinanceInput> {
  const before = new Date(endOfLocalDay(opts.asOf, workspace.timezone));
  const period = resolvePeriod(opts.asOf, opts.interval ?? "month");
  const from = new Date(startOfLocalDay(period.start, workspace.timezone));
  // Each query reads what the period's KPIs need, not whole tables: this answer must stay fast on big workspaces.
  const [config, changes, inForce, trialHistories, invoices, charges, refunds, schedules] = await Promise.all([
    opts.config ?? getMetricConfig(workspace.id, db),
    listMrrChanges(workspace.id, db, { to: opts.asOf, withEventIds: false }),
    listVersionsInForce(workspace.id, db, before),
    listTrialHistories(workspace.id, db, { from, before }),
    listInvoiceRecords(workspace.id, db, { before, from }),
    listChargeRecords(workspace.id, db, { before, from }),
    listRefundRecords(workspace.id, db, { before, from }),
    listSchedulePhases(workspace.id, db),
  ]);
  const known = trialHistories.filter((v) => v.validFrom < before.getTime());
  const marketingSpend =
    opts.marketingSpend !== undefined ? opts.marketingSpend : await loadMarketingSpend(workspace, db, period, config);
  // Schedules are kept as their latest state, so a past date's committed MRR uses today's schedules.
  const byCustomer = groupVersions(inForce);
  for (const schedule of schedules) if (!byCustomer.has(schedule.customerId)) byCustomer.set(schedule.customerId, []);
  const committed = [...byCustomer].map(([customerId, list]) =>
    computeCommittedMrr({
      customerId,
      versions: list,
      schedules: schedules.filter((s) => s.customerId === customerId),
      policy: config.policy,
      asOf: opts.asOf,
      timeZone: workspace.timezone,
      reportingCurrency: workspace.currency,
      fxRates: config.fxRates,
    }),
  );
  return {
    changes,
    asOf: opts.asOf,
    interval: opts.interval ?? "month",
    policy: config.policy,
    settings: config.settings,
    timeZone: workspace.timezone,
    reportingCurrency: workspace.currency,
    fxRates: config.fxRates,
    committed,
    trials: listTrialOutcomes({
      versions: known,
      policy: config.policy,
      timeZone: workspace.timezone,
      asOf: opts.asOf,
    }),
    invoices,
    charges,
    refunds,
    marketingSpend,
  };
}

/** The body of `GET /api/v1/workspaces/<slug>/metrics` (interfaces.md), every KPI key present. */
export function toMetricsBody(workspace: Workspace, asOf: Day, headline: Headline) {
  return {
    workspace: workspace.slug,
    date: asOf,
    currency: workspace.currency,
    period: headline.period,
    ...headline.values,
    policies: headline.policies,
    incomplete: headline.incomplete,
    unconverted: headline.unconverted,
    warnings: headline.warnings,
  };
}

export async function computeMetricsAnswer(
  workspace: Workspace,
  db: Executor,
  opts: { asOf: Day; interval?: Interval },
) {
  const input = await loadFinanceInput(workspace, db, opts);
  return { input, headline: computeHeadline(input) };
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
): Promise<{ value: MovementPeriod[] }> {
  const sums = await sumMovementsByPeriod(workspace.id, db, opts);
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
  return { value };
}
