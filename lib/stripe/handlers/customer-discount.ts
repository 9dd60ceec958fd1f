// customer.discount.created / updated / deleted. The discount may arrive after the subscription update that lists
// its id (lifecycle 16 and 17 share a second): dependents are re-resolved here.
import { normalizeDiscount } from "../normalize/discount";
import { rederiveDependents } from "../resolve";
import { rejected, type Handler } from "./context";
import { upsertDiscountRecord } from "./discount-row";

export const applyCustomerDiscountEvent: Handler = async (ctx) => {
  const n = normalizeDiscount(ctx.event.data.object);
  if (!n.ok) return rejected(n);
  const applied = await upsertDiscountRecord(ctx, n.value, ctx.event.type === "customer.discount.deleted");
  if (!applied) return { outcome: "stale", customerIds: n.value.customerId ? [n.value.customerId] : [] };
  const customerIds = await rederiveDependents(ctx, [n.value.id]);
  return {
    outcome: "applied",
    customerIds: [...new Set([...(n.value.customerId ? [n.value.customerId] : []), ...customerIds])],
  };
};
