/** Test helpers: a customer's series with default policy, and point lookups on it. */
import { computeCustomerMrrSeries, type CustomerMrrDay } from "../mrr-series";
import type { MeteredUsageLine } from "../metered";
import { toMrrChanges, type MrrChange } from "../movements";
import { defaultMetricPolicy, type MetricPolicy } from "../policy";
import type { Day, FxRate, SchedulePhase, SubscriptionVersion } from "../types";

export type SeriesOptions = {
  policy?: Partial<MetricPolicy>;
  timeZone?: string;
  reportingCurrency?: string;
  fxRates?: FxRate[];
  toDay?: Day;
  meteredLines?: MeteredUsageLine[];
  schedules?: SchedulePhase[];
};

export function seriesFor(versions: SubscriptionVersion[], o: SeriesOptions = {}): CustomerMrrDay[] {
  return computeCustomerMrrSeries({
    versions,
    policy: { ...defaultMetricPolicy, ...o.policy },
    timeZone: o.timeZone ?? "UTC",
    reportingCurrency: o.reportingCurrency ?? "usd",
    fxRates: o.fxRates ?? [],
    toDay: o.toDay ?? "2030-12-31",
    meteredLines: o.meteredLines,
    schedules: o.schedules,
  });
}

export function changesFor(customerId: string, versions: SubscriptionVersion[], o: SeriesOptions = {}): MrrChange[] {
  return toMrrChanges(customerId, seriesFor(versions, o), { ...defaultMetricPolicy, ...o.policy });
}

/** The row in force at the end of `day` (the latest row on or before it), if any. */
export function rowOn<T extends { day: Day }>(rows: readonly T[], day: Day): T | undefined {
  let found: T | undefined;
  for (const r of rows) if (r.day <= day) found = r;
  return found;
}

export function mrrOn(rows: readonly { day: Day; mrr: number }[], day: Day): number {
  return rowOn(rows, day)?.mrr ?? 0;
}

/**
 * Ledger rows for a customer from hand-written end-of-day MRR steps ([day, mrr], in order), in usd, so KPI tests
 * can state their scenario as numbers. Movements are classified by the real rules (toMrrChanges).
 */
export function changesFromSteps(
  customerId: string,
  steps: [Day, number][],
  policy: Partial<MetricPolicy> = {},
): MrrChange[] {
  let previous = 0;
  const series: CustomerMrrDay[] = steps.map(([day, mrr]) => {
    const row: CustomerMrrDay = {
      day,
      mrr,
      annualMrr: 0,
      cmrr: mrr,
      annualCmrr: 0,
      parts: mrr > 0 ? { usd: String(mrr) } : {},
      trialing: false,
      eventIds: [],
      warnings: [],
      previousMrrAtCurrentRates: previous,
      involuntary: false,
    };
    previous = mrr;
    return row;
  });
  return toMrrChanges(customerId, series, { ...defaultMetricPolicy, ...policy });
}
