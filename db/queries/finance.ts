import { and, eq, lte, sql } from "drizzle-orm";
import type { ChargeRecord, InvoiceRecord, RefundRecord } from "@/lib/metrics/cash";
import type { SubscriptionVersion } from "@/lib/metrics/types";
import type { Executor } from "../client";
import { charges, invoicePaymentFailures, invoices, refunds, subscriptionVersions } from "../schema";

const ms = (d: Date | null) => (d ? d.getTime() : null);

/** Invoices created up to `before` with their first failed attempt (for cash collected and recovery). */
export async function listInvoiceRecords(
  workspaceId: string,
  db: Executor,
  range: { before: Date },
): Promise<InvoiceRecord[]> {
  const failures = db
    .select({
      invoiceId: invoicePaymentFailures.invoiceId,
      firstFailedAt: sql<Date>`min(${invoicePaymentFailures.failedAt})`.as("first_failed_at"),
      amountDueAtFirstFailure:
        sql<string>`(array_agg(${invoicePaymentFailures.amountDue} order by ${invoicePaymentFailures.failedAt}))[1]`.as(
          "amount_due_at_first_failure",
        ),
    })
    .from(invoicePaymentFailures)
    .where(eq(invoicePaymentFailures.workspaceId, workspaceId))
    .groupBy(invoicePaymentFailures.invoiceId)
    .as("f");
  const rows = await db
    .select({
      id: invoices.id,
      customerId: invoices.customerId,
      currency: invoices.currency,
      status: invoices.status,
      amountDue: invoices.amountDue,
      amountPaid: invoices.amountPaid,
      paidAt: invoices.paidAt,
      firstFailedAt: failures.firstFailedAt,
      amountDueAtFirstFailure: failures.amountDueAtFirstFailure,
    })
    .from(invoices)
    .leftJoin(failures, eq(failures.invoiceId, invoices.id))
    .where(and(eq(invoices.workspaceId, workspaceId), lte(invoices.created, range.before)));
  return rows.map((r) => ({
    id: r.id,
    customerId: r.customerId,
    currency: r.currency,
    status: (r.status ?? "draft") as InvoiceRecord["status"],
    amountDue: r.amountDue,
    amountPaid: r.amountPaid,
    paidAt: ms(r.paidAt),
    firstFailedAt: r.firstFailedAt ? new Date(r.firstFailedAt).getTime() : null,
    amountDueAtFirstFailure: r.amountDueAtFirstFailure === null ? null : Number(r.amountDueAtFirstFailure),
  }));
}

export async function listChargeRecords(
  workspaceId: string,
  db: Executor,
  range: { before: Date },
): Promise<ChargeRecord[]> {
  const rows = await db
    .select()
    .from(charges)
    .where(and(eq(charges.workspaceId, workspaceId), lte(charges.created, range.before)));
  return rows.map((r) => ({
    id: r.id,
    customerId: r.customerId,
    currency: r.currency,
    amount: r.amountCaptured || r.amount,
    status: (r.status === "succeeded" || r.status === "pending" ? r.status : "failed") as ChargeRecord["status"],
    createdAt: r.created.getTime(),
    invoiceId: r.invoiceId,
  }));
}

export async function listRefundRecords(
  workspaceId: string,
  db: Executor,
  range: { before: Date },
): Promise<RefundRecord[]> {
  const rows = await db
    .select({ refund: refunds, customerId: charges.customerId })
    .from(refunds)
    .leftJoin(charges, and(eq(charges.workspaceId, refunds.workspaceId), eq(charges.id, refunds.chargeId)))
    .where(and(eq(refunds.workspaceId, workspaceId), lte(refunds.created, range.before)));
  return rows.map(({ refund: r, customerId }) => ({
    id: r.id,
    customerId,
    currency: r.currency,
    amount: r.amount,
    status: (r.status ?? "succeeded") as RefundRecord["status"],
    createdAt: r.created.getTime(),
  }));
}

/** Every subscription version of the workspace (trial outcomes and committed MRR read whole histories). */
export async function listAllSubscriptionVersions(workspaceId: string, db: Executor): Promise<SubscriptionVersion[]> {
  const rows = await db
    .select({
      validFrom: subscriptionVersions.validFrom,
      state: subscriptionVersions.state,
      eventId: subscriptionVersions.eventId,
    })
    .from(subscriptionVersions)
    .where(eq(subscriptionVersions.workspaceId, workspaceId));
  return rows.map((r) => ({ validFrom: r.validFrom.getTime(), state: r.state, eventId: r.eventId }));
}
