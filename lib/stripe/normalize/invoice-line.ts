// Invoice lines: before 2025-03-31 `subscription`, `subscription_item`, `price` and `proration` sit on the line;
// after, under `parent.subscription_item_details` and `pricing.price_details` (lifecycle/19_invoice.payment_failed).
import { z } from "zod";
import type { InvoiceLineRecord } from "../types";
import { currency, idOrObject, loose, money, toInstantOrNull } from "./common";

export const lineSchema = loose({
  id: z.string(),
  amount: money,
  currency,
  quantity: z.number().int().nullable().optional(),
  period: loose({ start: z.number().int(), end: z.number().int() }).nullable().optional(),
  discount_amounts: z
    .array(loose({ amount: money }))
    .nullable()
    .optional(),
  // v1
  subscription: idOrObject.nullable().optional(),
  subscription_item: idOrObject.nullable().optional(),
  price: loose({ id: z.string() }).nullable().optional(),
  proration: z.boolean().optional(),
  // v2
  parent: loose({
    subscription_item_details: loose({
      subscription: z.string().nullable().optional(),
      subscription_item: z.string().nullable().optional(),
      proration: z.boolean().optional(),
    })
      .nullable()
      .optional(),
    invoice_item_details: loose({ subscription: z.string().nullable().optional(), proration: z.boolean().optional() })
      .nullable()
      .optional(),
  })
    .nullable()
    .optional(),
  pricing: loose({ price_details: loose({ price: z.string() }).nullable().optional() })
    .nullable()
    .optional(),
});

export const toLine = (l: z.output<typeof lineSchema>): InvoiceLineRecord => {
  const sid = l.parent?.subscription_item_details;
  const iid = l.parent?.invoice_item_details;
  return {
    id: l.id,
    amount: l.amount,
    currency: l.currency,
    subscriptionId: sid?.subscription ?? iid?.subscription ?? l.subscription ?? null,
    subscriptionItemId: sid?.subscription_item ?? l.subscription_item ?? null,
    priceId: l.pricing?.price_details?.price ?? l.price?.id ?? null,
    quantity: l.quantity ?? null,
    proration: sid?.proration ?? iid?.proration ?? l.proration ?? false,
    periodStart: toInstantOrNull(l.period?.start),
    periodEnd: toInstantOrNull(l.period?.end),
    discountAmount: (l.discount_amounts ?? []).reduce((s, d) => s + d.amount, 0),
  };
};
