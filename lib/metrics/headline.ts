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

/**
 * The headline object of `GET /api/v1/workspaces/<slug>/metrics?date=D`: every finance key (null when undefined),
 * the period `{start, end, partial, daysElapsed, daysInPeriod}`, and `policies`, and `incomplete`/`unconverted`/`warnings`
 * from the MRR rows as of D (a part without an FX rate, §1.1). Cash amounts without a rate also make the answer
 * incomplete. The route adds `workspace`, `date` and `currency`.
 */
export function computeHeadline(input: FinanceInput): Headline {
  const { period, kpis } = computeFinanceKpis(input);
  const values = Object.fromEntries(Object.entries(kpis).map(([k, v]) => [k, v.value])) as Headline["values"];
  const unconverted: Record<string, number> = {};
  const warnings = new Set<string>();
  for (const rows of indexLedger(input.changes.filter((c) => c.day <= input.asOf)).values()) {
    const row = rowAsOf(rows, input.asOf);
    for (const [cur, amount] of Object.entries(row?.unconverted ?? {}))
      unconverted[cur] = (unconverted[cur] ?? 0) + amount;
    for (const w of row?.warnings ?? []) warnings.add(w);
  }
  const cash = kpis.cashCollected.breakdown as { unconverted?: Record<string, number>; warnings?: string[] };
  for (const w of cash.warnings ?? []) warnings.add(w);
  const cashIncomplete = Object.keys(cash.unconverted ?? {}).length > 0;
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
