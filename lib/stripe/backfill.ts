// Backfill: import existing Stripe objects through the stripe client, page by page, as `backfill.<object>`
// pseudo-events stored in stripe_events and fed through the same handlers as webhooks. Each page commits with its
// cursor, so a crashed run resumes after the last committed page with the same run time and pseudo-event ids.
// Ordering (docs/decisions/0003): a pseudo-event's `created` is the run's start; webhook events created after it win.
import { and, eq } from "drizzle-orm";
import Stripe from "stripe";
import type { Db, Tx } from "@/db/client";
import { lockConfigShared, lockCustomerLedgers } from "@/db/queries/config-lock";
import { insertStripeEvents } from "@/db/queries/stripe-events";
import { stripeBackfillCursors } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { getConnection } from "./connections";
import type { StripeEvent } from "./event";
import { customerOf, projectEvents, type OnApplied } from "./ingest";

type ListParams = { limit: number; starting_after?: string };
type Lister = (s: Stripe, p: ListParams) => Promise<{ data: unknown[]; has_more: boolean }>;

/**
 * Import order: what later objects reference comes first (coupons before discounts, customers before subscriptions).
 * `locksCustomers`: the objects whose projection writes what a customer's ledger is computed from (subscription
 * versions, re-resolved by a customer's discount; schedule phases). A page of them takes the ledger locks of the
 * customers its objects name before it writes anything (ADR 0016), as a webhook event of those types does.
 */
export const BACKFILL_OBJECTS = [
  { type: "product", path: "products", list: ((s, p) => s.products.list(p)) as Lister },
  { type: "price", path: "prices", list: ((s, p) => s.prices.list(p)) as Lister },
  { type: "coupon", path: "coupons", list: ((s, p) => s.coupons.list(p)) as Lister },
  { type: "promotion_code", path: "promotion_codes", list: ((s, p) => s.promotionCodes.list(p)) as Lister },
  { type: "customer", path: "customers", list: ((s, p) => s.customers.list(p)) as Lister, locksCustomers: true },
  {
    type: "subscription",
    path: "subscriptions",
    list: ((s, p) => s.subscriptions.list({ ...p, status: "all", expand: ["data.discounts"] })) as Lister,
    locksCustomers: true,
  },
  {
    type: "subscription_schedule",
    path: "subscription_schedules",
    list: ((s, p) => s.subscriptionSchedules.list(p)) as Lister,
    locksCustomers: true,
  },
  { type: "invoice", path: "invoices", list: ((s, p) => s.invoices.list(p)) as Lister },
  // 2025-03-31+: what links a charge to the invoice it paid (stripe-node 23 has invoicePayments.list).
  { type: "invoice_payment", path: "invoice_payments", list: ((s, p) => s.invoicePayments.list(p)) as Lister },
  { type: "credit_note", path: "credit_notes", list: ((s, p) => s.creditNotes.list(p)) as Lister },
  { type: "charge", path: "charges", list: ((s, p) => s.charges.list(p)) as Lister },
  { type: "refund", path: "refunds", list: ((s, p) => s.refunds.list(p)) as Lister },
] as const;

export type BackfillObjectType = (typeof BACKFILL_OBJECTS)[number]["type"];
export type BackfillCounts = Partial<Record<BackfillObjectType, number>>;

export function stripeClient(secretKey: string, apiBase: string | null): Stripe {
  if (!apiBase) return new Stripe(secretKey, { maxNetworkRetries: 2 });
  const u = new URL(apiBase);
  return new Stripe(secretKey, {
    host: u.hostname,
    port: Number(u.port || (u.protocol === "https:" ? 443 : 80)),
    protocol: u.protocol === "https:" ? "https" : "http",
    maxNetworkRetries: 0,
  });
}

type Page = { data: Record<string, unknown>[]; has_more: boolean };

