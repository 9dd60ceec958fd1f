// customer.subscription.* (created, updated, deleted, trial_will_end, paused, resumed, pending_update_*), and
// backfill.subscription pseudo-events. Latest state is upserted by freshness; the event's version is inserted into
// the history at its effective time whatever the delivery order.
import {
  insertSubscriptionVersion,
  refreshPastDueSince,
  replaceSubscriptionItems,
  upsertSubscription,
} from "@/db/queries/stripe-projection";
import { normalizeSubscription } from "../normalize/subscription";
import { loadLookup, resolveState } from "../resolve";
import { backfillStretches, effectiveTime, subscriptionRank } from "../subscription-history";
import { date, freshness, rejected, type Handler } from "./context";

export const applySubscriptionEvent: Handler = async (ctx) => {
  const n = normalizeSubscription(ctx.event.data.object);
  if (!n.ok) return rejected(n);
  const s = n.value;
  const { tx, workspaceId, event } = ctx;
  const isBackfill = event.type === "backfill.subscription";
  const stretches = isBackfill
    ? backfillStretches(event.id, s)
    : [{ eventId: event.id, validFrom: effectiveTime(event, s), record: s }];
  const lookup = await loadLookup(workspaceId, tx, [s]);
  const latest = resolveState(s, lookup);
  const fresh = freshness(ctx, subscriptionRank(s));

  const applied = await upsertSubscription(workspaceId, tx, {
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
    state: latest.state,
    source: s,
    refs: latest.refs,
    ...fresh,
    // The latest row points at the version holding the current state (a backfill's last stretch).
    lastEventId: stretches[stretches.length - 1]!.eventId,
  });
  if (applied) {
    await replaceSubscriptionItems(
      workspaceId,
      tx,
      s.id,
      s.items.map((i) => ({
        id: i.id,
        priceId: i.price.id,
        quantity: i.quantity,
        currentPeriodStart: date(i.currentPeriodStart),
        currentPeriodEnd: date(i.currentPeriodEnd),
        lastEventKey: fresh.lastEventKey,
      })),
    );
  }
  let inserted = false;
  for (const stretch of stretches) {
    const resolved = stretch.record === s ? latest : resolveState(stretch.record, lookup);
    const added = await insertSubscriptionVersion(workspaceId, tx, {
      subscriptionId: s.id,
      eventId: stretch.eventId,
      connectionId: ctx.connectionId,
      customerId: s.customerId,
      validFrom: new Date(stretch.validFrom),
      eventKey: fresh.lastEventKey,
      state: resolved.state,
      source: stretch.record,
      refs: resolved.refs,
    });
    inserted ||= added;
  }
  if (s.status === "past_due" || !applied || stretches.length > 1) await refreshPastDueSince(workspaceId, tx, s.id);
  return { outcome: applied ? "applied" : "stale", customerIds: [s.customerId], historyChanged: inserted };
};
