import type { Tx } from "@/db/client";
import { markPendingCustomers } from "@/db/queries/policy-change";
import type { VersionKey } from "@/db/queries/stripe-projection";
import { refreshCustomerLedger } from "./ledger";
import { loadLedgerContext, type LedgerContext } from "./settings";

/** Payments never move MRR (N14). */
const NEVER_MRR = /^(backfill\.)?(invoice_payment|charge|refund|credit_note|payment_intent)\b/;
/** Invoices move MRR only through metered usage under the trailing-average policy (N4). */
const METERED_ONLY = /^(backfill\.)?(invoice|invoiceitem)\b/;

/**
 * After a Stripe event changed a subscription's history, recompute the MRR ledger of the customers it touched,
 * inside the event's transaction: the raw event, the projection and the numbers commit together or not at all.
 * `context` is the workspace's ledger context when the event's first statement already read it (the webhook path);
 * without it the hook reads it. `lockedCustomers` are the customers the transaction locked before it wrote anything
 * (the webhook's customer, a backfill page's): the refresh does not lock them again.
 */
export async function refreshLedgerOnApplied(
  tx: Tx,
  info: {
    workspaceId: string;
    customerIds: string[];
    eventType?: string;
    context?: LedgerContext;
    versions?: readonly VersionKey[];
    lockedCustomers?: ReadonlySet<string>;
  },
): Promise<void> {
  if (info.customerIds.length === 0) return;
  if (info.eventType && NEVER_MRR.test(info.eventType)) return;
  const context = info.context ?? (await loadLedgerContext(info.workspaceId, tx));
  if (!context) throw new Error(`workspace ${info.workspaceId} vanished during ingestion`);
  const { workspace, config, pending } = context;
  const metered = (policy: { metered: string }) => policy.metered === "trailing3MonthAverage";
  const meteredOnly = !!info.eventType && METERED_ONLY.test(info.eventType);
  // While a policy change is computed aside, it must compute these customers again before it swaps (ADR 0017):
  // recorded in this transaction, so the mark commits with the inputs that made it necessary.
  if (pending && (!meteredOnly || metered(pending.policy)))
    await markPendingCustomers(tx, workspace.id, info.customerIds);
  if (meteredOnly && !metered(config.policy)) return;
  await refreshCustomerLedger({
    tx,
    workspace,
    config,
    customerIds: info.customerIds,
    fresh: info.versions,
    ...(info.lockedCustomers ? { locked: info.lockedCustomers } : {}),
  });
}

/** Whether the hook may need the ledger context for an event of this type (payments never do). */
refreshLedgerOnApplied.wantsContext = (eventType: string) => !NEVER_MRR.test(eventType);

/**
 * Whether an event of this type takes its customer's ledger lock in its first statement (ADR 0016): those whose
 * projection writes subscription versions (subscriptions, discounts, customers, schedules). Invoices change no
 * version and refresh only under the metered policy, so they keep running beside the customer's other events and
 * lock in the refresh when they need to.
 */
refreshLedgerOnApplied.locksCustomer = (eventType: string) =>
  !NEVER_MRR.test(eventType) && !METERED_ONLY.test(eventType);
