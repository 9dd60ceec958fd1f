import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  char,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import type { SubscriptionState } from "@/lib/metrics/types";
import { workspaces } from "./core";

// Stripe: connections, the append-only raw event log, and the projection (everything `admin rebuild` may drop and
// recompute from stripe_events). Projection rows are keyed by (workspace_id, Stripe id): Stripe ids are unique
// across accounts, so the same object reached through two connections is one row (connection_id says which wrote it).
// Freshness: `last_event_key` is `<created, 11 digits>.<rank, 3 digits>.<event id>`, compared as text; an upsert
// only replaces a row whose key is smaller (docs/decisions/0003-stripe-event-ordering.md).

const ts = () => timestamp({ withTimezone: true });
const amount = () => bigint({ mode: "number" });
const workspaceId = () =>
  text()
    .notNull()
    .references(() => workspaces.id, { onDelete: "cascade" });

const freshness = () => ({
  connectionId: text().notNull(),
  lastEventKey: text().notNull(),
  lastEventId: text().notNull(),
  lastEventCreated: ts().notNull(),
});

export const connections = pgTable(
  "connections",
  {
    workspaceId: workspaceId(),
    id: text().notNull(),
    name: text().notNull(),
    livemode: boolean(),
    accountId: text(),
    /** sealSecret(whsec_…) */
    webhookSecret: text().notNull(),
    /** sealSecret(sk_…/rk_…), for backfill; null when only webhooks are used. */
    secretKey: text(),
    /** A Stripe-compatible API base URL (tests use scripts/fake-stripe). */
    apiBase: text(),
    createdAt: ts().notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.id] }), uniqueIndex("connections_id_key").on(t.id)],
);

/** Every Stripe event as received, append-only. Backfilled objects are stored here too, as `backfill:` pseudo-events. */
export const stripeEvents = pgTable(
  "stripe_events",
  {
    workspaceId: workspaceId(),
    connectionId: text().notNull(),
    id: text().notNull(),
    type: text().notNull(),
    apiVersion: text(),
    created: ts().notNull(),
    payload: jsonb().$type<Record<string, unknown>>().notNull(),
    receivedAt: ts().notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.connectionId, t.id] }),
    index("stripe_events_replay_idx").on(t.workspaceId, t.created, t.id),
  ],
);

/** What the projection concluded about each stored event (projection side: rebuild drops and recomputes it). */
export const stripeEventOutcomes = pgTable(
  "stripe_event_outcomes",
  {
    workspaceId: workspaceId(),
    connectionId: text().notNull(),
    eventId: text().notNull(),
    outcome: text({ enum: ["applied", "ignored", "stale", "rejected"] }).notNull(),
    reason: text(),
    eventType: text().notNull(),
    eventCreated: ts().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.connectionId, t.eventId] }),
    index("stripe_event_outcomes_outcome_idx").on(t.workspaceId, t.outcome),
  ],
);

export const customers = pgTable(
  "customers",
  {
    workspaceId: workspaceId(),
    id: text().notNull(),
    email: text(),
    name: text(),
    currency: char({ length: 3 }),
    /** ISO 3166-1 alpha-2, upper case: the billing address's country, else the shipping address's; null if neither. */
    country: char({ length: 2 }),
    created: ts(),
    delinquent: boolean().notNull().default(false),
    /** The customer's own discount (pre-2025 shape), applied to its v1 subscriptions without one (N6). */
    discountId: text(),
    deleted: boolean().notNull().default(false),
    ...freshness(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.id] })],
);

export const products = pgTable(
  "products",
  {
    workspaceId: workspaceId(),
    id: text().notNull(),
    name: text(),
    active: boolean().notNull(),
    created: ts(),
    deleted: boolean().notNull().default(false),
    ...freshness(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.id] })],
);

/** Prices and legacy plans (same id). `data` is a resolved `Price` (lib/metrics/types.ts). */
export const prices = pgTable(
  "prices",
  {
    workspaceId: workspaceId(),
    id: text().notNull(),
    productId: text(),
    currency: char({ length: 3 }).notNull(),
    type: text().notNull(),
    /** "price" or "plan": a plan event never overwrites what a price event wrote. */
    sourceObject: text().notNull(),
    data: jsonb().notNull(),
    deleted: boolean().notNull().default(false),
    ...freshness(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.id] })],
);

/** `data` is a resolved `Coupon`. */
export const coupons = pgTable(
  "coupons",
  {
    workspaceId: workspaceId(),
    id: text().notNull(),
    data: jsonb().notNull(),
    deleted: boolean().notNull().default(false),
    ...freshness(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.id] })],
);

export const promotionCodes = pgTable(
  "promotion_codes",
  {
    workspaceId: workspaceId(),
    id: text().notNull(),
    code: text().notNull(),
    couponId: text(),
    active: boolean().notNull(),
    ...freshness(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.id] })],
);

