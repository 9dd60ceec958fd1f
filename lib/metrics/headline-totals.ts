/**
 * The headline of `GET …/metrics` from workspace totals instead of the whole ledger (docs/decisions/0009-kpi-rollups.md).
 * Same definitions as finance.ts (metrics.md §4.1), read from sums the database keeps per day and per cohort month,
 * plus small corrections for the customers who entered in a window. headline-totals.int.test.ts checks that both
 * give the same values.
 *
 * Why the corrections suffice: S is the set of customers paying at the start of P (m > 0 at the end of the day
 * before). A customer outside S has m ≤ 0 then, so its first movement in P must take it from 0 to > 0: a `new` or
 * a `reactivation`. So every movement in P that does not belong to S belongs to an "entrant": a customer with a
 * new or reactivation in P and m ≤ 0 before P. Sums over S are the totals minus the entrants' sums.
 *
 * Most entrants are new customers, and the cohort sums already hold what those do in the months of their cohort.
 * So a window is split (splitWindow): the customers whose first `new` falls in its whole months come from the
 * cohort sums, and the database names only the rest: first `new` in the window's part months, and returning
 * customers (a reactivation in the window that ends a spell without paying begun before it).
 *
 * Counts take paying as §1.4 with §1.1 does (an MRR part without an FX rate still makes its customer paying): S is
 * the paying count at the start. Of S, those with m > 0 at both ends are counted as above; those paying with only
 * unconverted parts at the start are their count then (paying − m > 0), less those of them who pay nothing at the
 * end; those with m > 0 at the start and only unconverted parts at the end are added. The database names the last
 * two kinds from the few rows on which paying with only unconverted parts begins or ends inside the window
 * (`unconvertedTurns`). Money stays converted MRR: the revenue ratios' base and movements are those of the
 * customers with m > 0 at the start, as above.
 */
import { computeCashFromGroups, computeRecoveryFromGroups, type CashGroup, type RecoveryGroup } from "./cash";
import { ltvToCacOf, moneyRatio, type FinanceInput, type FinanceKey, type FinanceKpis } from "./finance";
import type { CohortRow } from "./finance-retention";
import { listLtvMonths } from "./finance-retention";
import { buildRateTable } from "./fx";
import type { FxFlags } from "./fx";
import { collectFxFlags, type Headline } from "./headline";
import { div, fromDecimalNumber, mul, rat, ratio, roundHalfAwayFromZero, roundToDecimals } from "./money";
import { defaultKpiSettings, toPoliciesObject, type KpiSettings } from "./policy";
import { addDays, addMonths, endOfPeriod, resolvePeriod, type Interval } from "./time";
import { addInto, emptyTotals, ROLLUP_KEYS, type RollupTotals } from "./rollup";
import type { Day } from "./types";

export type DailyTotals = RollupTotals & { day: Day };
export type CohortTotals = RollupTotals & { cohort: string; month: string };

/** What a window [start, end] needs beyond the daily sums. */
export type WindowCorrection = {
  /** Distinct customers with a `new` movement in the window (N). */
  newCustomers: number;
  /**
   * Distinct customers who stopped paying on some day of the window (finance-retention.ts countChurn: a churn
   * movement that leaves no unconverted part, or the end of an MRR wholly without an FX rate); null when not
   * counted (only movement-based churn needs it).
   */
  churnedCustomers: number | null;
  /** Entrants: customers with a new or reactivation in the window and m ≤ 0 at the end of the day before it. */
  entrants: number;
  /** Entrants with m > 0 at the end of the window, and the Σ of their m then. */
  entrantsPayingAtEnd: number;
  entrantsEndMrr: number;
  /** The entrants' movements in the window. */
  expansion: number;
  contraction: number;
  churn: number;
  reactivation: number;
  /**
   * #(m > 0 at the start, only unconverted parts at the end) − #(only unconverted parts at the start, not paying at
   * the end): with the customers with m > 0 at both ends and those with only unconverted parts at the start they
   * make #(S ∩ E) (keptOfStart). Null when not counted (a window no customer count reads: the trailing year's).
   */
  unconvertedTurns: number | null;
};

