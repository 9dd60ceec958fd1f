// price.* and plan.* (a recurring price's plan has the same id; the price event wins, see upsertPrice)
import { upsertPrice } from "@/db/queries/stripe-projection";
import { normalizePrice } from "../normalize/price";
import { appliedOrStale, freshness, rejected, type Handler } from "./context";

export const applyPriceEvent: Handler = async (ctx) => {
  const obj = ctx.event.data.object;
  const n = normalizePrice(obj);
  if (!n.ok) return rejected(n);
  const p = n.value;
  const sourceObject = obj.object === "plan" ? "plan" : "price";
  const deleted = ctx.event.type.endsWith(".deleted");
  const applied = await upsertPrice(ctx.workspaceId, ctx.tx, {
    id: p.id,
    productId: p.productId,
    currency: p.currency,
    type: p.type,
    sourceObject,
    data: p,
    deleted,
    ...freshness(ctx, (deleted ? 90 : 0) + (sourceObject === "price" ? 1 : 0)),
  });
  return appliedOrStale(applied, []);
};
