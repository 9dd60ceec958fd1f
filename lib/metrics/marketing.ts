/**
 * Marketing KPIs of metrics.md §4.2: traffic, signups, leads, spend and the conversions between them.
 * Funnel and lead velocity are in funnel.ts, CAC and ROI in cac.ts, PQLs in pql.ts.
 */
import type { CustomerLinker, MrrLookup } from "./customer-linking";
import {
  isInPeriod,
  type KpiPeriod,
  type KpiOutput,
  type KpiSettings,
  type LeadRecord,
  type NewCustomer,
  type ProductActivityRecord,
  type RatioBreakdown,
  type SignupRecord,
  type SpendConverter,
  type SpendRecord,
  type VisitRecord,
} from "./kpi-inputs";
import { firstDayOfMonth, toRatio } from "./kpi-math";
import type { Day } from "./types";

const MS_PER_DAY = 86_400_000;

/** Normalizes a source or channel the way ingest does (§4.7), for records that bypassed the schema. */
export const toChannelKey = (value: string): string =>
  value
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, "_");

const countDistinct = <T>(records: readonly T[], keyOf: (record: T) => string) => new Set(records.map(keyOf)).size;

/**
 * `muv`: distinct `visitorId` of `visit` events in the calendar month containing D, from the 1st up to D, whatever
 * the requested period is. Empty → 0.
 */
export function computeMuv(input: {
  visits: readonly VisitRecord[];
  asOf: Day;
}): KpiOutput<number, { month: KpiPeriod }> {
  const month = { start: firstDayOfMonth(input.asOf), end: input.asOf };
  return { value: computeUniqueVisitors({ visits: input.visits, period: month }).value, breakdown: { month } };
}

/** `uniqueVisitors`: distinct `visitorId` with a visit in P. Empty → 0. */
export function computeUniqueVisitors(input: {
  visits: readonly VisitRecord[];
  period: KpiPeriod;
}): KpiOutput<number, Record<string, never>> {
  const inPeriod = input.visits.filter((visit) => isInPeriod(visit.day, input.period));
  return { value: countDistinct(inPeriod, (visit) => visit.visitorId), breakdown: {} };
}

/** `signups`: the number of `signup` events in P (a flow; empty → 0). The breakdown groups them by source. */
export function computeSignups(input: {
  signups: readonly SignupRecord[];
  period: KpiPeriod;
}): KpiOutput<number, { bySource: Record<string, number> }> {
  const inPeriod = input.signups.filter((signup) => isInPeriod(signup.day, input.period));
  return { value: inPeriod.length, breakdown: { bySource: countBy(inPeriod, (s) => s.source ?? "unattributed") } };
}

/** `leads` and `leadsBySource`: #`lead` events in P, in total and by normalized source. Empty → 0 and {}. */
export function computeLeads(input: {
  leads: readonly LeadRecord[];
  period: KpiPeriod;
}): KpiOutput<number, { bySource: Record<string, number> }> {
  const inPeriod = input.leads.filter((lead) => isInPeriod(lead.day, input.period));
  return { value: inPeriod.length, breakdown: { bySource: countBy(inPeriod, (lead) => lead.source) } };
}

