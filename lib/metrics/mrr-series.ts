/**
 * A customer's MRR history (metrics.md §2.1, N15–N19): the local days on which its end-of-day MRR, or anything the
 * KPIs read from it, changes. This is what the database keeps as the per-customer change ledger.
 */
import { buildRateTable, convertParts } from "./fx";
import { computeMeteredMrr, listMeteredChangeDays, type MeteredUsageLine } from "./metered";
import { add, equals, formatRational, roundHalfAwayFromZero, ZERO, type Rational } from "./money";
import type { MetricPolicy } from "./policy";
import { computeSubscriptionMrr, DAY_MS } from "./subscription-mrr";
import { endOfLocalDay, toLocalDay } from "./time";
import { committedPartsAt } from "./committed-mrr";
import type { Day, FxRate, Instant, SchedulePhase, SubscriptionVersion } from "./types";

/** One row of a customer's MRR series: the state at the end of `day`, which differs from the previous row. */
export type CustomerMrrDay = {
  day: Day;
  /** Customer MRR in minor units of the reporting currency, rounded once from the exact parts (N19). */
  mrr: number;
  /** The MRR of items billed yearly or longer, converted and rounded the same way (N18 `annualContractsOnly`). */
  annualMrr: number;
  /** Committed MRR (§4.1 `cmrr`, committed-mrr.ts) at the end of the day, converted and rounded like `mrr`. */
  cmrr: number;
  /** The committed MRR of items billed yearly or longer (`carr` under `annualContractsOnly`). */
  annualCmrr: number;
  /** Exact per-currency parts in original minor units, as "n" or "n/d" (see money.ts `formatRational`). */
  parts: Record<string, string>;
  /** At least one subscription is `trialing` at the end of the day. */
  trialing: boolean;
  /** The Stripe events behind the changes effective on this day (versions, and the versions carrying derived changes). */
  eventIds: string[];
  /** Parts left out of `mrr` for lack of an FX rate (original minor units). */
  unconverted?: Record<string, number>;
  warnings: string[];
  /**
   * The previous row's parts valued at this day's rates (§3.4 `prevAtToday`). Equals the previous row's `mrr`
   * under `fxRate: "lastChange"`; 0 on the first row.
   */
  previousMrrAtCurrentRates: number;
  /** A subscription stopped counting on this day because of a payment failure (involuntary churn). */
  involuntary: boolean;
};

export type CustomerMrrSeriesInput = {
  /** Every version of every subscription of one customer, in any order. */
  versions: readonly SubscriptionVersion[];
  policy: MetricPolicy;
  timeZone: string;
  reportingCurrency: string;
  fxRates: readonly FxRate[];
  /** The last day evaluated (inclusive). */
  toDay: Day;
  /** The customer's metered invoice lines, read only under `metered: "trailing3MonthAverage"`. */
  meteredLines?: readonly MeteredUsageLine[];
  /** The customer's subscription schedules (their latest state), for committed MRR. */
  schedules?: readonly SchedulePhase[];
};

type ChangePoint = { at: Instant; eventId: string | null };

/** Whether two JSON values are equal: the same keys in any order, arrays in order. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const list = b as unknown[];
    return a.length === list.length && a.every((x, i) => sameJson(x, list[i]));
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  const keys = Object.keys(x);
  return keys.length === Object.keys(y).length && keys.every((k) => k in y && sameJson(x[k], y[k]));
}

/**
 * A subscription's history sorted by `validFrom`, without the versions that repeat the state before them. Stripe
 * sends `customer.subscription.updated` at every renewal, and most of a long history repeats: such a version
 * changes nothing and causes no MRR change; the version that set the state stays its cause (metrics.md §2.3).
 * The sort is stable: two versions with the same `validFrom` (same-second events) keep the order they came in,
 * so callers pass them in `(valid_from, event_key)` order (ADR 0003), as the version reads of db/queries do.
 */
export function changesOf(list: readonly SubscriptionVersion[]): SubscriptionVersion[] {
  const sorted = [...list].sort((a, b) => a.validFrom - b.validFrom);
  return sorted.filter((v, i) => i === 0 || !sameJson(v.state, sorted[i - 1]!.state));
}

