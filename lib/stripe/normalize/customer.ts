import { z } from "zod";
import type { CustomerRecord, Normalized } from "../types";
import { currency, isRecord, loose, parseWith, toInstantOrNull } from "./common";
import { normalizeDiscount } from "./discount";

const schema = loose({
  object: z.literal("customer"),
  id: z.string(),
  email: z.string().nullable().optional(),
  name: z.string().nullable().optional(),
  currency: currency.nullable().optional(),
  created: z.number().int().optional(),
  delinquent: z.boolean().nullable().optional(),
  discount: z.unknown().optional(),
  deleted: z.boolean().optional(),
});

/** A customer, or the `{ id, object: "customer", deleted: true }` stub of customer.deleted. */
export function normalizeCustomer(input: unknown): Normalized<CustomerRecord> {
  const base = parseWith(schema, input, (c) => c);
  if (!base.ok) return base;
  const c = base.value;
  let discount = null;
  if (isRecord(c.discount)) {
    const d = normalizeDiscount(c.discount);
    if (!d.ok) return { ok: false, reason: `discount: ${d.reason}` };
    discount = d.value;
  }
  return {
    ok: true,
    value: {
      id: c.id,
      email: c.email ?? null,
      name: c.name ?? null,
      currency: c.currency ?? null,
      created: toInstantOrNull(c.created),
      delinquent: c.delinquent ?? false,
      discount,
      deleted: c.deleted === true,
    },
  };
}
