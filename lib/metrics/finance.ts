/**
 * The finance dashboard's KPIs (metrics.md §4.1) and the headline object of `GET …/metrics`. Everything is read
 * from the change ledger (MrrChange rows) plus the few records that are not MRR: trials, committed MRR, payments
 * and marketing spend.
 */
import {
  computeCashCollected,
  computeFailedPaymentRecovery,
  type ChargeRecord,
  type InvoiceRecord,
  type RefundRecord,
} from "./cash";
import type { CommittedMrr } from "./committed-mrr";
import {
  computeCohortRetention,
  computeCustomerChurnRate,
  computeCustomerRetentionRate,
  computeLtv,
  computeNrrTrailing12m,
  computeQuickRatio,
  computeRevenueRetention,
  type CohortRow,
} from "./finance-retention";
import { buildRateTable } from "./fx";
import type { KpiResult } from "./kpi";
import { indexLedger, isPayingRow, rowAsOf, summarizeWindow, type CustomerWindow } from "./ledger";
import {
  div,
  fromDecimalNumber,
  mul,
  rat,
  ratio,
  roundHalfAwayFromZero,
  roundToDecimals,
  type Rational,
} from "./money";
import type { MrrChange } from "./movements";
import { defaultKpiSettings, type KpiSettings, type MetricPolicy } from "./policy";
import { resolvePeriod, type Interval, type ReportPeriod } from "./time";
import type { TrialOutcome } from "./trials";
import type { Day, FxRate } from "./types";

export type FinanceInput = {
  /** Ledger rows of every customer, at least up to `asOf` (rows after it are ignored). */
  changes: readonly MrrChange[];
  asOf: Day;
  /** The period containing `asOf` that period KPIs use (default month). */
  interval?: Interval;
  policy: MetricPolicy;
  settings?: KpiSettings;
  timeZone?: string;
  reportingCurrency?: string;
  fxRates?: readonly FxRate[];
  /** Each customer's committed MRR as of `asOf` (its ledger row in force then); without it cmrr and carr are null. */
  committed?: readonly CommittedMrr[];
  /** listTrialOutcomes of every customer (none: trialConversionRate is 0 ÷ 0 = null). */
  trials?: readonly TrialOutcome[];
  /** Payment records; a missing list counts as empty (cash 0, recovery null). */
  invoices?: readonly InvoiceRecord[];
  charges?: readonly ChargeRecord[];
  refunds?: readonly RefundRecord[];
  /** Total marketing spend in P, reporting minor units (the marketing module converts it); null = unknown. */
  marketingSpend?: number | null;
  /**
   * What `marketingSpend` left out for lack of an FX rate: original minor units per currency, and the conversion's
   * warnings (`missing_fx_rate:<currency>:<day>`, …). The headline lists them and is incomplete then (§1.1).
   */
  marketingSpendFx?: { unconverted: Record<string, number>; warnings: readonly string[] } | null;
  /**
   * false: the caller does not show `nrrTrailing12m` (a page's comparison): its value is null, and neither its
   * base a year before D nor (from totals) its window, the costliest (every customer who entered in the trailing
   * year), is read. Default true.
   */
  trailingYear?: boolean;
};

/** ltvToCac at or above this is healthy (metrics.md §4.1). */
export const LTV_TO_CAC_HEALTHY = 3;

/**
 * ltvToCac = ltv ÷ cac from the exact values, rounded to 4 decimals, and ltvToCacHealthy from the exact ratio
 * (§1.3: a KPI built from other KPIs uses their exact values), so 2.99996 shows as 3 but is not healthy. Null when
 * either is unknown or cac is 0.
 */
export function ltvToCacOf(
  ltv: Rational | null,
  cac: Rational | null,
): { value: number | null; healthy: boolean | null } {
  if (!ltv || !cac || cac.n === 0n) return { value: null, healthy: null };
  const exact = div(ltv, cac);
  // exact = n/d with d > 0: exact ≥ 3 ⇔ n ≥ 3d.
  return { value: roundToDecimals(exact, 4), healthy: exact.n >= BigInt(LTV_TO_CAC_HEALTHY) * exact.d };
}

