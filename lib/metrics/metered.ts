/**
 * Usage-based MRR under `metered: "trailing3MonthAverage"` (metrics.md N4).
 */
import { add, rat, mul, ZERO, fromMinor, type Rational } from "./money";
import { addDays, addMonths, startOfPeriod, toLocalDay } from "./time";
import type { Day, Instant } from "./types";

/** One metered invoice line: its amount after discounts and before tax, and its service period end. */
export type MeteredUsageLine = {
  id: string;
  customerId: string;
  currency: string;
  amount: number;
  /** The line's `period.end` (exclusive, as Stripe sends it). */
  serviceEnd: Instant;
  invoiceStatus: "draft" | "open" | "paid" | "uncollectible" | "void";
};

/**
 * ⅓ × Σ amounts of the customer's non-void metered lines whose service period ends in the 3 complete calendar
 * months before the month of `day`, per currency. Stripe's period end is exclusive (a March period ends Apr 1
 * 00:00), so a line's month is the local day of the instant just before `serviceEnd`.
 */
export function computeMeteredMrr(
  lines: readonly MeteredUsageLine[],
  day: Day,
  timeZone: string,
): Map<string, Rational> {
  const monthStart = startOfPeriod(day, "month");
  const windowStart = addMonths(monthStart, -3);
  const windowEnd = addDays(monthStart, -1);
  const out = new Map<string, Rational>();
  for (const line of lines) {
    if (line.invoiceStatus === "void") continue;
    const lineDay = toLocalDay(line.serviceEnd - 1, timeZone);
    if (lineDay < windowStart || lineDay > windowEnd) continue;
    out.set(line.currency, add(out.get(line.currency) ?? ZERO, mul(fromMinor(line.amount), rat(1n, 3n))));
  }
  return out;
}

/** The month starts on which the trailing average can change: each line's month + 1 … + 3 months. */
export function listMeteredChangeDays(lines: readonly MeteredUsageLine[], timeZone: string): Day[] {
  const days = new Set<Day>();
  for (const line of lines) {
    const month = startOfPeriod(toLocalDay(line.serviceEnd - 1, timeZone), "month");
    for (let k = 1; k <= 4; k++) days.add(addMonths(month, k));
  }
  return [...days];
}
