// product.created / product.updated / product.deleted
import { upsertProduct } from "@/db/queries/stripe-projection";
import { normalizeProduct } from "../normalize/product";
import { appliedOrStale, date, freshness, rejected, type Handler } from "./context";

export const applyProductEvent: Handler = async (ctx) => {
  const n = normalizeProduct(ctx.event.data.object);
  if (!n.ok) return rejected(n);
  const p = n.value;
  const deleted = p.deleted || ctx.event.type === "product.deleted";
  const applied = await upsertProduct(ctx.workspaceId, ctx.tx, {
    id: p.id,
    name: p.name,
    active: p.active && !deleted,
    created: date(p.created),
    deleted,
    ...freshness(ctx, deleted ? 99 : 0),
  });
  return appliedOrStale(applied, []);
};
