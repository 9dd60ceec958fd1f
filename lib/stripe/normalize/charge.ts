// Charges: `invoice` exists on charges before 2025-03-31 only; later, invoice payments link charges to invoices.
import { z } from "zod";
import type { ChargeRecord } from "../types";
import { currency, idOrObject, loose, money, parseWith, toInstant } from "./common";
import { refundSchema, toRefund } from "./refund";

const schema = loose({
  object: z.literal("charge"),
  id: z.string(),
  customer: idOrObject.nullable().optional(),
  invoice: idOrObject.nullable().optional(),
  payment_intent: idOrObject.nullable().optional(),
  amount: money,
  amount_captured: money.optional(),
  amount_refunded: money.default(0),
  currency,
  status: z.string(),
  paid: z.boolean(),
  refunded: z.boolean().default(false),
  created: z.number().int(),
  refunds: loose({ data: z.array(refundSchema) })
    .nullable()
    .optional(),
});

export const normalizeCharge = (input: unknown) =>
  parseWith(schema, input, (c): ChargeRecord => ({
    id: c.id,
    customerId: c.customer ?? null,
    invoiceId: c.invoice ?? null,
    paymentIntentId: c.payment_intent ?? null,
    amount: c.amount,
    amountCaptured: c.amount_captured ?? (c.paid ? c.amount : 0),
    amountRefunded: c.amount_refunded,
    currency: c.currency,
    status: c.status,
    paid: c.paid,
    refunded: c.refunded,
    created: toInstant(c.created),
    refunds: (c.refunds?.data ?? []).map(toRefund),
  }));
