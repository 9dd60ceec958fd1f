// Discounts before 2025-09-30: the coupon object sits under `discount.coupon` (legacy-api-2020 shape). Very old
// discounts carry no id; Stripe then identifies them by coupon and start, and so do we.
import { z } from "zod";
import type { DiscountRecord } from "../types";
import { idOrObject, loose, parseWith, toInstant, toInstantOrNull, unixSeconds } from "./common";
import { couponSchema, toCoupon } from "./coupon";

const schema = loose({
  id: z.string().optional(),
  coupon: couponSchema,
  customer: idOrObject.nullable().optional(),
  subscription: z.string().nullable().optional(),
  subscription_item: z.string().nullable().optional(),
  promotion_code: idOrObject.nullable().optional(),
  start: unixSeconds,
  end: unixSeconds.nullable().optional(),
});

export const normalizeDiscountV1 = (input: unknown) =>
  parseWith(schema, input, (d): DiscountRecord => ({
    id: d.id ?? `${d.coupon.id}:${d.start}`,
    couponId: d.coupon.id,
    coupon: toCoupon(d.coupon),
    customerId: d.customer ?? null,
    subscriptionId: d.subscription ?? null,
    subscriptionItemId: d.subscription_item ?? null,
    promotionCodeId: d.promotion_code ?? null,
    start: toInstant(d.start),
    end: toInstantOrNull(d.end),
  }));