export type FinanceKpis = {
  mrr: KpiResult<number>;
  arr: KpiResult<number>;
  cmrr: KpiResult<number>;
  carr: KpiResult<number>;
  netNewMrr: KpiResult<number>;
  newMrr: KpiResult<number>;
  expansionMrr: KpiResult<number>;
  contractionMrr: KpiResult<number>;
  churnedMrr: KpiResult<number>;
  reactivationMrr: KpiResult<number>;
  payingCustomers: KpiResult<number>;
  trialingCustomers: KpiResult<number>;
  arpa: KpiResult<number>;
  acv: KpiResult<number>;
  acvNew: KpiResult<number>;
  trialConversionRate: KpiResult<number>;
  customerChurnRate: KpiResult<number>;
  customerRetentionRate: KpiResult<number>;
  grossRevenueChurnRate: KpiResult<number>;
  netRevenueChurnRate: KpiResult<number>;
  nrr: KpiResult<number>;
  nrrTrailing12m: KpiResult<number>;
  grr: KpiResult<number>;
  quickRatio: KpiResult<number>;
  ltv: KpiResult<number>;
  ltvToCac: KpiResult<number>;
  ltvToCacHealthy: KpiResult<boolean>;
  cacPaybackMonths: KpiResult<number>;
  cashCollected: KpiResult<number>;
  failedPaymentRecoveryRate: KpiResult<number>;
  cohortRetention: KpiResult<CohortRow[]>;
};

export type FinanceKey = keyof FinanceKpis;

function sumBy<T>(list: readonly T[], f: (x: T) => number): number {
  return list.reduce((a, x) => a + f(x), 0);
}

/** Money from an exact fraction, or null on a zero denominator. */
export function moneyRatio(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : roundHalfAwayFromZero(rat(numerator, denominator));
}

/**
 * Computes every finance KPI of §4.1 as of `asOf` for the period of `interval` containing it (cut at asOf).
 * Stocks (mrr, arr, customers, arpa, acv, cmrr) are as of `asOf`; flows and rates use P, with S/E taken at the end
 * of the day before P and at asOf. Policies read: `arr`, `churnRateBasis`; settings: `grossMargin`,
 * `ltvChurnWindowMonths`. Zero denominators give null; empty flows give 0.
 */
