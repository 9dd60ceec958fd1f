// Discounts from 2025-09-30 (clover): the coupon moved to `discount.source.coupon`, an id string or the expanded
// object. An id is resolved later from projected coupons (lifecycle/16_customer.discount.created sends "LAUNCH25").
import { z } from "zod";
import type { DiscountRecord } from "../types";
import { idOrObject, loose, parseWith, toInstant, toInstantOrNull, unixSeconds } from "./common";
import { couponSchema, toCoupon } from "./coupon";

const schema = loose({
  id: z.string(),
  source: loose({ type: z.literal("coupon"), coupon: z.union([z.string(), couponSchema]) }),
  customer: idOrObject.nullable().optional(),
  subscription: z.string().nullable().optional(),
  subscription_item: z.string().nullable().optional(),
  promotion_code: idOrObject.nullable().optional(),
  start: unixSeconds,
  end: unixSeconds.nullable().optional(),
});

export const normalizeDiscountV2 = (input: unknown) =>
  parseWith(schema, input, (d): DiscountRecord => {
    const coupon = typeof d.source.coupon === "string" ? null : toCoupon(d.source.coupon);
    return {
      id: d.id,
      couponId: typeof d.source.coupon === "string" ? d.source.coupon : d.source.coupon.id,
      coupon,
      customerId: d.customer ?? null,
      subscriptionId: d.subscription ?? null,
      subscriptionItemId: d.subscription_item ?? null,
      promotionCodeId: d.promotion_code ?? null,
      start: toInstant(d.start),
      end: toInstantOrNull(d.end),
    };
  });
