/**
 * Retention KPIs over a period (metrics.md §4.1): logo churn and retention, revenue churn, NRR/GRR, quick ratio,
 * LTV, and cohort retention (§4.5). S = customers paying at the start (end of the day before P), E = paying at
 * the end of P (or D), N = customers with a `new` movement in P. Paying follows §1.4 with §1.1: MRR in original
 * currencies above 0, so a customer whose MRR has no FX rate is still in S and E (a missing rate never changes
 * counts), while the revenue ratios add up converted MRR only and list what their base left out.
 */
import { sumFxFlags } from "./fx";
import type { KpiResult } from "./kpi";
import { isPayingRow, rowAsOf, summarizeWindow, type CustomerWindow, type LedgerIndex } from "./ledger";
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
import type { MetricPolicy } from "./policy";
import { addMonths, endOfPeriod, startOfPeriod } from "./time";
import type { Day } from "./types";

export type RatioResult = KpiResult<number, { numerator: number; denominator: number } & Record<string, unknown>>;

/**
 * Counts behind a logo churn rate, per `churnRateBasis`. Under `"movements"` the churned customers are those who
 * stopped paying on some day of P: a churn movement, or the end of an MRR wholly without an FX rate (which moves no
 * converted MRR); a churn movement that leaves an unconverted part paying is none.
 */
export function countChurn(
  windows: readonly CustomerWindow[],
  basis: MetricPolicy["churnRateBasis"],
): { numerator: number; denominator: number; churned: string[] } {
  const S = windows.filter((w) => w.startPaying);
  if (basis === "movements") {
    const churned = windows.filter((w) => w.stoppedPaying).map((w) => w.customerId);
    const N = windows.filter((w) => w.kinds.has("new")).length;
    return { numerator: churned.length, denominator: S.length + N, churned };
  }
  const churned = S.filter((w) => !w.endPaying).map((w) => w.customerId);
  return { numerator: churned.length, denominator: S.length, churned };
}

/**
 * customerChurnRate = #(S \ E) ÷ #S (`churnRateBasis: "startCohort"`), or #customers with a churn movement in P ÷
 * (#S + #N) (`"movements"`). Null when the denominator is 0.
 */
export function computeCustomerChurnRate(
  windows: readonly CustomerWindow[],
  policy: Pick<MetricPolicy, "churnRateBasis">,
): RatioResult {
  const c = countChurn(windows, policy.churnRateBasis);
  return {
    value: ratio(c.numerator, c.denominator),
    breakdown: {
      numerator: c.numerator,
      denominator: c.denominator,
      basis: policy.churnRateBasis,
      customers: c.churned,
    },
  };
}

/** customerRetentionRate = #(S ∩ E) ÷ #S; null without paying customers at the start. */
export function computeCustomerRetentionRate(windows: readonly CustomerWindow[]): RatioResult {
  const S = windows.filter((w) => w.startPaying);
  const kept = S.filter((w) => w.endPaying);
  return { value: ratio(kept.length, S.length), breakdown: { numerator: kept.length, denominator: S.length } };
}

/**
 * Start-cohort sums: #S, startMrr_S and each movement type summed over S. Money is converted MRR only, so a member
 * of S whose start MRR was wholly without an FX rate weighs 0 in startMrr_S and its converted movements in P (a
 * first converted part is a `new` or `reactivation` from 0) stay out too: the ratios compare the same customers'
 * converted MRR. `unconverted` is what S's start MRR left out (original minor units per currency), `warnings` its
 * rows' warnings.
 */
export function sumStartCohort(windows: readonly CustomerWindow[]) {
  const S = windows.filter((w) => w.startPaying);
  const weighed = S.filter((w) => w.startMrr > 0);
  const total = (f: (w: CustomerWindow) => number) => weighed.reduce((a, w) => a + f(w), 0);
  return {
    customers: S.length,
    startMrr: total((w) => w.startMrr),
    expansion: total((w) => w.moves.expansion),
    contraction: total((w) => w.moves.contraction),
    churn: total((w) => w.moves.churn),
    reactivation: total((w) => w.moves.reactivation),
    ...sumFxFlags(S.map((w) => w.startRow)),
  };
}

