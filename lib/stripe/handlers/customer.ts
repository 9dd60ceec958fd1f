// customer.created / customer.updated / customer.deleted. A pre-2025 customer may carry its own discount, which
// applies to its v1 subscriptions without one (N6): those are re-resolved when the customer changes.
import { upsertCustomer } from "@/db/queries/stripe-projection";
import { normalizeCustomer } from "../normalize/customer";
import { rederiveDependents } from "../resolve";
import { date, freshness, rejected, type Handler } from "./context";
import { upsertDiscountRecord } from "./discount-row";

export const applyCustomerEvent: Handler = async (ctx) => {
  const n = normalizeCustomer(ctx.event.data.object);
  if (!n.ok) return rejected(n);
  const c = n.value;
  const deleted = c.deleted || ctx.event.type === "customer.deleted";
  if (c.discount) await upsertDiscountRecord(ctx, c.discount, false);
  const applied = await upsertCustomer(ctx.workspaceId, ctx.tx, {
    id: c.id,
    email: c.email,
    name: c.name,
    currency: c.currency,
    // The `{ id, deleted: true }` stub names no address: the country the customer had stays with its history.
    ...(c.deleted && c.country === null ? {} : { country: c.country }),
    created: date(c.created),
    delinquent: c.delinquent,
    discountId: c.discount?.id ?? null,
    deleted,
    ...freshness(ctx, deleted ? 99 : c.delinquent ? 1 : 0),
  });
  if (!applied) return { outcome: "stale", customerIds: [c.id] };
  await rederiveDependents(ctx.workspaceId, ctx.tx, [`cus:${c.id}`]);
  return { outcome: "applied", customerIds: [c.id] };
};
