// customer.subscription.* (created, updated, deleted, trial_will_end, paused, resumed, pending_update_*), and
// backfill.subscription pseudo-events. Latest state is upserted by freshness; the event's version is inserted into
// the history at its effective time whatever the delivery order. The latest rows, their items and the versions are
// one statement; a backfill page goes through in one batch, the same statement for all of its subscriptions.
import { refreshPastDueSince, writeSubscriptions } from "@/db/queries/stripe-projection";
import type { StripeEvent } from "../event";
import { normalizeSubscription } from "../normalize/subscription";
import { loadLookup, resolveState } from "../resolve";
import { backfillStretches, effectiveTime, subscriptionRank } from "../subscription-history";
import type { SubscriptionRecord } from "../types";
import { date, freshness, rejected, single, type BatchHandler, type HandlerResult } from "./context";

type Planned = {
  s: SubscriptionRecord;
  stretches: { eventId: string; validFrom: number; record: SubscriptionRecord }[];
  fresh: ReturnType<typeof freshness>;
};

export const applySubscriptionEvents: BatchHandler = async (ctx, events) => {
  const { tx, workspaceId } = ctx;
  const results: (HandlerResult | Planned)[] = events.map((event: StripeEvent) => {
    const n = normalizeSubscription(event.data.object);
    if (!n.ok) return rejected(n);
    const s = n.value;
    const stretches =
      event.type === "backfill.subscription"
        ? backfillStretches(event.id, s)
        : [{ eventId: event.id, validFrom: effectiveTime(event, s), record: s }];
    return { s, stretches, fresh: freshness({ ...ctx, event }, subscriptionRank(s)) };
  });
  const planned = results.filter((r): r is Planned => "s" in r);
  const lookup = await loadLookup(
    workspaceId,
    tx,
    planned.map((p) => p.s),
  );
  const latest = new Map(planned.map((p) => [p.s.id, resolveState(p.s, lookup)]));

  const { applied, inserted } = await writeSubscriptions(workspaceId, tx, {
    subscriptions: planned.map(({ s, stretches, fresh }) => ({
      id: s.id,
      customerId: s.customerId,
      status: s.status,
      currency: s.currency,
      created: new Date(s.created),
      currentPeriodStart: date(s.currentPeriodStart),
      currentPeriodEnd: date(s.currentPeriodEnd),
      cancelAtPeriodEnd: s.cancelAtPeriodEnd,
      canceledAt: date(s.canceledAt),
      endedAt: date(s.endedAt),
      trialEnd: date(s.trialEnd),
      state: latest.get(s.id)!.state,
      source: s,
      refs: latest.get(s.id)!.refs,
      ...fresh,
      // The latest row points at the version holding the current state (a backfill's last stretch).
      lastEventId: stretches[stretches.length - 1]!.eventId,
    })),
    // Written only for the subscriptions the upsert wrote (a stale event leaves the items alone).
    items: planned.flatMap(({ s, fresh }) =>
      s.items.map((i) => ({
        id: i.id,
        subscriptionId: s.id,
        priceId: i.price.id,
        quantity: i.quantity,
        currentPeriodStart: date(i.currentPeriodStart),
        currentPeriodEnd: date(i.currentPeriodEnd),
        lastEventKey: fresh.lastEventKey,
      })),
    ),
    versions: planned.flatMap(({ s, stretches, fresh }) =>
      stretches.map((stretch) => {
        const resolved = stretch.record === s ? latest.get(s.id)! : resolveState(stretch.record, lookup);
        return {
          subscriptionId: s.id,
          eventId: stretch.eventId,
          connectionId: ctx.connectionId,
          customerId: s.customerId,
          validFrom: new Date(stretch.validFrom),
          eventKey: fresh.lastEventKey,
          state: resolved.state,
          source: stretch.record,
          refs: resolved.refs,
        };
      }),
    ),
  });
  await refreshPastDueSince(
    workspaceId,
    tx,
    planned
      .filter((p) => p.s.status === "past_due" || !applied.has(p.s.id) || p.stretches.length > 1)
      .map((p) => p.s.id),
  );
  return results.map((r) =>
    "s" in r
      ? {
          outcome: applied.has(r.s.id) ? "applied" : "stale",
          customerIds: [r.s.customerId],
          historyChanged: inserted.has(r.s.id),
          versions: inserted.has(r.s.id)
            ? r.stretches.map((x) => ({ subscriptionId: r.s.id, eventId: x.eventId }))
            : [],
        }
      : r,
  );
};

export const applySubscriptionEvent = single(applySubscriptionEvents);
