// Promotion codes: the coupon sits under `coupon` (older) or `promotion.coupon` (2025-09-30+).
import { z } from "zod";
import type { PromotionCodeRecord } from "../types";
import { idOrObject, loose, parseWith, toInstantOrNull } from "./common";

const schema = loose({
  object: z.literal("promotion_code"),
  id: z.string(),
  code: z.string(),
  active: z.boolean(),
  created: z.number().int().optional(),
  coupon: idOrObject.nullable().optional(),
  promotion: loose({ coupon: idOrObject.nullable().optional() }).nullable().optional(),
});

export const normalizePromotionCode = (input: unknown) =>
  parseWith(schema, input, (p): PromotionCodeRecord => ({
    id: p.id,
    code: p.code,
    couponId: p.promotion?.coupon ?? p.coupon ?? null,
    active: p.active,
    created: toInstantOrNull(p.created),
  }));