/**
 * The whole months of a window [start, end] as of `asOf` (YYYY-MM, inclusive; null: none): the calendar months it
 * holds entirely, and end's month when the window ends on the as-of day (the cohort sums' rows past it are taken
 * back out). Their new customers come from the cohort sums; the database names every other entrant.
 */
export function splitWindow(start: Day, end: Day, asOf: Day): { from: string; to: string } | null {
  const from = (start.endsWith("-01") ? start : addDays(endOfPeriod(start, "month"), 1)).slice(0, 7);
  const to = (end === endOfPeriod(end, "month") || end === asOf ? end : addDays(`${end.slice(0, 7)}-01`, -1)).slice(
    0,
    7,
  );
  return from <= to ? { from, to } : null;
}

/** The engine's input (finance.ts) with totals in place of the ledger and of committed MRR per customer. */
export type TotalsInput = Omit<
  FinanceInput,
  "changes" | "committed" | "invoices" | "charges" | "refunds" | "trials"
> & {
  /** The period's cash: paid invoices, stand-alone charges and refunds, grouped by kind, currency, local day and amount. */
  cash: readonly CashGroup[];
  /** The invoices whose first failed attempt fell in the period, grouped (failed-payment recovery). */
  failedInvoices: readonly RecoveryGroup[];
  /** Trials that ended in the period (listTrialOutcomes' rule), and how many of them converted. */
  trials: { ended: number; converted: number };
  /** mrr_daily rows, at least every day up to `asOf`, sorted by day. */
  daily: readonly DailyTotals[];
  /**
   * Keyed `${start}|${end}`: the period P, each month of the LTV window, and (T + 1 day, asOf] for nrrTrailing12m.
   * Each holds the customers the database names (splitWindow); the cohort sums add the whole months' new ones.
   * With `trailingYear` false (FinanceInput) the costliest window, (T + 1 day, asOf], is not read.
   */
  windows: ReadonlyMap<string, WindowCorrection>;
  /** mrr_cohort_monthly rows with cohort and month up to asOf's month. */
  cohorts: readonly CohortTotals[];
  /** Per cohort, the contributions of rows dated after asOf within asOf's month (taken back out); the movement kinds too. */
  cohortTail: readonly (RollupTotals & { cohort: string })[];
  /** The ledger rows in force at asOf that carry an unconverted part or a warning. */
  flagged: readonly FxFlags[];
  /** The same of the rows in force on the base days of the revenue ratios (headline.ts listBaseDays). */
  baseFlagged: readonly FxFlags[];
};

type WindowsOf = { asOf: Day; interval?: Interval; settings?: KpiSettings; trailingYear?: boolean };

/** The windows a TotalsInput needs corrections for, as [start, end] pairs (keys `${start}|${end}`). */
export function listNeededWindows(input: WindowsOf): [Day, Day][] {
  const out = listCountedWindows(input);
  if (input.trailingYear !== false) out.push([addDays(addMonths(input.asOf, -12), 1), input.asOf]);
  return out.filter(([s, e], i) => out.findIndex(([s2, e2]) => s2 === s && e2 === e) === i);
}

/** Of those, the windows whose customer counts the headline reads: the period P and the LTV months. */
function listCountedWindows(input: WindowsOf): [Day, Day][] {
  const settings = input.settings ?? defaultKpiSettings;
  const period = resolvePeriod(input.asOf, input.interval ?? "month");
  const out: [Day, Day][] = [[period.start, period.end]];
  for (const m of listLtvMonths(input.asOf, settings.ltvChurnWindowMonths)) out.push([m.start, m.end]);
  return out;
}

