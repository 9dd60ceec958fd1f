/**
 * Committed MRR (metrics.md §4.1 `cmrr`): a customer's MRR after every change already scheduled at D has happened.
 */
import { add, ZERO, type Rational } from "./money";
import type { MetricPolicy } from "./policy";
import { computeItemsMrr, findExclusion } from "./subscription-mrr";
import type { Instant, SchedulePhase, SubscriptionVersion } from "./types";

export type CommittedMrr = {
  customerId: string;
  /** Committed MRR in reporting minor units. */
  cmrr: number;
  /** The committed MRR of items billed yearly or longer (for `carr` under `annualContractsOnly`). */
  annualCmrr: number;
  unconverted?: Record<string, number>;
  warnings: string[];
};

/**
 * The exact committed parts per currency at instant `t`, from the subscription versions in force at `t` (one per
 * subscription) and the customer's live schedules. Per subscription: 0 if it does not count now (trials and
 * incomplete stay 0) or a cancellation is scheduled (`cancelAt` or `cancelAtPeriodEnd`); the last phase of its
 * active schedule (0 when the schedule's `endBehavior` is cancel); else its MRR with every discount that has an
 * `end` dropped. Plus the last phase of each `not_started` schedule (signed, not started). The MRR ledger
 * evaluates it on each of its days and converts the parts as it converts MRR (the `fxRate` policy).
 */
export function committedPartsAt(input: {
  /** Schedules of other customers are left out; without it, every schedule given is the customer's. */
  customerId?: string;
  inForce: readonly SubscriptionVersion[];
  schedules: readonly SchedulePhase[];
  policy: MetricPolicy;
  t: Instant;
}): { parts: Map<string, Rational>; annual: Map<string, Rational>; warnings: string[] } {
  const { t } = input;
  const parts = new Map<string, Rational>();
  const annual = new Map<string, Rational>();
  const warnings: string[] = [];
  const put = (currency: string, r: { mrr: Rational; annualMrr: Rational; warnings: string[] }) => {
    parts.set(currency, add(parts.get(currency) ?? ZERO, r.mrr));
    annual.set(currency, add(annual.get(currency) ?? ZERO, r.annualMrr));
    warnings.push(...r.warnings);
  };
  const phaseMrr = (s: SchedulePhase) => {
    if (!s.lastPhase || s.endBehavior === "cancel") return;
    const p = s.lastPhase;
    put(
      p.currency,
      computeItemsMrr(p.currency, p.items, p.discounts, input.policy, Math.max(t, p.start), {
        dropEndingDiscounts: true,
      }),
    );
  };
  const live = input.schedules.filter(
    (s) =>
      (input.customerId === undefined || s.customerId === input.customerId) &&
      (s.status === "active" || s.status === "not_started"),
  );
  for (const v of input.inForce) {
    const s = v.state;
    if (findExclusion(s, input.policy, t) || s.cancelAtPeriodEnd || s.cancelAt !== null) continue;
    const schedule = live.find((x) => x.status === "active" && x.subscriptionId === s.subscriptionId);
    if (schedule) phaseMrr(schedule);
    else
      put(
        s.currency,
        computeItemsMrr(s.currency, s.items, s.discounts, input.policy, t, { dropEndingDiscounts: true }),
      );
  }
  for (const s of live) if (s.status === "not_started") phaseMrr(s);
  return { parts, annual, warnings };
}