/**
 * The revenue-retention family, all over S:
 * grossRevenueChurnRate = −(contraction_S + churn_S) ÷ startMrr_S;
 * netRevenueChurnRate = −(contraction_S + churn_S + expansion_S + reactivation_S) ÷ startMrr_S (can be negative);
 * nrr = (startMrr_S + expansion_S + reactivation_S + contraction_S + churn_S) ÷ startMrr_S;
 * grr = (startMrr_S + contraction_S + churn_S) ÷ startMrr_S. All null when startMrr_S is 0. The breakdown's
 * `startCohort.unconverted` lists S's start MRR left out for lack of an FX rate.
 */
export function computeRevenueRetention(windows: readonly CustomerWindow[]) {
  const s = sumStartCohort(windows);
  const lost = s.contraction + s.churn;
  const gained = s.expansion + s.reactivation;
  const base = { denominator: s.startMrr, startCohort: s };
  const r = (numerator: number): RatioResult => ({
    value: ratio(numerator, s.startMrr),
    breakdown: { ...base, numerator },
  });
  return {
    grossRevenueChurnRate: r(-lost),
    netRevenueChurnRate: r(-(lost + gained)),
    nrr: r(s.startMrr + gained + lost),
    grr: r(s.startMrr + lost),
  };
}

/** quickRatio = (new + expansion + reactivation) ÷ −(contraction + churn) over all customers in P; no losses → null. */
export function computeQuickRatio(windows: readonly CustomerWindow[]): RatioResult {
  const sumOf = (f: (w: CustomerWindow) => number) => windows.reduce((a, w) => a + f(w), 0);
  const numerator = sumOf((w) => w.moves.new + w.moves.expansion + w.moves.reactivation);
  const denominator = -sumOf((w) => w.moves.contraction + w.moves.churn);
  return { value: ratio(numerator, denominator), breakdown: { numerator, denominator } };
}

/**
 * nrrTrailing12m = Σ_{c∈S12} m(D) ÷ Σ_{c∈S12} m(D − 12 months), S12 = customers paying at D − 12 months (same day
 * of month, clamped: Feb 29 → Feb 28). Converted MRR only, as in sumStartCohort: a member whose MRR then was wholly
 * without an FX rate weighs 0 and adds nothing to the numerator; `unconverted` lists what the base left out.
 * Null when the base is 0.
 */
export function computeNrrTrailing12m(index: LedgerIndex, asOf: Day): RatioResult {
  const then = addMonths(asOf, -12);
  let numerator = 0;
  let denominator = 0;
  let customers = 0;
  const base: ReturnType<typeof rowAsOf>[] = [];
  for (const rows of index.values()) {
    const row = rowAsOf(rows, then);
    if (!isPayingRow(row)) continue;
    customers++;
    base.push(row);
    const before = row?.mrr ?? 0;
    if (before <= 0) continue;
    denominator += before;
    numerator += rowAsOf(rows, asOf)?.mrr ?? 0;
  }
  return {
    value: ratio(numerator, denominator),
    breakdown: { numerator, denominator, from: then, to: asOf, customers, ...sumFxFlags(base) },
  };
}

/** The complete calendar months of the LTV churn window: `months` months ending on or before `asOf`. */
export function listLtvMonths(asOf: Day, months: number): { start: Day; end: Day }[] {
  const lastComplete =
    endOfPeriod(asOf, "month") === asOf ? startOfPeriod(asOf, "month") : addMonths(startOfPeriod(asOf, "month"), -1);
  const out: { start: Day; end: Day }[] = [];
  for (let k = months - 1; k >= 0; k--) {
    const start = addMonths(lastComplete, -k);
    out.push({ start, end: endOfPeriod(start, "month") });
  }
  return out;
}

