// Subscription items in both shapes: v2 adds `current_period_*` and `discounts` per item; v1 items may carry only
// a legacy `plan` (no `price`).
import { z } from "zod";
import type { Normalized, SubscriptionItemRecord } from "../types";
import { decimalString, loose, toInstantOrNull } from "./common";
import { normalizeDiscountRefs } from "./discount";
import { normalizePrice } from "./price";

const taxRate = loose({ percentage: decimalString, inclusive: z.boolean() });
export const taxRates = z.array(taxRate).nullable().optional();

export const itemSchema = loose({
  id: z.string(),
  price: z.unknown().optional(),
  plan: z.unknown().optional(),
  quantity: z.number().int().nonnegative().nullable().optional(),
  discounts: z.array(z.unknown()).nullable().optional(),
  tax_rates: taxRates,
  current_period_start: z.number().int().nullable().optional(),
  current_period_end: z.number().int().nullable().optional(),
});

export const inclusivePercents = (rates: z.output<typeof taxRates>): string[] =>
  (rates ?? []).filter((r) => r.inclusive).map((r) => r.percentage);

export function toItem(
  item: z.output<typeof itemSchema>,
  index: number,
  defaultTaxRates: z.output<typeof taxRates>,
): Normalized<SubscriptionItemRecord> {
  const price = normalizePrice(item.price ?? item.plan);
  if (!price.ok) return { ok: false, reason: `items.data.${index}.price: ${price.reason}` };
  const discounts = normalizeDiscountRefs(item.discounts, `items.data.${index}.discounts`);
  if (!discounts.ok) return discounts;
  const own = inclusivePercents(item.tax_rates);
  return {
    ok: true,
    value: {
      id: item.id,
      price: price.value,
      quantity: item.quantity ?? 0,
      discounts: discounts.value,
      inclusiveTaxPercents: item.tax_rates && item.tax_rates.length > 0 ? own : inclusivePercents(defaultTaxRates),
      currentPeriodStart: toInstantOrNull(item.current_period_start),
      currentPeriodEnd: toInstantOrNull(item.current_period_end),
    },
  };
}

export const statusSchema = z.enum([
  "trialing",
  "active",
  "past_due",
  "unpaid",
  "canceled",
  "incomplete",
  "incomplete_expired",
  "paused",
]);

export const pauseSchema = loose({ behavior: z.string(), resumes_at: z.number().int().nullable().optional() })
  .nullable()
  .optional();
