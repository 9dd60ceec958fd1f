// Subscriptions from 2025-03-31 (basil): billing periods live on the items and discounts are a `discounts` array of
// ids or expanded objects (lifecycle/17 sends ids; the discount itself arrives as customer.discount.created).
import { z } from "zod";
import type { Normalized, SubscriptionItemRecord, SubscriptionRecord } from "../types";
import { currency, formatIssues, idOrObject, loose, toInstant, toInstantOrNull, unixSeconds } from "./common";
import { normalizeDiscountRefs } from "./discount";
import { itemSchema, pauseSchema, statusSchema, taxRates, toItem } from "./subscription-item";

const schema = loose({
  object: z.literal("subscription"),
  id: z.string(),
  customer: idOrObject,
  currency,
  status: statusSchema,
  items: loose({ data: z.array(itemSchema) }),
  discounts: z.array(z.unknown()),
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
  latest_invoice: idOrObject.nullable().optional(),
  schedule: idOrObject.nullable().optional(),
});

export function normalizeSubscriptionV2(input: unknown): Normalized<SubscriptionRecord> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) return { ok: false, reason: formatIssues(parsed.error) };
  const s = parsed.data;
  const items: SubscriptionItemRecord[] = [];
  for (const [i, raw] of s.items.data.entries()) {
    const item = toItem(raw, i, s.default_tax_rates);
    if (!item.ok) return item;
    items.push(item.value);
  }
  const discounts = normalizeDiscountRefs(s.discounts, "discounts");
  if (!discounts.ok) return discounts;
  const starts = items.map((i) => i.currentPeriodStart).filter((v): v is number => v !== null);
  const ends = items.map((i) => i.currentPeriodEnd).filter((v): v is number => v !== null);
  return {
    ok: true,
    value: {
      shape: "v2",
      id: s.id,
      customerId: s.customer,
      currency: s.currency,
      status: s.status,
      items,
      discounts: discounts.value,
      useCustomerDiscount: false,
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
      currentPeriodStart: starts.length ? Math.min(...starts) : null,
      currentPeriodEnd: ends.length ? Math.max(...ends) : null,
      latestInvoiceId: s.latest_invoice ?? null,
      scheduleId: s.schedule ?? null,
    },
  };
}
