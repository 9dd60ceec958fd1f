// customer.created / customer.updated / customer.deleted, and backfill.customer. A pre-2025 customer may carry its
// own discount, which applies to its v1 subscriptions without one (N6): those are re-resolved when the customer
// changes. A backfill page goes through in one batch: the discounts, one customer upsert, one dependents step.
import { upsertCustomers } from "@/db/queries/stripe-projection";
import type { StripeEvent } from "../event";
import { normalizeCustomer, type CustomerWithCountry } from "../normalize/customer";
import { rederiveDependents } from "../resolve";
import { date, freshness, rejected, single, type BatchHandler, type HandlerResult } from "./context";
import { upsertDiscountRecords } from "./discount-row";

type Planned = { c: CustomerWithCountry; event: StripeEvent };

export const applyCustomerEvents: BatchHandler = async (ctx, events) => {
  const { tx, workspaceId } = ctx;
  const results: (HandlerResult | Planned)[] = events.map((event) => {
    const n = normalizeCustomer(event.data.object);
    return n.ok ? { c: n.value, event } : rejected(n);
  });
  const planned = results.filter((r): r is Planned => "c" in r);
  // The customers' own discounts go in first, so the dependents step below resolves with them.
  await upsertDiscountRecords(
    ctx,
    planned.flatMap(({ c, event }) => (c.discount ? [{ d: c.discount, event }] : [])),
    false,
  );
  const row = ({ c, event }: Planned) => {
    const deleted = c.deleted || event.type === "customer.deleted";
    return {
      id: c.id,
      email: c.email,
      name: c.name,
      currency: c.currency,
      created: date(c.created),
      delinquent: c.delinquent,
      discountId: c.discount?.id ?? null,
      deleted,
      ...freshness({ ...ctx, event }, deleted ? 99 : c.delinquent ? 1 : 0),
    };
  };
  // The `{ id, deleted: true }` stub names no address: the country the customer had stays with its history. Those
  // rows leave the column out, so they go in a statement of their own (a multi-row insert has one column list).
  const keepsCountry = ({ c }: Planned) => c.deleted && c.country === null;
  const applied = new Set([
    ...(await upsertCustomers(
      workspaceId,
      tx,
      planned.filter((p) => !keepsCountry(p)).map((p) => ({ ...row(p), country: p.c.country })),
    )),
    ...(await upsertCustomers(workspaceId, tx, planned.filter(keepsCountry).map(row))),
  ]);
  await rederiveDependents(
    ctx,
    planned.filter((p) => applied.has(p.c.id)).map((p) => `cus:${p.c.id}`),
  );
  return results.map((r) =>
    "c" in r ? { outcome: applied.has(r.c.id) ? "applied" : "stale", customerIds: [r.c.id] } : r,
  );
};

export const applyCustomerEvent = single(applyCustomerEvents);
