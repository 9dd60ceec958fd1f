// invoice.* (created, finalized, paid, payment_succeeded, payment_failed, updated, voided, marked_uncollectible,
// deleted). invoice.payment_failed also records the failure itself, whatever the freshness, for the recovery KPI.
import { insertInvoicePaymentFailure, replaceInvoiceLines, upsertInvoice } from "@/db/queries/stripe-projection";
import { normalizeInvoice } from "../normalize/invoice";
import type { InvoiceStatus } from "../types";
import { appliedOrStale, date, freshness, rejected, type Handler } from "./context";

const RANK: Record<InvoiceStatus, number> = { draft: 1, open: 2, uncollectible: 3, paid: 4, void: 5 };

export const applyInvoiceEvent: Handler = async (ctx) => {
  const n = normalizeInvoice(ctx.event.data.object);
  if (!n.ok) return rejected(n);
  const i = n.value;
  const { tx, workspaceId, event } = ctx;
  const fresh = freshness(ctx, (i.status ? RANK[i.status] : 0) * 10 + Math.min(i.attemptCount, 9));
  const applied = await upsertInvoice(workspaceId, tx, {
    id: i.id,
    customerId: i.customerId,
    subscriptionId: i.subscriptionId,
    status: i.status,
    currency: i.currency,
    amountDue: i.amountDue,
    amountPaid: i.amountPaid,
    amountRemaining: i.amountRemaining,
    subtotal: i.subtotal,
    total: i.total,
    attemptCount: i.attemptCount,
    billingReason: i.billingReason,
    created: new Date(i.created),
    periodStart: date(i.periodStart),
    periodEnd: date(i.periodEnd),
    finalizedAt: date(i.finalizedAt),
    paidAt: date(i.paidAt),
    voidedAt: date(i.voidedAt),
    markedUncollectibleAt: date(i.markedUncollectibleAt),
    ...fresh,
  });
  if (applied && i.lines) {
    await replaceInvoiceLines(
      workspaceId,
      tx,
      i.id,
      i.lines.map((l) => ({ ...l, periodStart: date(l.periodStart), periodEnd: date(l.periodEnd) })),
    );
  }
  if (event.type === "invoice.payment_failed") {
    await insertInvoicePaymentFailure(workspaceId, tx, {
      invoiceId: i.id,
      eventId: event.id,
      customerId: i.customerId,
      failedAt: new Date(event.created * 1000),
      amountDue: i.amountDue,
      currency: i.currency,
      attemptCount: i.attemptCount,
    });
  }
  return appliedOrStale(applied, [i.customerId]);
};