/** The key of the needed window whose customer counts no value reads: the trailing year's, unless it is P (or none). */
export function findUncountedWindow(input: WindowsOf): string | null {
  const counted = new Set(listCountedWindows(input).map(([s, e]) => `${s}|${e}`));
  return (
    listNeededWindows(input)
      .map(([s, e]) => `${s}|${e}`)
      .find((key) => !counted.has(key)) ?? null
  );
}

/**
 * Cumulative totals as of the end of each day: `stockAt(d)` sums every row dated on or before d. The running sums
 * sit in one typed array (a row of ROLLUP_KEYS per day), so a thousand days cost no allocation each.
 */
export function stocks(daily: readonly DailyTotals[]) {
  const width = ROLLUP_KEYS.length;
  const sums = new Float64Array(daily.length * width);
  daily.forEach((row, i) => {
    for (let k = 0; k < width; k++)
      sums[i * width + k] = (i > 0 ? sums[(i - 1) * width + k]! : 0) + row[ROLLUP_KEYS[k]!];
  });
  const stockAt = (day: Day): RollupTotals => {
    let lo = 0;
    let hi = daily.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if ((daily[mid]?.day ?? "") <= day) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    const out = emptyTotals();
    if (found >= 0) ROLLUP_KEYS.forEach((key, k) => (out[key] = sums[found * width + k]!));
    return out;
  };
  const flow = (start: Day, end: Day): RollupTotals => addInto(stockAt(end), stockAt(addDays(start, -1)), -1);
  return { stockAt, flow };
}

/**
 * The headline values (finance.ts computeFinanceKpis, without breakdowns), period, policies and FX flags from
 * totals. Zero denominators give null; empty flows give 0.
 */
