// Effective times of subscription changes (metrics.md §2.3) and the ordering rank within one second
// (docs/decisions/0003-stripe-event-ordering.md).
import type { SubscriptionStatus } from "@/lib/metrics/types";
import type { StripeEvent } from "./event";
import type { SubscriptionRecord } from "./types";

const STATUS_RANK: Record<SubscriptionStatus, number> = {
  incomplete: 1,
  trialing: 2,
  active: 3,
  past_due: 4,
  unpaid: 5,
  paused: 5,
  incomplete_expired: 8,
  canceled: 8,
};

/** Same-second tie-break: status progression, then a cancellation request, then an end. */
export function subscriptionRank(s: SubscriptionRecord): number {
  return (
    STATUS_RANK[s.status] + (s.canceledAt !== null || s.cancelAtPeriodEnd ? 10 : 0) + (s.endedAt !== null ? 20 : 0)
  );
}

/** When the state carried by this event took effect. */
export function effectiveTime(event: StripeEvent, s: SubscriptionRecord): number {
  const created = event.created * 1000;
  if (event.type === "customer.subscription.deleted") return s.endedAt ?? created;
  const prev = event.data.previous_attributes;
  if (prev && prev.status === "trialing" && s.status !== "trialing" && s.trialEnd !== null && s.trialEnd <= created)
    return s.trialEnd;
  if (event.type === "customer.subscription.created" && s.status === "trialing" && s.trialStart !== null)
    return s.trialStart;
  return created;
}

/**
 * A backfilled subscription has no event history, only its current state. We rebuild the stretches its own
 * timestamps prove: trialing from trial_start, the current state from trial_end (or start_date), and the end at
 * ended_at. Each stretch becomes one version with a deterministic pseudo-event id.
 */
export function backfillStretches(
  eventId: string,
  s: SubscriptionRecord,
): { eventId: string; validFrom: number; record: SubscriptionRecord }[] {
  const out: { eventId: string; validFrom: number; record: SubscriptionRecord }[] = [];
  const live: SubscriptionRecord = { ...s, status: s.status === "canceled" ? "active" : s.status, endedAt: null };
  const begin = s.startDate ?? s.created;
  if (s.trialStart !== null && s.trialEnd !== null && s.status !== "trialing") {
    out.push({
      eventId: `${eventId}#trial`,
      validFrom: s.trialStart,
      record: { ...live, status: "trialing", canceledAt: null, cancelAtPeriodEnd: false, cancelAt: null },
    });
    out.push({ eventId: `${eventId}#start`, validFrom: s.trialEnd, record: live });
  } else {
    out.push({
      eventId: `${eventId}#start`,
      validFrom: s.status === "trialing" ? (s.trialStart ?? begin) : begin,
      record: live,
    });
  }
  if (s.status === "canceled")
    out.push({ eventId: `${eventId}#end`, validFrom: s.endedAt ?? s.canceledAt ?? begin, record: s });
  return out;
}
