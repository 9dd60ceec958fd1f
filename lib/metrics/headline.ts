/**
 * The headline object of `GET /api/v1/workspaces/<slug>/metrics` and the period-over-period comparison (§1.2).
 */
import { computeFinanceKpis, type FinanceInput, type FinanceKey, type FinanceKpis } from "./finance";
import { indexLedger, rowAsOf } from "./ledger";
import { fromDecimalNumber, ratio, roundToDecimals, sub } from "./money";
import { toPoliciesObject, type PoliciesObject } from "./policy";
import type { ReportPeriod } from "./time";

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

/** FX flags of one input of the answer: amounts left out for lack of a rate (original minor units) and warnings. */
export type FxFlags = { unconverted?: Record<string, number> | null; warnings?: readonly string[] };

/** Adds a part's unconverted amounts (summed per currency) and warnings into the answer's (§1.1). */
export function addFxFlags(
  into: { unconverted: Record<string, number>; warnings: Set<string> },
  part: FxFlags | null | undefined,
): void {
  for (const [cur, amount] of Object.entries(part?.unconverted ?? {}))
    into.unconverted[cur] = (into.unconverted[cur] ?? 0) + amount;
  for (const w of part?.warnings ?? []) into.warnings.add(w);
}

/**
 * The headline object of `GET /api/v1/workspaces/<slug>/metrics?date=D`: every finance key (null when undefined),
 * the period `{start, end, partial, daysElapsed, daysInPeriod}`, and `policies`, and `incomplete`/`unconverted`/`warnings`
 * (§1.1) from every converted input: the MRR rows as of D, failed-payment recovery and marketing spend (amounts
 * without an FX rate listed in `unconverted`), and cash collected (its amounts without a rate make the answer
 * incomplete and add their warnings). The route adds `workspace`, `date` and `currency`.
 */
export function computeHeadline(input: FinanceInput): Headline {
  const { period, kpis } = computeFinanceKpis(input);
  const values = Object.fromEntries(Object.entries(kpis).map(([k, v]) => [k, v.value])) as Headline["values"];
  const flags = { unconverted: {} as Record<string, number>, warnings: new Set<string>() };
  for (const rows of indexLedger(input.changes.filter((c) => c.day <= input.asOf)).values())
    addFxFlags(flags, rowAsOf(rows, input.asOf));
  const { unconverted, warnings } = flags;
  const cash = kpis.cashCollected.breakdown as FxFlags;
  for (const w of cash.warnings ?? []) warnings.add(w);
  const cashIncomplete = Object.keys(cash.unconverted ?? {}).length > 0;
  addFxFlags(flags, kpis.failedPaymentRecoveryRate.breakdown as FxFlags);
  addFxFlags(flags, input.marketingSpendFx);
  return {
    period,
    values,
    kpis,
    policies: toPoliciesObject(input.policy),
    incomplete: Object.keys(unconverted).length > 0 || cashIncomplete,
    unconverted,
    warnings: [...warnings],
  };
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