/** Discounts; `coupon` is inline when Stripe sent it, else resolved through `coupon_id`. */
export const discounts = pgTable(
  "discounts",
  {
    workspaceId: workspaceId(),
    id: text().notNull(),
    couponId: text().notNull(),
    coupon: jsonb(),
    customerId: text(),
    subscriptionId: text(),
    subscriptionItemId: text(),
    start: ts().notNull(),
    end: ts(),
    deleted: boolean().notNull().default(false),
    ...freshness(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.id] })],
);

/** Latest state per subscription. `state` is the resolved SubscriptionState; `source` our unresolved record. */
export const subscriptions = pgTable(
  "subscriptions",
  {
    workspaceId: workspaceId(),
    id: text().notNull(),
    customerId: text().notNull(),
    status: text().notNull(),
    currency: char({ length: 3 }).notNull(),
    created: ts().notNull(),
    currentPeriodStart: ts(),
    currentPeriodEnd: ts(),
    cancelAtPeriodEnd: boolean().notNull(),
    canceledAt: ts(),
    endedAt: ts(),
    trialEnd: ts(),
    state: jsonb().$type<SubscriptionState>().notNull(),
    source: jsonb().notNull(),
    /** Discount, coupon and `cus:<id>` ids the state was resolved from; re-resolved when one of them arrives. */
    refs: text()
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    ...freshness(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    index("subscriptions_customer_idx").on(t.workspaceId, t.customerId),
  ],
);

export const subscriptionItems = pgTable(
  "subscription_items",
  {
    workspaceId: workspaceId(),
    id: text().notNull(),
    subscriptionId: text().notNull(),
    priceId: text().notNull(),
    quantity: integer().notNull(),
    currentPeriodStart: ts(),
    currentPeriodEnd: ts(),
    lastEventKey: text().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    index("subscription_items_sub_idx").on(t.workspaceId, t.subscriptionId),
  ],
);

/**
 * The subscription history the KPI engine reads: one row per event that carried the subscription, at its effective
 * time (metrics.md §2.3). Read ordered by (valid_from, event_key). Rows do not depend on delivery order.
 */
export const subscriptionVersions = pgTable(
  "subscription_versions",
  {
    workspaceId: workspaceId(),
    subscriptionId: text().notNull(),
    eventId: text().notNull(),
    connectionId: text().notNull(),
    customerId: text().notNull(),
    validFrom: ts().notNull(),
    eventKey: text().notNull(),
    state: jsonb().$type<SubscriptionState>().notNull(),
    source: jsonb().notNull(),
    refs: text()
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /**
     * Whether `state` equals the state of the version before it in the subscription's `(valid_from, event_key)`
     * order (a renewal's `customer.subscription.updated`); null until the customer's next ledger refresh judges
     * it, and again whenever `state` changes (trigger of migration 0010). ADR 0015.
     */
    repeats: boolean(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.subscriptionId, t.eventId] }),
    index("subscription_versions_order_idx").on(t.workspaceId, t.subscriptionId, t.validFrom, t.eventKey),
    index("subscription_versions_customer_idx").on(t.workspaceId, t.customerId, t.validFrom),
    // The per-event ledger refresh reads only the versions that may change something.
    index("subscription_versions_changes_idx")
      .on(t.workspaceId, t.customerId, t.validFrom, t.eventKey)
      .where(sql`repeats is not true`),
    index("subscription_versions_refs_idx").using("gin", t.refs),
  ],
);

export const subscriptionSchedules = pgTable(
  "subscription_schedules",
  {
    workspaceId: workspaceId(),
    id: text().notNull(),
    customerId: text().notNull(),
    subscriptionId: text(),
    status: text().notNull(),
    endBehavior: text().notNull(),
    /** SchedulePhaseRecord[]: price and discount ids, resolved through prices/discounts at read time. */
    phases: jsonb().notNull(),
    ...freshness(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.id] })],
);

export const invoices = pgTable(
  "invoices",
  {
    workspaceId: workspaceId(),
    id: text().notNull(),
    customerId: text().notNull(),
    subscriptionId: text(),
    status: text(),
    currency: char({ length: 3 }).notNull(),
    amountDue: amount().notNull(),
    amountPaid: amount().notNull(),
    amountRemaining: amount().notNull(),
    subtotal: amount().notNull(),
    total: amount().notNull(),
    attemptCount: integer().notNull(),
    billingReason: text(),
    created: ts().notNull(),
    periodStart: ts(),
    periodEnd: ts(),
    finalizedAt: ts(),
    paidAt: ts(),
    voidedAt: ts(),
    markedUncollectibleAt: ts(),
    ...freshness(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    // By payment time, with what cash collected groups by (lib/kpi/finance.ts, listPaidInvoiceGroups): the
    // period's paid invoices come from an index-only scan, not from their heap pages.
    index("invoices_paid_idx").on(t.workspaceId, t.paidAt, t.status, t.currency, t.amountPaid, t.created),
    index("invoices_customer_idx").on(t.workspaceId, t.customerId),
  ],
);

export const invoiceLines = pgTable(
  "invoice_lines",
  {
    workspaceId: workspaceId(),
    invoiceId: text().notNull(),
    id: text().notNull(),
    amount: amount().notNull(),
    currency: char({ length: 3 }).notNull(),
    subscriptionId: text(),
    subscriptionItemId: text(),
    priceId: text(),
    quantity: integer(),
    proration: boolean().notNull(),
    periodStart: ts(),
    periodEnd: ts(),
    discountAmount: amount().notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.invoiceId, t.id] })],
);

