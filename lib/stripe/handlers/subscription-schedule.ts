// subscription_schedule.* (created, updated, released, canceled, completed, aborted, expiring)
import { upsertSubscriptionSchedule } from "@/db/queries/stripe-projection";
import { normalizeSubscriptionSchedule } from "../normalize/subscription-schedule";
import { appliedOrStale, freshness, rejected, type Handler } from "./context";

const RANK = { not_started: 0, active: 1, completed: 2, released: 3, canceled: 4 } as const;

export const applySubscriptionScheduleEvent: Handler = async (ctx) => {
  const n = normalizeSubscriptionSchedule(ctx.event.data.object);
  if (!n.ok) return rejected(n);
  const s = n.value;
  const applied = await upsertSubscriptionSchedule(ctx.workspaceId, ctx.tx, {
    id: s.id,
    customerId: s.customerId,
    subscriptionId: s.subscriptionId,
    status: s.status,
    endBehavior: s.endBehavior,
    phases: s.phases,
    ...freshness(ctx, RANK[s.status]),
  });
  return appliedOrStale(applied, [s.customerId]);
};
