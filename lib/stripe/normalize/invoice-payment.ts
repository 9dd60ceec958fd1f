// Invoice payments (2025-03-31+, event `invoice_payment.paid`): since then a charge or payment intent no longer
// carries `invoice`; this object says which payment paid which invoice. `payment.charge` is only set when the charge
// has no payment intent; otherwise `payment.payment_intent` is (openapi-fixtures3/invoice_payment.json).
import { z } from "zod";
import type { InvoicePaymentRecord } from "../types";
import { currency, idOrObject, loose, money, parseWith, toInstant, toInstantOrNull, unixSeconds } from "./common";

const schema = loose({
  object: z.literal("invoice_payment"),
  id: z.string(),
  invoice: idOrObject,
  status: z.string(),
  amount_paid: money.nullable(),
  amount_requested: money,
  currency,
  is_default: z.boolean().default(false),
  payment: loose({
    type: z.string(),
    charge: idOrObject.nullable().optional(),
    payment_intent: idOrObject.nullable().optional(),
  }),
  created: unixSeconds,
  status_transitions: loose({
    paid_at: unixSeconds.nullable().optional(),
    canceled_at: unixSeconds.nullable().optional(),
  })
    .nullable()
    .optional(),
});

export const normalizeInvoicePayment = (input: unknown) =>
  parseWith(
    schema.refine((p) => p.payment.type === "payment_record" || !!(p.payment.charge ?? p.payment.payment_intent), {
      message: "names neither a charge nor a payment intent",
      path: ["payment"],
    }),
    input,
    (p): InvoicePaymentRecord => ({
      id: p.id,
      invoiceId: p.invoice,
      status: p.status,
      amountPaid: p.amount_paid,
      amountRequested: p.amount_requested,
      currency: p.currency,
      isDefault: p.is_default,
      chargeId: p.payment.charge ?? null,
      paymentIntentId: p.payment.payment_intent ?? null,
      created: toInstant(p.created),
      paidAt: toInstantOrNull(p.status_transitions?.paid_at),
      canceledAt: toInstantOrNull(p.status_transitions?.canceled_at),
    }),
  );
