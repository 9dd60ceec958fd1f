// invoice_payment.paid (2025-03-31+), and backfill.invoice_payment. Stores which payment intent or charge paid which
// invoice; readers join charges to it (db/queries/finance.ts), so the order of the charge and this event is free.
import { upsertInvoicePayment } from "@/db/queries/stripe-projection";
import { normalizeInvoicePayment } from "../normalize/invoice-payment";
import { appliedOrStale, date, freshness, rejected, type Handler } from "./context";

const RANK: Record<string, number> = { open: 1, paid: 2, canceled: 3 };

export const applyInvoicePaymentEvent: Handler = async (ctx) => {
  const n = normalizeInvoicePayment(ctx.event.data.object);
  if (!n.ok) return rejected(n);
  const p = n.value;
  const applied = await upsertInvoicePayment(ctx.workspaceId, ctx.tx, {
    ...p,
    created: new Date(p.created),
    paidAt: date(p.paidAt),
    canceledAt: date(p.canceledAt),
    ...freshness(ctx, RANK[p.status] ?? 0),
  });
  // Payments never move MRR (N14): no customer's ledger needs a refresh.
  return appliedOrStale(applied, []);
};