/**
 * Groups versions by subscription into their changes (`changesOf`), and fills a missing `pastDueSince` with the
 * start of the version run that entered past_due (the projection may not know it for old events).
 */
export function groupSubscriptionHistories(versions: readonly SubscriptionVersion[]): SubscriptionVersion[][] {
  const bySub = new Map<string, SubscriptionVersion[]>();
  for (const v of versions) {
    const list = bySub.get(v.state.subscriptionId) ?? [];
    list.push(v);
    bySub.set(v.state.subscriptionId, list);
  }
  const out: SubscriptionVersion[][] = [];
  for (const all of bySub.values()) {
    const list = changesOf(all);
    let since: Instant | null = null;
    out.push(
      list.map((v) => {
        if (v.state.status !== "past_due") {
          since = null;
          return v;
        }
        since ??= v.validFrom;
        return v.state.pastDueSince === null ? { ...v, state: { ...v.state, pastDueSince: since } } : v;
      }),
    );
  }
  return out;
}

/** Every instant inside a version's validity at which its MRR can change without a new version (§2.3). */
function listChangePoints(history: SubscriptionVersion[], policy: MetricPolicy): ChangePoint[] {
  const points: ChangePoint[] = [];
  history.forEach((v, i) => {
    const until = history[i + 1]?.validFrom ?? Number.POSITIVE_INFINITY;
    points.push({ at: v.validFrom, eventId: v.eventId });
    const s = v.state;
    const inside = (t: Instant | null | undefined) => {
      if (t !== null && t !== undefined && t > v.validFrom && t < until) points.push({ at: t, eventId: v.eventId });
    };
    for (const d of [...s.discounts, ...s.items.flatMap((item) => item.discounts)]) {
      inside(d.start);
      inside(d.end);
    }
    if (s.pastDueSince !== null && policy.pastDue === "churnAfterDays")
      inside(s.pastDueSince + policy.pastDueChurnDays * DAY_MS);
    inside(s.pauseCollection?.resumesAt);
    if (policy.churnRecognition === "atRequest") inside(s.canceledAt);
    inside(s.endedAt);
    inside(s.cancelAt);
  });
  return points;
}

function versionAt(history: SubscriptionVersion[], t: Instant): SubscriptionVersion | undefined {
  let found: SubscriptionVersion | undefined;
  for (const v of history) {
    if (v.validFrom <= t) found = v;
    else break;
  }
  return found;
}

function toRecord(parts: Map<string, Rational>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [c, r] of [...parts].sort(([a], [b]) => (a < b ? -1 : 1))) if (r.n !== 0n) out[c] = formatRational(r);
  return out;
}

function sameParts(a: Map<string, Rational>, b: Map<string, Rational>): boolean {
  const keys = new Set([...a.keys(), ...b.keys()]);
  for (const k of keys) if (!equals(a.get(k) ?? ZERO, b.get(k) ?? ZERO)) return false;
  return true;
}

/**
 * The customer's MRR series: one row per local day (up to `toDay`) on which its end-of-day state changes.
 *
 * Each candidate day d (the local day of any version start, discount start/end, past_due + N days, pause
 * resume, cancel request under `atRequest`, end, a metered-average month start, or under `fxRate: "daily"` a rate
 * date) is evaluated just before the next local day starts, so everything within a day nets out (§3.3).
 * Parts are summed exactly per currency (N15) and converted per N17: under `lastChange` each part at the rate of
 * the first day of its current run of equal amounts, under `daily` at the rate of d. Rounded once (N19).
 * Policies read: all of §2.2 via computeSubscriptionMrr, plus `fxRate` and `metered`.
 */