function countBy<T>(records: readonly T[], keyOf: (record: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const record of records) {
    const key = toChannelKey(keyOf(record));
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

export type SpendBreakdown = {
  byChannel: Record<string, number>;
  /** Original minor units left out of the totals for lack of an FX rate, by currency. */
  unconverted: Record<string, number>;
  incomplete: boolean;
  warnings: string[];
};

/**
 * `marketingSpend` (value) and `marketingSpendByChannel` (breakdown.byChannel): Σ `marketing_spend` in P converted to
 * the reporting currency. Each row is converted on its own day and rounded by `convert`, then summed (§1.1). A row
 * without a rate is left out and listed in `unconverted` with the warning `missing_fx_rate:<currency>:<day>`.
 * Empty → 0.
 */
export function computeMarketingSpend(input: {
  spend: readonly SpendRecord[];
  period: KpiPeriod;
  reportingCurrency: string;
  convert?: SpendConverter;
}): KpiOutput<number, SpendBreakdown> {
  const byChannel: Record<string, number> = {};
  const unconverted: Record<string, number> = {};
  const warnings = new Set<string>();
  let total = 0;
  for (const row of input.spend) {
    if (!isInPeriod(row.day, input.period)) continue;
    const currency = row.currency.toLowerCase();
    const amount =
      currency === input.reportingCurrency ? row.amount : (input.convert?.(row.amount, currency, row.day) ?? null);
    if (amount === null) {
      unconverted[currency] = (unconverted[currency] ?? 0) + row.amount;
      warnings.add(`missing_fx_rate:${currency}:${row.day}`);
      continue;
    }
    const channel = toChannelKey(row.channel);
    byChannel[channel] = (byChannel[channel] ?? 0) + amount;
    total += amount;
  }
  return {
    value: total,
    breakdown: { byChannel, unconverted, incomplete: warnings.size > 0, warnings: [...warnings].sort() },
  };
}

/** `visitorToSignupRate` = signups ÷ uniqueVisitors, both in P. No visitors → null. */
export function computeVisitorToSignupRate(input: {
  visits: readonly VisitRecord[];
  signups: readonly SignupRecord[];
  period: KpiPeriod;
}): KpiOutput<number | null, RatioBreakdown> {
  const numerator = computeSignups(input).value;
  const denominator = computeUniqueVisitors(input).value;
  return { value: toRatio(numerator, denominator), breakdown: { numerator, denominator } };
}

/**
 * `signupToPaidRate` = #(signups in P whose linked customer has MRR > 0 on any day from the signup's day to D)
 * ÷ signups in P. D is `period.end`. Unlinked signups count in the denominator only. No signups → null.
 */
export function computeSignupToPaidRate(input: {
  signups: readonly SignupRecord[];
  period: KpiPeriod;
  linker: CustomerLinker;
  mrr: MrrLookup;
}): KpiOutput<number | null, RatioBreakdown & { paidSignupIds: string[] }> {
  const inPeriod = input.signups.filter((signup) => isInPeriod(signup.day, input.period));
  const paid = inPeriod.filter((signup) => {
    const customerId = input.linker.link(signup);
    return customerId !== null && input.mrr.isPaidBetween(customerId, signup.day, input.period.end);
  });
  return {
    value: toRatio(paid.length, inPeriod.length),
    breakdown: { numerator: paid.length, denominator: inPeriod.length, paidSignupIds: paid.map((s) => s.id) },
  };
}

/**
 * `activationRate` = #(signups in P with a `product_activity` by the same `userId` or by the signup's linked customer,
 * at an instant in [signup, signup + activationWindowDays × 24 h)) ÷ signups in P (§4.7: activity before the signup
 * instant doesn't count). Reads `activationWindowDays`. Pass activity up to D + the window. No signups → null.
 */
export function computeActivationRate(input: {
  signups: readonly SignupRecord[];
  activity: readonly ProductActivityRecord[];
  period: KpiPeriod;
  linker: CustomerLinker;
  settings: Pick<KpiSettings, "activationWindowDays">;
}): KpiOutput<number | null, RatioBreakdown & { activationWindowDays: number }> {
  const windowMs = input.settings.activationWindowDays * MS_PER_DAY;
  // Instants per user and per customer, sorted, so each signup is one binary search instead of a scan.
  const byUser = groupInstants(input.activity, (a) => a.userId);
  const byCustomer = groupInstants(input.activity, (a) => a.customerId);
  const inPeriod = input.signups.filter((signup) => isInPeriod(signup.day, input.period));
  const activated = inPeriod.filter((signup) => {
    const customerId = input.linker.link(signup);
    const from = signup.occurredAt;
    return (
      hasInstantIn(byUser.get(signup.userId), from, from + windowMs) ||
      (customerId !== null && hasInstantIn(byCustomer.get(customerId), from, from + windowMs))
    );
  });
  return {
    value: toRatio(activated.length, inPeriod.length),
    breakdown: {
      numerator: activated.length,
      denominator: inPeriod.length,
      activationWindowDays: input.settings.activationWindowDays,
    },
  };
}

function groupInstants<T extends { occurredAt: number }>(records: readonly T[], keyOf: (r: T) => string) {
  const groups = new Map<string, number[]>();
  for (const record of records) {
    const key = keyOf(record);
    const list = groups.get(key);
    if (list) list.push(record.occurredAt);
    else groups.set(key, [record.occurredAt]);
  }
  for (const list of groups.values()) list.sort((a, b) => a - b);
  return groups;
}

/** Whether a sorted list holds an instant in [from, to). */
function hasInstantIn(sorted: readonly number[] | undefined, from: number, to: number): boolean {
  if (!sorted) return false;
  let [lo, hi] = [0, sorted.length];
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as number) < from) lo = mid + 1;
    else hi = mid;
  }
  return lo < sorted.length && (sorted[lo] as number) < to;
}

/**
 * `viralCoefficient` (k) = #(customers in N with a linked signup whose `referredBy` is set) ÷ #S, where #S is the
 * number of customers paying at the start of P. Pass every signup that may link to a customer in N, not only those
 * in P. #S = 0 → null.
 */
export function computeViralCoefficient(input: {
  newCustomers: readonly NewCustomer[];
  signups: readonly SignupRecord[];
  linker: CustomerLinker;
  startPayingCustomers: number;
}): KpiOutput<number | null, RatioBreakdown & { referredCustomerIds: string[] }> {
  const referred = new Set<string>();
  for (const signup of input.signups) {
    if (!signup.referredBy) continue;
    const customerId = input.linker.link(signup);
    if (customerId !== null) referred.add(customerId);
  }
  const referredCustomerIds = [...new Set(input.newCustomers.map((c) => c.customerId))].filter((id) =>
    referred.has(id),
  );
  return {
    value: toRatio(referredCustomerIds.length, input.startPayingCustomers),
    breakdown: {
      numerator: referredCustomerIds.length,
      denominator: input.startPayingCustomers,
      referredCustomerIds,
    },
  };
}
