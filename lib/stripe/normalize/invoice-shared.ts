import { z } from "zod";
import type { InvoiceLineRecord, InvoiceRecord } from "../types";
import { currency, idOrObject, loose, money, toInstant, toInstantOrNull, unixSeconds } from "./common";
import { lineSchema, toLine } from "./invoice-line";

export const invoiceBase = {
  object: z.literal("invoice"),
  id: z.string(),
  customer: idOrObject,
  status: z.enum(["draft", "open", "paid", "uncollectible", "void"]).nullable(),
  currency,
  amount_due: money,
  amount_paid: money,
  amount_remaining: money,
  subtotal: money,
  total: money,
  attempt_count: z.number().int().default(0),
  billing_reason: z.string().nullable().optional(),
  created: unixSeconds,
  period_start: unixSeconds.nullable().optional(),
  period_end: unixSeconds.nullable().optional(),
  status_transitions: loose({
    finalized_at: unixSeconds.nullable().optional(),
    paid_at: unixSeconds.nullable().optional(),
    voided_at: unixSeconds.nullable().optional(),
    marked_uncollectible_at: unixSeconds.nullable().optional(),
  })
    .nullable()
    .optional(),
  lines: loose({ data: z.array(lineSchema), has_more: z.boolean().optional() })
    .nullable()
    .optional(),
};

type Base = z.output<z.ZodObject<typeof invoiceBase>>;

export function toInvoice(
  i: Base,
  shape: "v1" | "v2",
  subscriptionId: string | null,
  paid: boolean | undefined,
): InvoiceRecord {
  const lines: InvoiceLineRecord[] | null = i.lines && !i.lines.has_more ? i.lines.data.map(toLine) : null;
  const st = i.status_transitions;
  // Very old invoices have `paid: true` and no `status_transitions.paid_at`: fall back to the invoice's creation.
  const paidAt = toInstantOrNull(st?.paid_at) ?? (paid && i.status === "paid" ? toInstant(i.created) : null);
  return {
    shape,
    id: i.id,
    customerId: i.customer,
    subscriptionId,
    status: i.status,
    currency: i.currency,
    amountDue: i.amount_due,
    amountPaid: i.amount_paid,
    amountRemaining: i.amount_remaining,
    subtotal: i.subtotal,
    total: i.total,
    attemptCount: i.attempt_count,
    billingReason: i.billing_reason ?? null,
    created: toInstant(i.created),
    periodStart: toInstantOrNull(i.period_start),
    periodEnd: toInstantOrNull(i.period_end),
    finalizedAt: toInstantOrNull(st?.finalized_at),
    paidAt,
    voidedAt: toInstantOrNull(st?.voided_at),
    markedUncollectibleAt: toInstantOrNull(st?.marked_uncollectible_at),
    lines,
  };
}
