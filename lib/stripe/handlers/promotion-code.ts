// promotion_code.created / promotion_code.updated
import { upsertPromotionCode } from "@/db/queries/stripe-projection";
import { normalizePromotionCode } from "../normalize/promotion-code";
import { appliedOrStale, freshness, rejected, type Handler } from "./context";

export const applyPromotionCodeEvent: Handler = async (ctx) => {
  const n = normalizePromotionCode(ctx.event.data.object);
  if (!n.ok) return rejected(n);
  const p = n.value;
  const applied = await upsertPromotionCode(ctx.workspaceId, ctx.tx, {
    id: p.id,
    code: p.code,
    couponId: p.couponId,
    active: p.active,
    ...freshness(ctx, p.active ? 0 : 1),
  });
  return appliedOrStale(applied, []);
};
