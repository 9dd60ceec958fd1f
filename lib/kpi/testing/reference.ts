// The whole-ledger reference of the KPI read path: what `/metrics`, the finance page and the overview computed
// before the rollups (ADR 0009), from every ledger row and the period's own payment records. The parity tests and
// the bench compare the rollup answers with these; the app does not call them.
import type { Executor } from "@/db/client";
import { listChargeRecords, listInvoiceRecords, listRefundRecords, listTrialHistories } from "@/db/queries/finance";
import { listMrrChanges } from "@/db/queries/mrr";
import type { CommittedMrr } from "@/lib/metrics/committed-mrr";
import type { FinanceInput } from "@/lib/metrics/finance";
import { computeCustomerChurnRate, computeRevenueRetention } from "@/lib/metrics/finance-retention";
import { computeHeadline } from "@/lib/metrics/headline";
import { indexLedger, listDailyMrr, rowAsOf, summarizeWindow } from "@/lib/metrics/ledger";
import { computeMovementPeriods, type MovementRow } from "@/lib/metrics/movement-periods";
import type { MrrChange } from "@/lib/metrics/movements";
import type { MetricPolicy } from "@/lib/metrics/policy";
import { endOfLocalDay, resolvePeriod, startOfLocalDay, type Interval } from "@/lib/metrics/time";
import { listTrialOutcomes } from "@/lib/metrics/trials";
import type { Day } from "@/lib/metrics/types";
import type { Workspace } from "@/lib/workspaces/context";
import type { FinanceParams } from "../dashboard-params";
import type { PeriodPoint } from "../dashboard-points";
import { loadMarketingSpend } from "../finance";
import { getMetricConfig, type MetricConfig } from "../settings";

/** Each customer's committed MRR as of `asOf`: the ledger row in force then carries it (ADR 0009). */
function committedFromLedger(changes: readonly MrrChange[], asOf: Day): CommittedMrr[] {
  const out: CommittedMrr[] = [];
  for (const [customerId, rows] of indexLedger(changes)) {
    const row = rowAsOf(rows, asOf);
    if (row && (row.cmrr !== 0 || row.annualCmrr !== 0))
      out.push({ customerId, cmrr: row.cmrr, annualCmrr: row.annualCmrr, warnings: [] });
  }
  return out;
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
  const [config, changes, trialHistories, invoices, charges, refunds] = await Promise.all([
    opts.config ?? getMetricConfig(workspace.id, db),
    listMrrChanges(workspace.id, db, { to: opts.asOf, withEventIds: false }),
    listTrialHistories(workspace.id, db, { from, before }),
    listInvoiceRecords(workspace.id, db, { before, from }),
    listChargeRecords(workspace.id, db, { before, from }),
    listRefundRecords(workspace.id, db, { before, from }),
  ]);
  const known = trialHistories.filter((v) => v.validFrom < before.getTime());
  const spend = opts.marketingSpend !== undefined ? null : await loadMarketingSpend(workspace, db, period, config);
  const marketingSpend = opts.marketingSpend !== undefined ? opts.marketingSpend : (spend?.total ?? null);
  const committed = committedFromLedger(changes, opts.asOf);
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
    marketingSpendFx: spend,
  };
}

/** The same answer from the whole ledger through the reference engine (tests compare the two). */
export async function computeMetricsAnswerFromLedger(
  workspace: Workspace,
  db: Executor,
  opts: { asOf: Day; interval?: Interval },
) {
  const input = await loadFinanceInput(workspace, db, opts);
  return { input, headline: computeHeadline(input) };
}

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