export function computeCustomerMrrSeries(input: CustomerMrrSeriesInput): CustomerMrrDay[] {
  const { policy, timeZone, toDay } = input;
  const histories = groupSubscriptionHistories(input.versions);
  const table = buildRateTable(input.fxRates, input.reportingCurrency);
  const metered = policy.metered === "trailing3MonthAverage" ? (input.meteredLines ?? []) : [];

  const causes = new Map<Day, Set<string>>();
  const note = (day: Day, eventId: string | null) => {
    const set = causes.get(day) ?? new Set<string>();
    if (eventId) set.add(eventId);
    causes.set(day, set);
  };
  for (const h of histories) for (const p of listChangePoints(h, policy)) note(toLocalDay(p.at, timeZone), p.eventId);
  for (const d of listMeteredChangeDays(metered, timeZone)) note(d, null);
  if (policy.fxRate === "daily") {
    const currencies = new Set(input.versions.map((v) => v.state.currency));
    for (const r of input.fxRates) if (currencies.has(r.currency)) note(r.rateDate, null);
  }
  const days = [...causes.keys()].filter((d) => d <= toDay).sort();

  const rows: CustomerMrrDay[] = [];
  let prevParts = new Map<string, Rational>();
  let prevAnnual = new Map<string, Rational>();
  let prevCounted = new Map<string, boolean>();
  let prevRow: CustomerMrrDay | undefined;
  const runStart = new Map<string, Day>();

  for (const day of days) {
    const t = endOfLocalDay(day, timeZone) - 1;
    const parts = new Map<string, Rational>();
    const annual = new Map<string, Rational>();
    const counted = new Map<string, boolean>();
    const warnings: string[] = [];
    let trialing = false;
    let involuntary = false;
    const inForce: SubscriptionVersion[] = [];
    for (const h of histories) {
      const v = versionAt(h, t);
      if (!v) continue;
      inForce.push(v);
      const m = computeSubscriptionMrr(v.state, policy, t);
      parts.set(m.currency, add(parts.get(m.currency) ?? ZERO, m.mrr));
      annual.set(m.currency, add(annual.get(m.currency) ?? ZERO, m.annualMrr));
      counted.set(m.subscriptionId, m.mrr.n > 0n);
      trialing ||= m.trialing;
      if (m.involuntary && prevCounted.get(m.subscriptionId)) involuntary = true;
      warnings.push(...m.warnings);
    }
    for (const [c, r] of computeMeteredMrr(metered, day, timeZone)) parts.set(c, add(parts.get(c) ?? ZERO, r));

    for (const c of new Set([...parts.keys(), ...prevParts.keys()])) {
      if (!equals(parts.get(c) ?? ZERO, prevParts.get(c) ?? ZERO)) runStart.set(c, day);
    }
    const rateDay = (c: string) => (policy.fxRate === "daily" ? day : (runStart.get(c) ?? day));
    const now = convertParts(parts, table, rateDay);
    const nowAnnual = convertParts(annual, table, rateDay);
    const committed = committedPartsAt({ inForce, schedules: input.schedules ?? [], policy, t });
    const cmrr = roundHalfAwayFromZero(convertParts(committed.parts, table, rateDay).total);
    const annualCmrr = roundHalfAwayFromZero(convertParts(committed.annual, table, rateDay).total);
    const prevAtToday =
      policy.fxRate === "daily"
        ? roundHalfAwayFromZero(convertParts(prevParts, table, () => day).total)
        : (prevRow?.mrr ?? 0);
    const row: CustomerMrrDay = {
      day,
      mrr: roundHalfAwayFromZero(now.total),
      annualMrr: roundHalfAwayFromZero(nowAnnual.total),
      cmrr,
      annualCmrr,
      parts: toRecord(parts),
      trialing,
      eventIds: [...(causes.get(day) ?? [])].sort(),
      warnings: [...new Set([...warnings, ...now.warnings])],
      previousMrrAtCurrentRates: prevAtToday,
      involuntary,
    };
    if (Object.keys(now.unconverted).length > 0) row.unconverted = now.unconverted;
    const changed = !prevRow
      ? row.mrr !== 0 || row.cmrr !== 0 || row.trialing || Object.keys(row.parts).length > 0
      : row.mrr !== prevRow.mrr ||
        row.annualMrr !== prevRow.annualMrr ||
        row.cmrr !== prevRow.cmrr ||
        row.annualCmrr !== prevRow.annualCmrr ||
        row.trialing !== prevRow.trialing ||
        !sameParts(parts, prevParts) ||
        !sameParts(annual, prevAnnual);
    if (changed) {
      rows.push(row);
      prevRow = row;
    }
    prevParts = parts;
    prevAnnual = annual;
    prevCounted = counted;
  }
  return rows;
}