/**
 * ltv = arpa × grossMargin ÷ c̄, with arpa = mrr ÷ payingCustomers (exact) and c̄ the pooled monthly logo churn over
 * the last `ltvChurnWindowMonths` complete months (numerators and denominators of each month's churn rate summed,
 * per `churnRateBasis`). Money, rounded once. Null when nobody pays or c̄ is 0 or undefined.
 */
export function computeLtv(input: {
  index: LedgerIndex;
  asOf: Day;
  mrr: number;
  payingCustomers: number;
  grossMargin: number;
  ltvChurnWindowMonths: number;
  policy: Pick<MetricPolicy, "churnRateBasis">;
}): KpiResult<number> & { exact: Rational | null } {
  const months = listLtvMonths(input.asOf, input.ltvChurnWindowMonths);
  let churned = 0;
  let base = 0;
  for (const m of months) {
    const c = countChurn(summarizeWindow(input.index, m.start, m.end), input.policy.churnRateBasis);
    churned += c.numerator;
    base += c.denominator;
  }
  const breakdown = {
    arpa: input.payingCustomers > 0 ? roundToDecimals(rat(input.mrr, input.payingCustomers), 4) : null,
    grossMargin: input.grossMargin,
    churnNumerator: churned,
    churnDenominator: base,
    pooledChurnRate: ratio(churned, base),
    months: months.map((m) => m.start.slice(0, 7)),
  };
  if (input.payingCustomers === 0 || churned === 0 || base === 0) return { value: null, exact: null, breakdown };
  const arpa = rat(input.mrr, input.payingCustomers);
  const exact = div(mul(arpa, fromDecimalNumber(input.grossMargin)), rat(churned, base));
  return { value: roundHalfAwayFromZero(exact), exact, breakdown };
}

export type CohortRow = {
  cohort: string;
  size: number;
  initialMrr: number;
  /** logo[k] = #members paying (isPayingRow: an unconverted part counts) at the end of month cohort+k (or D) ÷ size. */
  logo: (number | null)[];
  /** revenue[k] = Σ members' MRR at that point ÷ initialMrr (can exceed 1). */
  revenue: (number | null)[];
  members: string[];
};

/**
 * Cohort retention (§4.5): a customer's cohort is the month of its first `new` movement and never changes;
 * initialMrr is the Σ of those first `new` amounts. Cells are measured at the end of each month up to the one
 * containing `asOf` (measured at `asOf`); later cells are absent. Reactivated members count again. A member whose
 * MRR is wholly without an FX rate still counts in logo (a count) and adds 0 to revenue (converted MRR).
 */
export function computeCohortRetention(index: LedgerIndex, asOf: Day): KpiResult<CohortRow[]> {
  const cohorts = new Map<string, { members: string[]; initial: number }>();
  for (const [customerId, rows] of index) {
    const first = rows.find((r) => r.kind === "new");
    if (!first || first.day > asOf) continue;
    const key = first.day.slice(0, 7);
    const c = cohorts.get(key) ?? { members: [], initial: 0 };
    c.members.push(customerId);
    c.initial += first.amount;
    cohorts.set(key, c);
  }
  const value: CohortRow[] = [];
  for (const [cohort, c] of [...cohorts].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const logo: (number | null)[] = [];
    const revenue: (number | null)[] = [];
    for (let month = `${cohort}-01`; month <= asOf; month = addMonths(month, 1)) {
      const end = endOfPeriod(month, "month");
      const at = end < asOf ? end : asOf;
      let paying = 0;
      let mrr = 0;
      for (const id of c.members) {
        const row = rowAsOf(index.get(id) ?? [], at);
        if (isPayingRow(row)) paying++;
        mrr += row?.mrr ?? 0;
      }
      logo.push(ratio(paying, c.members.length));
      revenue.push(ratio(mrr, c.initial));
    }
    value.push({ cohort, size: c.members.length, initialMrr: c.initial, logo, revenue, members: c.members });
  }
  return { value, breakdown: { asOf, cohorts: value.length } };
}
