// coupon.created / coupon.updated / coupon.deleted. Subscriptions that referenced the coupon before it arrived
// are re-resolved.
import { upsertCoupon } from "@/db/queries/stripe-projection";
import { normalizeCoupon } from "../normalize/coupon";
import { rederiveDependents } from "../resolve";
import { freshness, rejected, type Handler } from "./context";

export const applyCouponEvent: Handler = async (ctx) => {
  const n = normalizeCoupon(ctx.event.data.object);
  if (!n.ok) return rejected(n);
  const deleted = ctx.event.type === "coupon.deleted";
  const applied = await upsertCoupon(ctx.workspaceId, ctx.tx, {
    id: n.value.id,
    data: n.value,
    deleted,
    ...freshness(ctx, deleted ? 99 : 0),
  });
  if (!applied) return { outcome: "stale", customerIds: [] };
  const customerIds = await rederiveDependents(ctx, [n.value.id]);
  return { outcome: "applied", customerIds };
};
