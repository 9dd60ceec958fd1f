import { and, desc, eq, lt } from "drizzle-orm";
import type { SubscriptionState } from "@/lib/metrics/types";
import type { Executor } from "../client";
import { customers, invoicePaymentFailures, invoices, subscriptionVersions } from "../schema";

// The Stripe-side facts the marketing and customer-success KPIs read besides the MRR ledger: who the customers are
// (for linking ingest records, metrics.md §1.4), each subscription's state at the end of a day (seats, past_due,
// scheduled cancellations) and the payment failures behind the health score's payments component (§4.5).

export type LinkableCustomerRow = { customerId: string; email: string | null; name: string | null };

/** Every Stripe customer of the workspace, deleted ones included: old ingest records still link to them. */
export async function listLinkableCustomers(workspaceId: string, db: Executor): Promise<LinkableCustomerRow[]> {
  return db
    .select({ customerId: customers.id, email: customers.email, name: customers.name })
    .from(customers)
    .where(eq(customers.workspaceId, workspaceId))
    .orderBy(customers.id);
}

/**
 * Each subscription's latest version that took effect before `before` (an instant: the end of the as-of day), i.e.
 * its state at the end of that day. Versions are effective-time ordered (§2.3), so a late event never rewrites
 * the past; a subscription that did not exist yet is absent.
 */
export async function listSubscriptionStatesAsOf(
  workspaceId: string,
  db: Executor,
  range: { before: Date },
): Promise<SubscriptionState[]> {
  const v = subscriptionVersions;
  const rows = await db
    .selectDistinctOn([v.subscriptionId], { state: v.state })
    .from(v)
    .where(and(eq(v.workspaceId, workspaceId), lt(v.validFrom, range.before)))
    .orderBy(v.subscriptionId, desc(v.validFrom), desc(v.eventKey));
  return rows.map((r) => r.state);
}

export type PaymentFailureRow = {
  invoiceId: string;
  customerId: string;
  failedAt: Date;
  /** The invoice's own timestamps (latest state); compared with the as-of instant to know its state then. */
  paidAt: Date | null;
  voidedAt: Date | null;
  markedUncollectibleAt: Date | null;
};

/**
 * Every failed payment attempt before `before` with its invoice's settlement times. A failure whose invoice row is
 * missing (the invoice event not delivered yet) keeps null times, so it counts as still open: the failure itself
 * is the fact we hold.
 */
export async function listPaymentFailures(
  workspaceId: string,
  db: Executor,
  range: { before: Date },
): Promise<PaymentFailureRow[]> {
  const f = invoicePaymentFailures;
  return db
    .select({
      invoiceId: f.invoiceId,
      customerId: f.customerId,
      failedAt: f.failedAt,
      paidAt: invoices.paidAt,
      voidedAt: invoices.voidedAt,
      markedUncollectibleAt: invoices.markedUncollectibleAt,
    })
    .from(f)
    .leftJoin(invoices, and(eq(invoices.workspaceId, f.workspaceId), eq(invoices.id, f.invoiceId)))
    .where(and(eq(f.workspaceId, workspaceId), lt(f.failedAt, range.before)))
    .orderBy(f.customerId, f.failedAt);
}
