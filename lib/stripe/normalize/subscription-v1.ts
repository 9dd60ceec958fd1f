// Subscriptions before 2025-03-31: `current_period_*`, `plan`, `quantity` and a single `discount` on the
// subscription (legacy-api-2020). 2020-03-02 subscriptions carry no `currency`: it comes from the items' prices.
// With no subscription-level discount, the customer's discount applies (metrics.md N6): flagged for the projection.
import { z } from "zod";
import type { DiscountRef, Normalized, SubscriptionItemRecord, SubscriptionRecord } from "../types";
import { currency, formatIssues, idOrObject, loose, toInstant, toInstantOrNull, unixSeconds } from "./common";
import { normalizeDiscountRef, normalizeDiscountRefs } from "./discount";
import { itemSchema, pauseSchema, statusSchema, taxRates, toItem } from "./subscription-item";

const schema = loose({
  object: z.literal("subscription"),
  id: z.string(),
  customer: idOrObject,
  currency: currency.optional(),
  status: statusSchema,
  items: loose({ data: z.array(itemSchema).min(1) }),
  discount: z.unknown().optional(),
  discounts: z.array(z.unknown()).nullable().optional(),
  default_tax_rates: taxRates,
  trial_start: unixSeconds.nullable().optional(),
  trial_end: unixSeconds.nullable().optional(),
  pause_collection: pauseSchema,
  cancel_at_period_end: z.boolean(),
  cancel_at: unixSeconds.nullable().optional(),
  canceled_at: unixSeconds.nullable().optional(),
  ended_at: unixSeconds.nullable().optional(),
  cancellation_details: loose({ reason: z.string().nullable().optional() }).nullable().optional(),
  created: unixSeconds,
  start_date: unixSeconds.nullable().optional(),
  current_period_start: unixSeconds,
  current_period_end: unixSeconds,
  latest_invoice: idOrObject.nullable().optional(),
  schedule: idOrObject.nullable().optional(),
});

export function normalizeSubscriptionV1(input: unknown): Normalized<SubscriptionRecord> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) return { ok: false, reason: formatIssues(parsed.error) };
  const s = parsed.data;
  const items: SubscriptionItemRecord[] = [];
  for (const [i, raw] of s.items.data.entries()) {
    const item = toItem(raw, i, s.default_tax_rates);
    if (!item.ok) return item;
    items.push(item.value);
  }
  // 2022–2025 versions send both `discount` and `discounts`; the array is the complete list when present.
  let discounts: DiscountRef[] = [];
  if (s.discounts && s.discounts.length > 0) {
    const refs = normalizeDiscountRefs(s.discounts, "discounts");
    if (!refs.ok) return refs;
    discounts = refs.value;
  } else if (s.discount !== null && s.discount !== undefined) {
    const ref = normalizeDiscountRef(s.discount);
    if (!ref.ok) return { ok: false, reason: `discount: ${ref.reason}` };
    discounts = [ref.value];
  }
  const cur = s.currency ?? items[0]!.price.currency;
  return {
    ok: true,
    value: {
      shape: "v1",
      id: s.id,
      customerId: s.customer,
      currency: cur,
      status: s.status,
      items: items.map((i) => ({
        ...i,
        currentPeriodStart: i.currentPeriodStart ?? toInstant(s.current_period_start),
        currentPeriodEnd: i.currentPeriodEnd ?? toInstant(s.current_period_end),
      })),
      discounts,
      useCustomerDiscount: discounts.length === 0,
      trialStart: toInstantOrNull(s.trial_start),
      trialEnd: toInstantOrNull(s.trial_end),
      pauseCollection: s.pause_collection
        ? { behavior: s.pause_collection.behavior, resumesAt: toInstantOrNull(s.pause_collection.resumes_at) }
        : null,
      cancelAtPeriodEnd: s.cancel_at_period_end,
      cancelAt: toInstantOrNull(s.cancel_at),
      canceledAt: toInstantOrNull(s.canceled_at),
      endedAt: toInstantOrNull(s.ended_at),
      cancellationReason: s.cancellation_details?.reason ?? null,
      created: toInstant(s.created),
      startDate: toInstantOrNull(s.start_date),
      currentPeriodStart: toInstant(s.current_period_start),
      currentPeriodEnd: toInstant(s.current_period_end),
      latestInvoiceId: s.latest_invoice ?? null,
      scheduleId: s.schedule ?? null,
    },
  };
}
