// invoice.* (created, finalized, paid, payment_succeeded, payment_failed, updated, voided, marked_uncollectible,
// deleted), and backfill.invoice. invoice.payment_failed also records the failure itself, whatever the freshness,
// for the recovery KPI. An invoice and its lines are one statement, and so is a backfill page of them.
import { insertInvoicePaymentFailure, writeInvoices } from "@/db/queries/stripe-projection";
import type { StripeEvent } from "../event";
import { normalizeInvoice } from "../normalize/invoice";
import type { InvoiceRecord, InvoiceStatus } from "../types";
import { date, freshness, rejected, single, type BatchHandler, type HandlerResult } from "./context";

const RANK: Record<InvoiceStatus, number> = { draft: 1, open: 2, uncollectible: 3, paid: 4, void: 5 };

type Planned = { i: InvoiceRecord; event: StripeEvent };

export const applyInvoiceEvents: BatchHandler = async (ctx, events) => {
  const { tx, workspaceId } = ctx;
  const results: (HandlerResult | Planned)[] = events.map((event) => {
    const n = normalizeInvoice(event.data.object);
    return n.ok ? { i: n.value, event } : rejected(n);
  });
  const planned = results.filter((r): r is Planned => "i" in r);
  const withLines = planned.filter((p) => p.i.lines);
  const applied = await writeInvoices(workspaceId, tx, {
    invoices: planned.map(({ i, event }) => ({
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
      ...freshness({ ...ctx, event }, (i.status ? RANK[i.status] : 0) * 10 + Math.min(i.attemptCount, 9)),
    })),
    // Replaced only for the invoices the upsert wrote; a truncated or absent list keeps the stored lines.
    linesOf: withLines.map((p) => p.i.id),
    lines: withLines.flatMap(({ i }) =>
      i.lines!.map((l) => ({ ...l, invoiceId: i.id, periodStart: date(l.periodStart), periodEnd: date(l.periodEnd) })),
    ),
  });
  for (const { i, event } of planned)
    if (event.type === "invoice.payment_failed")
      await insertInvoicePaymentFailure(workspaceId, tx, {
        invoiceId: i.id,
        eventId: event.id,
        customerId: i.customerId,
        failedAt: new Date(event.created * 1000),
        amountDue: i.amountDue,
        currency: i.currency,
        attemptCount: i.attemptCount,
      });
  return results.map((r) =>
    "i" in r ? { outcome: applied.has(r.i.id) ? "applied" : "stale", customerIds: [r.i.customerId] } : r,
  );
};

export const applyInvoiceEvent = single(applyInvoiceEvents);
