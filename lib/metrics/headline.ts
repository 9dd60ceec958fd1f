/**
 * The headline object of `GET /api/v1/workspaces/<slug>/metrics` and the period-over-period comparison (§1.2).
 */
import { computeFinanceKpis, type FinanceInput, type FinanceKey, type FinanceKpis } from "./finance";
import { addFxFlags, type FxFlags } from "./fx";
import { indexLedger, rowAsOf } from "./ledger";
import { fromDecimalNumber, ratio, roundToDecimals, sub } from "./money";
import { toPoliciesObject, type PoliciesObject } from "./policy";
import { addDays, addMonths, type ReportPeriod } from "./time";
import type { Day } from "./types";

export type Headline = {
  period: ReportPeriod;
  /** Every finance key with its value, or null when undefined (§1.3). */
  values: { [K in FinanceKey]: FinanceKpis[K]["value"] };
  kpis: FinanceKpis;
  /** Every policy key and the fixed rules (§2.2), for the answer's `policies` object. */
  policies: PoliciesObject;
  /** True when some amount was left out for lack of an FX rate. */
  incomplete: boolean;
  unconverted: Record<string, number>;
  warnings: string[];
};

/**
 * The days whose ledger rows the revenue ratios start from: the end of the day before P (S, for nrr, grr and the
 * revenue churn rates) and, unless `trailingYear` is false, D − 12 months (S12, for nrrTrailing12m).
 */
export function listBaseDays(period: { start: Day }, asOf: Day, trailingYear = true): Day[] {
  const start = addDays(period.start, -1);
  return trailingYear ? [start, addMonths(asOf, -12)] : [start];
}

/**
 * The answer's `incomplete`, `unconverted` and `warnings` (§1.1). Each input in `listed` lists in `unconverted`
 * what a total of the answer left out for lack of an FX rate (summed per currency) and adds its warnings: the MRR
 * rows in force at D, cash collected, failed-payment recovery and marketing spend. The rows in force on the base
 * days (listBaseDays), whose converted MRR the revenue ratios divide by, add their warnings and make the answer
 * incomplete when they left MRR out; their amounts are not listed again, being mostly the MRR at D of the same
 * customers (F2: one eur part of 4000 lists {eur: 4000}, whatever the period).
 */
export function collectFxFlags(
  listed: Iterable<FxFlags | null | undefined>,
  bases: Iterable<FxFlags | null | undefined>,
): Pick<Headline, "incomplete" | "unconverted" | "warnings"> {
  const flags = { unconverted: {} as Record<string, number>, warnings: new Set<string>() };
  for (const part of listed) addFxFlags(flags, part);
  const base = { unconverted: {} as Record<string, number>, warnings: flags.warnings };
  for (const part of bases) addFxFlags(base, part);
  const { unconverted, warnings } = flags;
  const incomplete = Object.keys(unconverted).length > 0 || Object.keys(base.unconverted).length > 0;
  return { incomplete, unconverted, warnings: [...warnings] };
}

/**
 * The headline object of `GET /api/v1/workspaces/<slug>/metrics?date=D`: every finance key (null when undefined),
 * the period `{start, end, partial, daysElapsed, daysInPeriod}`, and `policies`, and `incomplete`/`unconverted`/`warnings`
 * (§1.1, collectFxFlags) from every converted input: the MRR rows as of D, cash collected, failed-payment recovery
 * and marketing spend, and the rows the revenue ratios start from. The route adds `workspace`, `date` and `currency`.
 */
export function computeHeadline(input: FinanceInput): Headline {
  const { period, kpis } = computeFinanceKpis(input);
  const values = Object.fromEntries(Object.entries(kpis).map(([k, v]) => [k, v.value])) as Headline["values"];
  const ledgers = [...indexLedger(input.changes.filter((c) => c.day <= input.asOf)).values()];
  const baseDays = listBaseDays(period, input.asOf, input.trailingYear !== false);
  const listed: (FxFlags | null | undefined)[] = [
    ...ledgers.map((rows) => rowAsOf(rows, input.asOf)),
    kpis.cashCollected.breakdown as FxFlags,
    kpis.failedPaymentRecoveryRate.breakdown as FxFlags,
    input.marketingSpendFx,
  ];
  const bases = baseDays.flatMap((day) => ledgers.map((rows) => rowAsOf(rows, day)));
  return { period, values, kpis, policies: toPoliciesObject(input.policy), ...collectFxFlags(listed, bases) };
}

/**
 * change = current − previous; changeRate = change ÷ |previous|, null when previous is 0 or null (§1.2). Inputs are
 * KPI outputs (integers or 4-decimal fractions), read exactly from their decimal form.
 */
export function computeChange(
  current: number | null,
  previous: number | null,
): { change: number | null; changeRate: number | null } {
  if (current === null || previous === null) return { change: null, changeRate: null };
  const change = sub(fromDecimalNumber(current), fromDecimalNumber(previous));
  const base = fromDecimalNumber(Math.abs(previous));
  return { change: roundToDecimals(change, 4), changeRate: ratio(change, base) };
}
