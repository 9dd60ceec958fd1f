/**
 * One subscription's MRR at one instant (metrics.md §2.1, N1–N13): items → monthly → item discounts → sum →
 * subscription discounts → floor at 0, if the subscription counts at all.
 */
import { applyDiscounts } from "./discounts";
import { div, isZero, max0, mul, sum, ZERO, type Rational } from "./money";
import type { MetricPolicy } from "./policy";
import { computeItemMonthly, intervalFactor, isAnnualOrLonger, isRecurringLicensed } from "./price-amount";
import type { Discount, Instant, SubscriptionItem, SubscriptionState } from "./types";

/** Why a subscription contributes 0 at an instant, or null when it counts. */
export type ExclusionReason =
  "trialing" | "incomplete" | "canceled" | "canceledAtRequest" | "unpaid" | "pastDueChurn" | "paused";

export type SubscriptionMrr = {
  subscriptionId: string;
  currency: string;
  /** Exact monthly amount in minor units of `currency`; 0 when excluded. */
  mrr: Rational;
  /** The part of `mrr` from items billed yearly or longer (N18), after a pro-rata share of subscription discounts. */
  annualMrr: Rational;
  excludedBecause: ExclusionReason | null;
  /** The exclusion is a payment failure (unpaid, past_due auto-churn, or canceled for `payment_failed`). */
  involuntary: boolean;
  trialing: boolean;
  warnings: string[];
};

/** 24 h in ms: the unit of `pastDueChurnDays` (§2.3 says N × 86 400 s, not N local days). */
export const DAY_MS = 86_400_000;

/**
 * The exclusion rule in force at `at` (N7–N11), or null when the subscription counts.
 * Policies read: `pastDue`, `pastDueChurnDays`, `unpaid`, `paused`, `churnRecognition` (`trials` has no alternative).
 * A `cancelAt` in the past ends the subscription even before its `deleted` event arrives, since that is when
 * Stripe ends it; `pastDueSince` + N × 86 400 s is the auto-churn instant.
 */
export function findExclusion(
  state: SubscriptionState,
  policy: MetricPolicy,
  at: Instant,
): { reason: ExclusionReason; involuntary: boolean } | null {
  const paymentFailed = state.cancellationReason === "payment_failed";
  if (state.status === "trialing") return { reason: "trialing", involuntary: false };
  if (state.status === "incomplete" || state.status === "incomplete_expired")
    return { reason: "incomplete", involuntary: false };
  if (
    state.status === "canceled" ||
    (state.endedAt !== null && state.endedAt <= at) ||
    (state.cancelAt !== null && state.cancelAt <= at)
  )
    return { reason: "canceled", involuntary: paymentFailed };
  if (policy.churnRecognition === "atRequest" && state.canceledAt !== null && state.canceledAt <= at)
    return { reason: "canceledAtRequest", involuntary: paymentFailed };
  if (state.status === "unpaid" && policy.unpaid === "churn") return { reason: "unpaid", involuntary: true };
  if (
    state.status === "past_due" &&
    policy.pastDue === "churnAfterDays" &&
    state.pastDueSince !== null &&
    at >= state.pastDueSince + policy.pastDueChurnDays * DAY_MS
  )
    return { reason: "pastDueChurn", involuntary: true };
  const pausedByCollection =
    state.pauseCollection !== null &&
    (state.pauseCollection.resumesAt === null || at < state.pauseCollection.resumesAt);
  if ((state.status === "paused" || pausedByCollection) && policy.paused === "excluded")
    return { reason: "paused", involuntary: false };
  return null;
}

export type SubscriptionMrrOptions = {
  /** Committed MRR (§4.1): discounts that have an `end` are treated as already gone. */
  dropEndingDiscounts?: boolean;
};

/**
 * Evaluates items and discounts (N1–N6, N12, N13) regardless of status: `max(0, Σ itemNet − subscription discounts)`.
 * amount_off at subscription level uses the interval of the first recurring licensed item (Stripe requires one
 * billing interval per subscription).
 */
export function computeItemsMrr(
  currency: string,
  items: readonly SubscriptionItem[],
  discounts: readonly Discount[],
  policy: MetricPolicy,
  at: Instant,
  options: SubscriptionMrrOptions = {},
): { mrr: Rational; annualMrr: Rational; warnings: string[] } {
  const warnings: string[] = [];
  const keep = (list: readonly Discount[]) => (options.dropEndingDiscounts ? list.filter((d) => d.end === null) : list);
  let total: Rational = ZERO;
  let annual: Rational = ZERO;
  for (const item of items) {
    const monthly = computeItemMonthly(item, policy);
    if (monthly.warning) warnings.push(monthly.warning);
    const f = intervalFactor(item.price.interval, item.price.intervalCount, policy.intervalFactors);
    const net = applyDiscounts(monthly.amount, keep(item.discounts), currency, f, at, policy, warnings);
    total = sum([total, net]);
    if (isAnnualOrLonger(item.price) && isRecurringLicensed(item.price)) annual = sum([annual, net]);
  }
  const lead = items.find((i) => isRecurringLicensed(i.price)) ?? items[0];
  const subFactor = lead ? intervalFactor(lead.price.interval, lead.price.intervalCount, policy.intervalFactors) : ZERO;
  const mrr = max0(applyDiscounts(total, keep(discounts), currency, subFactor, at, policy, warnings));
  const annualMrr = isZero(total) ? ZERO : mul(mrr, div(annual, total));
  return { mrr, annualMrr, warnings };
}

/**
 * A subscription's exact MRR at instant `at`, in its own currency (§2.1). 0 when the subscription does not count
 * (trialing, incomplete, ended, canceled at request, unpaid, auto-churned past_due, paused), with the reason.
 * Metered items are always 0 here: the trailing-average policy adds usage per customer (see metered.ts).
 */
export function computeSubscriptionMrr(
  state: SubscriptionState,
  policy: MetricPolicy,
  at: Instant,
  options: SubscriptionMrrOptions = {},
): SubscriptionMrr {
  const exclusion = findExclusion(state, policy, at);
  const base = {
    subscriptionId: state.subscriptionId,
    currency: state.currency,
    trialing: state.status === "trialing",
  };
  if (exclusion) {
    return {
      ...base,
      mrr: ZERO,
      annualMrr: ZERO,
      excludedBecause: exclusion.reason,
      involuntary: exclusion.involuntary,
      warnings: [],
    };
  }
  const r = computeItemsMrr(state.currency, state.items, state.discounts, policy, at, options);
  return { ...base, ...r, excludedBecause: null, involuntary: false };
}
