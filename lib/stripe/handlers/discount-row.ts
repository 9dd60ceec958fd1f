import { upsertDiscounts } from "@/db/queries/stripe-projection";
import type { StripeEvent } from "../event";
import type { DiscountRecord } from "../types";
import { date, freshness, type BatchContext, type HandlerContext } from "./context";

/**
 * Newer-wins writes of several discounts, each with the freshness of the event that carried it, in one statement.
 * A discount carried twice keeps only its freshest copy: what writing the copies one by one would leave.
 */
export async function upsertDiscountRecords(
  ctx: BatchContext,
  list: { d: DiscountRecord; event: StripeEvent }[],
  deleted: boolean,
): Promise<Set<string>> {
  const rows = new Map<string, Parameters<typeof upsertDiscounts>[2][number]>();
  for (const { d, event } of list) {
    const row = {
      id: d.id,
      couponId: d.couponId,
      coupon: d.coupon,
      customerId: d.customerId,
      subscriptionId: d.subscriptionId,
      subscriptionItemId: d.subscriptionItemId,
      start: new Date(d.start),
      end: date(d.end),
      deleted,
      ...freshness({ ...ctx, event }, deleted ? 99 : 0),
    };
    const seen = rows.get(d.id);
    if (!seen || seen.lastEventKey < row.lastEventKey) rows.set(d.id, row);
  }
  return upsertDiscounts(ctx.workspaceId, ctx.tx, [...rows.values()]);
}

export async function upsertDiscountRecord(ctx: HandlerContext, d: DiscountRecord, deleted: boolean): Promise<boolean> {
  return (await upsertDiscountRecords(ctx, [{ d, event: ctx.event }], deleted)).has(d.id);
}
