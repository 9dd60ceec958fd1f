// invoice_payment.paid (2025-03-31+), and backfill.invoice_payment. Stores which payment intent or charge paid which
// invoice; readers join charges to it (db/queries/finance.ts), so the order of the charge and this event is free.
// A backfill page goes through in one batch.
import { upsertInvoicePayments } from "@/db/queries/stripe-projection";
import { normalizeInvoicePayment } from "../normalize/invoice-payment";
import type { InvoicePaymentRecord } from "../types";
import { date, freshness, rejected, single, type BatchHandler, type HandlerResult } from "./context";

const RANK: Record<string, number> = { open: 1, paid: 2, canceled: 3 };

export const applyInvoicePaymentEvents: BatchHandler = async (ctx, events) => {
  const results: (HandlerResult | { p: InvoicePaymentRecord; fresh: ReturnType<typeof freshness> })[] = events.map(
    (event) => {
      const n = normalizeInvoicePayment(event.data.object);
      return n.ok ? { p: n.value, fresh: freshness({ ...ctx, event }, RANK[n.value.status] ?? 0) } : rejected(n);
    },
  );
  const applied = await upsertInvoicePayments(
    ctx.workspaceId,
    ctx.tx,
    results.flatMap((r) =>
      "p" in r
        ? [
            {
              ...r.p,
              created: new Date(r.p.created),
              paidAt: date(r.p.paidAt),
              canceledAt: date(r.p.canceledAt),
              ...r.fresh,
            },
          ]
        : [],
    ),
  );
  // Payments never move MRR (N14): no customer's ledger needs a refresh.
  return results.map((r) => ("p" in r ? { outcome: applied.has(r.p.id) ? "applied" : "stale", customerIds: [] } : r));
};

export const applyInvoicePaymentEvent = single(applyInvoicePaymentEvents);
