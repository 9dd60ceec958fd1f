import { z } from "zod";
import type { CustomerRecord, Normalized } from "../types";
import { currency, isRecord, loose, parseWith, toInstantOrNull } from "./common";
import { normalizeDiscount } from "./discount";

/** An address as Stripe sends it; only the country is used, and a malformed address is treated as absent. */
const address = loose({ country: z.string().nullable().optional() }).nullable().optional().catch(null);

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
  address,
  // `shipping` is `{ address, name, phone, … }` or null; the OpenAPI sample sends `{}`.
  shipping: loose({ address }).nullable().optional().catch(null),
});

/** A customer of the projection, with the country its revenue is reported under (docs/dashboards.md). */
export type CustomerWithCountry = CustomerRecord & {
  /** ISO 3166-1 alpha-2, upper case; null when neither address names a country. */
  country: string | null;
};

/**
 * Stripe documents `country` as a two-letter ISO 3166-1 code, but the create and update parameters accept free
 * text. Anything that is not two letters after trimming (`""`, `"Germany"`) counts as no country.
 */
export function toCountryCode(value: string | null | undefined): string | null {
  const code = (value ?? "").trim().toUpperCase();
  return /^[A-Z]{2}$/.test(code) ? code : null;
}

/**
 * The billing address's country, else the shipping address's, else null. The address fields are the same in the
 * pre-2025 (2020-03-02) and current shapes; pre-2025 customers more often carry only `shipping`, or empty strings.
 */
export function resolveCustomerCountry(c: {
  address?: { country?: string | null | undefined } | null | undefined;
  shipping?: { address?: { country?: string | null | undefined } | null | undefined } | null | undefined;
}): string | null {
  return toCountryCode(c.address?.country) ?? toCountryCode(c.shipping?.address?.country);
}

/** A customer, or the `{ id, object: "customer", deleted: true }` stub of customer.deleted. */
export function normalizeCustomer(input: unknown): Normalized<CustomerWithCountry> {
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
      country: resolveCustomerCountry(c),
    },
  };
}