export function computeHeadlineFromTotals(input: TotalsInput): Omit<Headline, "kpis"> {
  const settings = input.settings ?? defaultKpiSettings;
  const period = resolvePeriod(input.asOf, input.interval ?? "month");
  const { stockAt, flow } = stocks(input.daily);
  const windowOf = (start: Day, end: Day): WindowCorrection => {
    const w = input.windows.get(`${start}|${end}`);
    if (!w) throw new Error(`no window correction for ${start}..${end}`);
    return withCohortEntrants(w, input, start, end);
  };

  const now = stockAt(input.asOf);
  const mrr = now.mrrDelta;
  const paying = now.payingDelta;
  const arr = input.policy.arr === "annualContractsOnly" ? 12 * now.annualDelta : 12 * mrr;
  const cmrr = now.cmrrDelta;
  const carr = 12 * (input.policy.arr === "annualContractsOnly" ? now.annualCmrrDelta : now.cmrrDelta);

  const countChurn = (start: Day, end: Day) =>
    countChurnFromTotals(windowOf(start, end), stockAt(addDays(start, -1)), stockAt(end), input.policy);

  const p = flow(period.start, period.end);
  const w = windowOf(period.start, period.end);
  const newMrr = p.new;
  const netNew = p.new + p.expansion + p.contraction + p.churn + p.reactivation;
  const N = w.newCustomers;

  const S = stockAt(addDays(period.start, -1));
  const startMrrS = S.mrrDelta;
  const lost = p.contraction - w.contraction + (p.churn - w.churn);
  const gained = p.expansion - w.expansion + (p.reactivation - w.reactivation);
  const keptS = keptOfStart(w, S, stockAt(period.end));
  const churn = countChurn(period.start, period.end);

  // LTV: arpa × margin ÷ pooled monthly churn over the complete months of the window (finance-retention.ts).
  let churned = 0;
  let base = 0;
  for (const m of listLtvMonths(input.asOf, settings.ltvChurnWindowMonths)) {
    const c = countChurn(m.start, m.end);
    churned += c.numerator;
    base += c.denominator;
  }
  const ltvExact =
    paying === 0 || churned === 0 || base === 0
      ? null
      : div(mul(rat(mrr, paying), fromDecimalNumber(settings.grossMargin)), rat(churned, base));
  const ltv = ltvExact ? roundHalfAwayFromZero(ltvExact) : null;

  const spend = input.marketingSpend ?? null;
  const cac = spend === null || N === 0 ? null : rat(spend, N);
  const ltvToCac = ltvToCacOf(ltvExact, cac);
  const paybackDenominator = mul(rat(newMrr), fromDecimalNumber(settings.grossMargin));
  const payback =
    spend === null || paybackDenominator.n === 0n ? null : roundToDecimals(div(rat(spend), paybackDenominator), 4);

  // nrrTrailing12m over S12 (paying at T = asOf − 12 months): Σ m(asOf) of S12 is today's MRR minus the entrants'.
  const T = addMonths(input.asOf, -12);
  const nrr12 =
    input.trailingYear === false
      ? null
      : ratio(mrr - windowOf(addDays(T, 1), input.asOf).entrantsEndMrr, stockAt(T).mrrDelta);

  const rates = buildRateTable(input.fxRates ?? [], input.reportingCurrency ?? "usd");
  const cash = computeCashFromGroups(input.cash, rates);
  const recovery = computeRecoveryFromGroups(input.failedInvoices, rates);

  const values: { [K in FinanceKey]: FinanceKpis[K]["value"] } = {
    mrr,
    arr,
    cmrr,
    carr,
    netNewMrr: netNew,
    newMrr,
    expansionMrr: p.expansion,
    contractionMrr: p.contraction,
    churnedMrr: p.churn,
    reactivationMrr: p.reactivation,
    payingCustomers: paying,
    trialingCustomers: now.trialingDelta,
    arpa: moneyRatio(mrr, paying),
    acv: moneyRatio(arr, paying),
    acvNew: moneyRatio(12 * newMrr, N),
    trialConversionRate: ratio(input.trials.converted, input.trials.ended),
    customerChurnRate: ratio(churn.numerator, churn.denominator),
    customerRetentionRate: ratio(keptS, S.payingDelta),
    grossRevenueChurnRate: ratio(-lost, startMrrS),
    netRevenueChurnRate: ratio(-(lost + gained), startMrrS),
    nrr: ratio(startMrrS + gained + lost, startMrrS),
    grr: ratio(startMrrS + lost, startMrrS),
    nrrTrailing12m: nrr12,
    quickRatio: ratio(p.new + p.expansion + p.reactivation, -(p.contraction + p.churn)),
    ltv,
    ltvToCac: ltvToCac.value,
    ltvToCacHealthy: ltvToCac.healthy,
    cacPaybackMonths: payback,
    cashCollected: cash.value,
    failedPaymentRecoveryRate: recovery.value,
    cohortRetention: cohortTable(input),
  };

  // The same flags as computeHeadline (headline.ts collectFxFlags).
  const listed = [...input.flagged, cash.breakdown, recovery.breakdown, input.marketingSpendFx];
  return { period, values, policies: toPoliciesObject(input.policy), ...collectFxFlags(listed, input.baseFlagged) };
}

/**
 * #(S ∩ E) of a window from the stocks before it and at its end: the customers with m > 0 at both ends (totals
 * minus entrants), plus those paying with only unconverted parts at the start, plus unconvertedTurns.
 */
function keptOfStart(w: WindowCorrection, before: RollupTotals, atEnd: RollupTotals): number {
  if (w.unconvertedTurns === null) throw new Error("the start customers kept in the window were not counted");
  const unconvertedAtStart = before.payingDelta - before.positiveDelta;
  return atEnd.positiveDelta - w.entrantsPayingAtEnd + unconvertedAtStart + w.unconvertedTurns;
}

/**
 * A window's logo churn counts from totals (finance-retention.ts countChurn): #S is the paying count at the end of
 * the day before it; `"startCohort"` counts S \ E, `"movements"` the customers who stopped paying over #S + #N.
 */
