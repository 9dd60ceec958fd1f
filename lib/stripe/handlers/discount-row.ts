import { upsertDiscount } from "@/db/queries/stripe-projection";
import type { DiscountRecord } from "../types";
import { date, freshness, type HandlerContext } from "./context";

export function upsertDiscountRecord(ctx: HandlerContext, d: DiscountRecord, deleted: boolean): Promise<boolean> {
  return upsertDiscount(ctx.workspaceId, ctx.tx, {
    id: d.id,
    couponId: d.couponId,
    coupon: d.coupon,
    customerId: d.customerId,
    subscriptionId: d.subscriptionId,
    subscriptionItemId: d.subscriptionItemId,
    start: new Date(d.start),
    end: date(d.end),
    deleted,
    ...freshness(ctx, deleted ? 99 : 0),
  });
}