export function computeFinanceKpis(input: FinanceInput): {
  period: ReportPeriod;
  kpis: FinanceKpis;
  windows: CustomerWindow[];
} {
  const settings = input.settings ?? defaultKpiSettings;
  const timeZone = input.timeZone ?? "UTC";
  const period = resolvePeriod(input.asOf, input.interval ?? "month");
  const index = indexLedger(input.changes.filter((c) => c.day <= input.asOf));
  const windows = summarizeWindow(index, period.start, period.end);
  const rates = buildRateTable(input.fxRates ?? [], input.reportingCurrency ?? "usd");

  const now = [...index].map(([customerId, rows]) => ({ customerId, row: rowAsOf(rows, input.asOf) }));
  // §1.1: a missing FX rate never changes counts, so a part left unconverted still makes its customer paying.
  const paying = now.filter((c) => isPayingRow(c.row));
  const mrr = sumBy(paying, (c) => c.row?.mrr ?? 0);
  const annualMrr = sumBy(paying, (c) => c.row?.annualMrr ?? 0);
  const arr = input.policy.arr === "annualContractsOnly" ? 12 * annualMrr : 12 * mrr;
  const customersBehind = paying.map((c) => ({
    customerId: c.customerId,
    mrr: c.row?.mrr ?? 0,
    annualMrr: c.row?.annualMrr ?? 0,
  }));

  const total = (k: keyof CustomerWindow["moves"]) => sumBy(windows, (w) => w.moves[k]);
  const movers = (k: keyof CustomerWindow["moves"]) =>
    windows.filter((w) => w.moves[k] !== 0).map((w) => ({ customerId: w.customerId, amount: w.moves[k] }));
  const newMrr = total("new");
  const netNew = newMrr + total("expansion") + total("contraction") + total("churn") + total("reactivation");
  const N = windows.filter((w) => w.kinds.has("new")).length;
  const involuntary = sumBy(windows, (w) => w.involuntaryChurn);

  const committed = input.committed;
  const cmrr = committed ? sumBy(committed, (c) => c.cmrr) : null;
  const carr = committed
    ? 12 *
      (input.policy.arr === "annualContractsOnly"
        ? sumBy(committed, (c) => c.annualCmrr)
        : sumBy(committed, (c) => c.cmrr))
    : null;

  const trialsInP = (input.trials ?? []).filter((t) => t.endedOn >= period.start && t.endedOn <= period.end);
  const converted = trialsInP.filter((t) => t.converted).length;

  const ltv = computeLtv({
    index,
    asOf: input.asOf,
    mrr,
    payingCustomers: paying.length,
    grossMargin: settings.grossMargin,
    ltvChurnWindowMonths: settings.ltvChurnWindowMonths,
    policy: input.policy,
  });
  const spend = input.marketingSpend ?? null;
  const cac = spend === null || N === 0 ? null : rat(spend, N);
  const ltvToCac = ltvToCacOf(ltv.exact, cac);
  const ltvToCacValue = ltvToCac.value;
  const margin = fromDecimalNumber(settings.grossMargin);
  const paybackDenominator = mul(rat(newMrr), margin);
  const payback =
    spend === null || paybackDenominator.n === 0n ? null : roundToDecimals(div(rat(spend), paybackDenominator), 4);

  const payments = { invoices: input.invoices ?? [], from: period.start, to: period.end, timeZone, rates };
  const cash = computeCashCollected({ ...payments, charges: input.charges ?? [], refunds: input.refunds ?? [] });
  const recovery = computeFailedPaymentRecovery({ ...payments, asOf: input.asOf });
  const retention = computeRevenueRetention(windows);

  const kpis: FinanceKpis = {
    mrr: { value: mrr, breakdown: { customers: customersBehind } },
    arr: { value: arr, breakdown: { basis: input.policy.arr, mrr, annualMrr, customers: customersBehind } },
    cmrr: { value: cmrr, breakdown: { customers: committed ?? [] } },
    carr: { value: carr, breakdown: { basis: input.policy.arr, customers: committed ?? [] } },
    netNewMrr: { value: netNew, breakdown: { fxImpact: sumBy(windows, (w) => w.fxImpact) } },
    newMrr: { value: newMrr, breakdown: { customers: movers("new") } },
    expansionMrr: { value: total("expansion"), breakdown: { customers: movers("expansion") } },
    contractionMrr: { value: total("contraction"), breakdown: { customers: movers("contraction") } },
    churnedMrr: {
      value: total("churn"),
      breakdown: { voluntary: total("churn") - involuntary, involuntary, customers: movers("churn") },
    },
    reactivationMrr: { value: total("reactivation"), breakdown: { customers: movers("reactivation") } },
    payingCustomers: { value: paying.length, breakdown: { customers: paying.map((c) => c.customerId) } },
    trialingCustomers: (() => {
      const list = now.filter((c) => c.row?.trialing && !isPayingRow(c.row)).map((c) => c.customerId);
      return { value: list.length, breakdown: { customers: list } };
    })(),
    arpa: { value: moneyRatio(mrr, paying.length), breakdown: { numerator: mrr, denominator: paying.length } },
    acv: { value: moneyRatio(arr, paying.length), breakdown: { numerator: arr, denominator: paying.length } },
    acvNew: { value: moneyRatio(12 * newMrr, N), breakdown: { numerator: 12 * newMrr, denominator: N } },
    trialConversionRate: {
      value: ratio(converted, trialsInP.length),
      breakdown: { numerator: converted, denominator: trialsInP.length, trials: trialsInP },
    },
    customerChurnRate: computeCustomerChurnRate(windows, input.policy),
    customerRetentionRate: computeCustomerRetentionRate(windows),
    ...retention,
    nrrTrailing12m:
      input.trailingYear === false
        ? { value: null, breakdown: { trailingYear: false } }
        : computeNrrTrailing12m(index, input.asOf),
    quickRatio: computeQuickRatio(windows),
    ltv: { value: ltv.value, breakdown: ltv.breakdown },
    ltvToCac: {
      value: ltvToCacValue,
      breakdown: {
        ltv: ltv.value,
        cacBlended: cac ? roundHalfAwayFromZero(cac) : null,
        marketingSpend: spend,
        newCustomers: N,
      },
    },
    ltvToCacHealthy: {
      value: ltvToCac.healthy,
      breakdown: { threshold: LTV_TO_CAC_HEALTHY, ltvToCac: ltvToCacValue },
    },
    cacPaybackMonths: {
      value: payback,
      breakdown: { marketingSpend: spend, newMrr, grossMargin: settings.grossMargin, newCustomers: N },
    },
    cashCollected: cash,
    failedPaymentRecoveryRate: recovery,
    cohortRetention: computeCohortRetention(index, input.asOf),
  };
  return { period, kpis, windows };
}