export function countChurnFromTotals(
  w: WindowCorrection,
  before: RollupTotals,
  atEnd: RollupTotals,
  policy: Pick<TotalsInput["policy"], "churnRateBasis">,
): { numerator: number; denominator: number } {
  const S = before.payingDelta;
  if (policy.churnRateBasis === "movements") {
    if (w.churnedCustomers === null) throw new Error("churned customers of the window were not counted");
    return { numerator: w.churnedCustomers, denominator: S + w.newCustomers };
  }
  return { numerator: S - keptOfStart(w, before, atEnd), denominator: S };
}

/**
 * A window's whole correction: the database's part (the customers it names) plus the new customers of the
 * window's whole months (splitWindow), from the cohort sums: each such customer is an entrant, starts the window at
 * 0, and its cohort's cells in the window hold its movements there. When the window ends on the as-of day, the
 * cells' rows past it (`cohortTail`) are taken back out.
 */
export function withCohortEntrants(
  named: WindowCorrection,
  sums: Pick<TotalsInput, "cohorts" | "cohortTail" | "asOf">,
  start: Day,
  end: Day,
): WindowCorrection {
  const whole = splitWindow(start, end, sums.asOf);
  const sum = emptyTotals();
  if (whole) {
    const inWhole = (month: string) => month >= whole.from && month <= whole.to;
    for (const cell of sums.cohorts) if (inWhole(cell.cohort) && inWhole(cell.month)) addInto(sum, cell);
    if (end === sums.asOf) for (const tail of sums.cohortTail) if (inWhole(tail.cohort)) addInto(sum, tail, -1);
  }
  return {
    newCustomers: named.newCustomers + sum.members,
    churnedCustomers: named.churnedCustomers,
    entrants: named.entrants + sum.members,
    entrantsPayingAtEnd: named.entrantsPayingAtEnd + sum.positiveDelta,
    entrantsEndMrr: named.entrantsEndMrr + sum.mrrDelta,
    expansion: named.expansion + sum.expansion,
    contraction: named.contraction + sum.contraction,
    churn: named.churn + sum.churn,
    reactivation: named.reactivation + sum.reactivation,
    unconvertedTurns: named.unconvertedTurns,
  };
}

/** Cohort retention (§4.5) from the per-cohort monthly sums: cells at each month end, the last one at asOf. */
function cohortTable(input: TotalsInput): CohortRow[] {
  const asOfMonth = input.asOf.slice(0, 7);
  const byCohort = new Map<string, Map<string, RollupTotals>>();
  for (const row of input.cohorts) {
    if (row.cohort > asOfMonth || row.month > asOfMonth) continue;
    const months = byCohort.get(row.cohort) ?? new Map<string, RollupTotals>();
    months.set(row.month, addInto(months.get(row.month) ?? emptyTotals(), row));
    byCohort.set(row.cohort, months);
  }
  for (const tail of input.cohortTail) {
    const months = byCohort.get(tail.cohort);
    const cell = months?.get(asOfMonth);
    if (cell) addInto(cell, tail, -1);
  }
  const out: CohortRow[] = [];
  for (const cohort of [...byCohort.keys()].sort()) {
    const months = byCohort.get(cohort) ?? new Map<string, RollupTotals>();
    const running = emptyTotals();
    const earlier = [...months.keys()].filter((m) => m < cohort).sort();
    for (const m of earlier) {
      const cell = months.get(m);
      if (cell) addInto(running, cell);
    }
    const logo: (number | null)[] = [];
    const revenue: (number | null)[] = [];
    const size = [...months.values()].reduce((a, t) => a + t.members, 0);
    const initial = [...months.values()].reduce((a, t) => a + t.initialMrr, 0);
    if (size === 0) continue;
    for (let month = `${cohort}-01`; month <= input.asOf; month = addMonths(month, 1)) {
      const cell = months.get(month.slice(0, 7));
      if (cell) addInto(running, cell);
      logo.push(ratio(running.payingDelta, size));
      revenue.push(ratio(running.mrrDelta, initial));
      if (endOfPeriod(month, "month") >= input.asOf) break;
    }
    out.push({ cohort, size, initialMrr: initial, logo, revenue, members: [] });
  }
  return out;
}
