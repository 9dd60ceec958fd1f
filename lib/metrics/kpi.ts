/** The shape of every KPI answer (style.md §3): one number and the breakdown behind it. */
export type KpiResult<T, B = Record<string, unknown>> = { value: T | null; breakdown: B };

/** A ratio's breakdown always carries its exact numerator and denominator (§1.3). */
export type RatioBreakdown = { numerator: number; denominator: number } & Record<string, unknown>;