export async function runBackfill(args: {
  db: Db;
  workspaceId: string;
  connectionId: string;
  onProgress?: (p: { type: BackfillObjectType; count: number; counts: BackfillCounts }) => void | Promise<void>;
  onApplied?: OnApplied;
  pageSize?: number;
  /** The run's time when a new run starts (tests); defaults to now. */
  now?: Date;
}): Promise<{ imported: BackfillCounts }> {
  const { db, workspaceId, connectionId } = args;
  const connection = await getConnection(workspaceId, connectionId, db);
  if (!connection.secretKey)
    throw new AppError("VALIDATION", "This Stripe connection has no secret key; add one to backfill.");
  const stripe = stripeClient(connection.secretKey, connection.apiBase);
  const t = stripeBackfillCursors;
  const where = and(eq(t.workspaceId, workspaceId), eq(t.connectionId, connectionId));
  let cursors = await db.select().from(t).where(where);
  if (cursors.length === 0 || cursors.every((c) => c.done)) {
    // A new run: one start time for every object type, kept across a crash.
    const runStartedAt = new Date(Math.floor((args.now ?? new Date()).getTime() / 1000) * 1000);
    await db.transaction(async (tx) => {
      await tx.delete(t).where(where);
      await tx
        .insert(t)
        .values(BACKFILL_OBJECTS.map((o) => ({ workspaceId, connectionId, objectType: o.type, runStartedAt })));
    });
    cursors = await db.select().from(t).where(where);
  } else if (cursors.length < BACKFILL_OBJECTS.length) {
    // A run that started before this version listed more object types: add the new ones to the same run.
    const runStartedAt = cursors[0]!.runStartedAt;
    await db
      .insert(t)
      .values(BACKFILL_OBJECTS.map((o) => ({ workspaceId, connectionId, objectType: o.type, runStartedAt })))
      .onConflictDoNothing();
    cursors = await db.select().from(t).where(where);
  }
  const counts: BackfillCounts = Object.fromEntries(cursors.map((c) => [c.objectType, c.count]));
  for (const spec of BACKFILL_OBJECTS) {
    const cursor = cursors.find((c) => c.objectType === spec.type)!;
    if (cursor.done) continue;
    const created = Math.floor(cursor.runStartedAt.getTime() / 1000);
    // One page at a time (not autoPagingEach) so each page commits with its cursor; the next page is fetched while
    // this one is written.
    const fetchPage = (after: string | null) =>
      spec.list(stripe, {
        limit: args.pageSize ?? 100,
        ...(after ? { starting_after: after } : {}),
      }) as unknown as Promise<Page>;
    let next: Promise<Page> | null = fetchPage(cursor.startingAfter);
    while (next) {
      const page: Page = await next;
      const last = page.data.at(-1);
      const done = !page.has_more || page.data.length === 0;
      next = done ? null : fetchPage(String(last!.id));
      try {
        counts[spec.type] = (counts[spec.type] ?? 0) + page.data.length;
        await db.transaction(async (tx) => {
          // Shared: a time zone change or a rebuild must not interleave with the page's invoices (ADR 0016).
          await lockConfigShared(tx, workspaceId);
          await writePage(tx, { workspaceId, connectionId, spec, created, page, onApplied: args.onApplied });
          await tx
            .update(t)
            .set({
              startingAfter: last ? String(last.id) : cursor.startingAfter,
              done,
              count: counts[spec.type],
              updatedAt: new Date(),
            })
            .where(and(where, eq(t.objectType, spec.type)));
        });
        await args.onProgress?.({ type: spec.type, count: counts[spec.type] ?? 0, counts: { ...counts } });
      } catch (err) {
        // Abandon the prefetch, but let it settle first: nothing of this run is left in flight after it throws.
        await next?.catch(() => {});
        throw err;
      }
    }
  }
  return { imported: counts };
}

/**
 * Stores a page as pseudo-events (one statement) and projects the new ones (batched per type where possible). A page
 * of customers, subscriptions or schedules first takes the ledger locks of the customers it names, in one statement
 * (in code-point order), after the configuration lock and before its first write: the order of a webhook event
 * (ADR 0016). A webhook of one of those customers in flight holds its lock from its first statement, so the page
 * waits for it before writing a row the event may need, and such an event that arrives later waits for the page. The
 * re-resolution and the ledger refresh of those customers then lock nothing again. A page of coupons names no
 * customer: its re-resolution locks the customers whose rows change, before writing them (`rederiveDependents`).
 * Invoices and payments write no version and take no customer's lock.
 */
async function writePage(
  tx: Tx,
  args: {
    workspaceId: string;
    connectionId: string;
    spec: (typeof BACKFILL_OBJECTS)[number];
    created: number;
    page: Page;
    onApplied?: OnApplied;
  },
) {
  const { workspaceId, connectionId, spec, created } = args;
  const listed = args.page.data.map((fetched): StripeEvent => {
    // stripe-node 23 turns `*_decimal` fields into Decimal objects; store and project plain JSON, exactly as a
    // webhook would carry it (Decimal#toJSON gives back Stripe's string).
    const object = JSON.parse(JSON.stringify(fetched)) as Record<string, unknown>;
    return {
      id: `backfill:${String(object.id)}:${created}`,
      type: `backfill.${spec.type}`,
      created,
      api_version: null,
      data: { object },
    };
  });
  // A page that lists an object twice gives one pseudo-event id twice: keep the first copy, as the webhook path
  // keeps the first delivery of an event id and answers `duplicate` to the next.
  const seen = new Set<string>();
  const events = listed.filter((e) => !seen.has(e.id) && seen.add(e.id));
  let lockedCustomers: Set<string> | undefined;
  if ("locksCustomers" in spec) {
    lockedCustomers = new Set(events.flatMap((e) => customerOf(e.data.object) ?? []));
    await lockCustomerLedgers(tx, workspaceId, lockedCustomers);
  }
  const isNew = await insertStripeEvents(
    workspaceId,
    tx,
    events.map((e) => ({ connectionId, id: e.id, type: e.type, apiVersion: null, created, payload: e })),
  );
  await projectEvents(tx, {
    workspaceId,
    connectionId,
    events: events.filter((e) => isNew.has(e.id)),
    onApplied: args.onApplied,
    ...(lockedCustomers ? { lockedCustomers } : {}),
  });
}