/** One row per invoice.payment_failed event: the first failure of an invoice is min(failed_at) (failedPaymentRecoveryRate). */
export const invoicePaymentFailures = pgTable(
  "invoice_payment_failures",
  {
    workspaceId: workspaceId(),
    invoiceId: text().notNull(),
    eventId: text().notNull(),
    customerId: text().notNull(),
    failedAt: ts().notNull(),
    amountDue: amount().notNull(),
    currency: char({ length: 3 }).notNull(),
    attemptCount: integer().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.invoiceId, t.eventId] }),
    // A period's failures, for its failed-payment recovery.
    index("invoice_payment_failures_failed_idx").on(t.workspaceId, t.failedAt),
  ],
);

export const creditNotes = pgTable(
  "credit_notes",
  {
    workspaceId: workspaceId(),
    id: text().notNull(),
    invoiceId: text(),
    customerId: text(),
    status: text().notNull(),
    currency: char({ length: 3 }).notNull(),
    amount: amount().notNull(),
    total: amount().notNull(),
    created: ts().notNull(),
    voidedAt: ts(),
    ...freshness(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.id] })],
);

export const charges = pgTable(
  "charges",
  {
    workspaceId: workspaceId(),
    id: text().notNull(),
    customerId: text(),
    /** Set on pre-2025-03-31 charges only; newer ones are linked through invoice payments (invoice_payments). */
    invoiceId: text(),
    /** What a 2025-03-31+ invoice payment names instead of the charge, when the charge has one. */
    paymentIntentId: text(),
    amount: amount().notNull(),
    amountCaptured: amount().notNull(),
    amountRefunded: amount().notNull(),
    currency: char({ length: 3 }).notNull(),
    status: text().notNull(),
    paid: boolean().notNull(),
    created: ts().notNull(),
    ...freshness(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    index("charges_created_idx").on(t.workspaceId, t.created),
    index("charges_payment_intent_idx").on(t.workspaceId, t.paymentIntentId),
  ],
);

/**
 * Invoice payments (2025-03-31+): which payment intent, or charge without one, paid which invoice. Readers link a
 * charge to its invoice through this table at read time, so the link holds whichever arrives first.
 */
export const invoicePayments = pgTable(
  "invoice_payments",
  {
    workspaceId: workspaceId(),
    id: text().notNull(),
    invoiceId: text().notNull(),
    status: text().notNull(),
    amountPaid: amount(),
    amountRequested: amount().notNull(),
    currency: char({ length: 3 }).notNull(),
    isDefault: boolean().notNull(),
    chargeId: text(),
    paymentIntentId: text(),
    created: ts().notNull(),
    paidAt: ts(),
    canceledAt: ts(),
    ...freshness(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    index("invoice_payments_charge_idx").on(t.workspaceId, t.chargeId),
    index("invoice_payments_payment_intent_idx").on(t.workspaceId, t.paymentIntentId),
  ],
);

export const refunds = pgTable(
  "refunds",
  {
    workspaceId: workspaceId(),
    id: text().notNull(),
    chargeId: text(),
    amount: amount().notNull(),
    currency: char({ length: 3 }).notNull(),
    status: text(),
    created: ts().notNull(),
    ...freshness(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.id] }), index("refunds_created_idx").on(t.workspaceId, t.created)],
);

/** Backfill progress per connection and object type: resumes after a crash from `starting_after`. */
export const stripeBackfillCursors = pgTable(
  "stripe_backfill_cursors",
  {
    workspaceId: workspaceId(),
    connectionId: text().notNull(),
    objectType: text().notNull(),
    /** The run this cursor belongs to: its pseudo-events are created at this instant. */
    runStartedAt: ts().notNull(),
    startingAfter: text(),
    done: boolean().notNull().default(false),
    count: integer().notNull().default(0),
    updatedAt: ts().notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.connectionId, t.objectType] })],
);

/** Background jobs as the UI and CLI see them (pg-boss runs them; this row is what people read). */
export const jobs = pgTable(
  "jobs",
  {
    workspaceId: workspaceId(),
    id: text().notNull(),
    kind: text().notNull(),
    status: text({ enum: ["queued", "running", "succeeded", "failed"] }).notNull(),
    input: jsonb().$type<Record<string, unknown>>().notNull(),
    progress: jsonb()
      .$type<Record<string, unknown>>()
      .notNull()
      .default(sql`'{}'::jsonb`),
    error: text(),
    createdAt: ts().notNull().defaultNow(),
    updatedAt: ts().notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.id] }), uniqueIndex("jobs_id_key").on(t.id)],
);
