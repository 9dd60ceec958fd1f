// Store and apply one Stripe event in ONE transaction: the raw row (INSERT … ON CONFLICT DO NOTHING) with its
// expected outcome, then the projection, then the outcome again only if it differs. The same function serves the
// webhook, the demo generator, backfill and tests.
import type { Db, Tx } from "@/db/client";
import { insertStripeEventWithOutcome, upsertEventOutcome, upsertEventOutcomes } from "@/db/queries/stripe-events";
import { toLedgerContext, type LedgerContext } from "@/lib/kpi/settings";
import { refreshLedgerOnApplied } from "@/lib/kpi/stripe-hook";
import { applyStripeEvent } from "./apply";
import type { StripeEvent } from "./event";
import { findBatchHandler, findHandler } from "./handlers";
import type { VersionKey } from "@/db/queries/stripe-projection";
import type { HandlerResult, Outcome } from "./handlers/context";

export type IngestOutcome = Outcome | "duplicate";

export type OnApplied = ((
  tx: Tx,
  info: {
    workspaceId: string;
    customerIds: string[];
    outcome: Outcome;
    eventType: string;
    /** The subscription versions the event inserted (the ledger refresh checks how they were judged). */
    versions?: VersionKey[];
    /** The workspace's ledger context, when the event's insert read it (see `wantsContext`). */
    context?: LedgerContext;
    /**
     * The customers whose ledger locks the transaction took before it wrote anything (ADR 0016): a webhook event's
     * customer, or a backfill page's. The refresh need not take them again.
     */
    lockedCustomers?: ReadonlySet<string>;
  },
) => Promise<void>) & {
  /** Events of these types get the ledger context read by their first statement, not by a statement of its own. */
  wantsContext?: (eventType: string) => boolean;
  /**
   * Events of these types (among those that want the context) take their customer's ledger lock in their first
   * statement: the ones whose projection may change the versions that a ledger refresh reads and judges.
   */
  locksCustomer?: (eventType: string) => boolean;
};

/**
 * A hook that runs `run` for `hook`'s events, with `hook`'s traits: the first statement of each event takes what
 * `hook` would have it take (a timed or paused wrapper of the ledger hook, say).
 */
export const aroundHook = (hook: OnApplied, run: (...args: Parameters<OnApplied>) => Promise<void>): OnApplied =>
  Object.assign(run, { wantsContext: hook.wantsContext, locksCustomer: hook.locksCustomer });

export type IngestArgs = {
  db: Db;
  connection: { id: string; workspaceId: string };
  event: StripeEvent;
  /**
   * Runs inside the transaction after an event changed what the KPI engine reads: an `applied` event, or a `stale`
   * one that still inserted a version into the middle of a subscription's history.
   */
  onApplied?: OnApplied;
};

/**
 * `onApplied` defaults to the MRR ledger refresh, so every path (webhook, backfill, generator, tests) keeps the
 * numbers in step with the projection inside the same transaction.
 */
export function ingestEvent({
  db,
  connection,
  event,
  onApplied = refreshLedgerOnApplied,
}: IngestArgs): Promise<IngestOutcome> {
  return db.transaction(async (tx) => {
    // Most events end as their handler's `applied` (or `ignored` without one): that outcome is written with the
    // raw event, and another only when the projection concludes otherwise (stale, rejected).
    const expected: Outcome = findHandler(event.type) ? "applied" : "ignored";
    const ledgerContext = expected === "applied" && !!onApplied?.wantsContext?.(event.type);
    // The customer's ledger lock from the first statement: another event of the same customer waits before it
    // writes anything, and the refresh needs no lock statement of its own.
    const lockCustomer =
      ledgerContext && onApplied?.locksCustomer?.(event.type) ? customerOf(event.data.object) : undefined;
    const stored = await insertStripeEventWithOutcome(connection.workspaceId, tx, {
      connectionId: connection.id,
      id: event.id,
      type: event.type,
      apiVersion: event.api_version ?? null,
      created: event.created,
      payload: event as Record<string, unknown>,
      outcome: expected,
      ledgerContext,
      ...(lockCustomer ? { lockCustomer } : {}),
    });
    if (!stored.isNew) return "duplicate";
    return projectEvent(tx, {
      workspaceId: connection.workspaceId,
      connectionId: connection.id,
      event,
      onApplied,
      recorded: expected,
      context: stored.ledgerContext && toLedgerContext(connection.workspaceId, stored.ledgerContext),
      ...(lockCustomer ? { lockedCustomers: new Set([lockCustomer]) } : {}),
    });
  });
}

/**
 * The customer a Stripe object belongs to, as the raw object names it: a customer's own id, else its `customer` (an
 * id, or an expanded customer). Undefined for an object that names none (a coupon, a price).
 */
export function customerOf(object: Record<string, unknown>): string | undefined {
  const o = object as { object?: unknown; id?: unknown; customer?: unknown };
  const c = o.object === "customer" ? o.id : o.customer;
  if (typeof c === "string") return c;
  const id = c && typeof c === "object" ? (c as { id?: unknown }).id : undefined;
  return typeof id === "string" ? id : undefined;
}

/**
 * Applies a stored event and records its outcome (shared by ingest and rebuild). `recorded` is the outcome already
 * stored with the event, without a reason: the outcome row is written only when the result differs.
 */
export async function projectEvent(
  tx: Tx,
  args: {
    workspaceId: string;
    connectionId: string;
    event: StripeEvent;
    onApplied?: OnApplied;
    recorded?: Outcome;
    context?: LedgerContext;
    lockedCustomers?: ReadonlySet<string>;
    /** The transaction holds the configuration lock exclusively (a rebuild; see HandlerContext). */
    exclusive?: boolean;
  },
): Promise<Outcome> {
  const { workspaceId, connectionId, event } = args;
  const locked = args.lockedCustomers ? { lockedCustomers: args.lockedCustomers } : {};
  const result = await applyStripeEvent({ tx, workspaceId, connectionId, event, exclusive: args.exclusive, ...locked });
  if (result.outcome !== args.recorded || result.reason)
    await upsertEventOutcome(workspaceId, tx, {
      connectionId,
      eventId: event.id,
      eventType: event.type,
      eventCreated: event.created,
      outcome: result.outcome,
      reason: result.reason ?? null,
    });
  if (args.onApplied && (result.outcome === "applied" || result.historyChanged))
    await args.onApplied(tx, {
      workspaceId,
      customerIds: result.customerIds,
      outcome: result.outcome,
      eventType: event.type,
      versions: result.versions ?? [],
      ...(args.context ? { context: args.context } : {}),
      ...locked,
    });
  return result.outcome;
}

/**
 * Applies several stored events of one backfill page and records their outcomes: through the type's batch handler
 * when it has one and the objects are distinct, else one by one. The same end state as `projectEvent` on each.
 * `lockedCustomers`: the customers whose ledger locks the page took before it wrote anything (ADR 0016).
 */
export async function projectEvents(
  tx: Tx,
  args: {
    workspaceId: string;
    connectionId: string;
    events: StripeEvent[];
    onApplied?: OnApplied;
    lockedCustomers?: ReadonlySet<string>;
  },
): Promise<Outcome[]> {
  const { workspaceId, connectionId, events, lockedCustomers } = args;
  const locked = lockedCustomers ? { lockedCustomers } : {};
  if (events.length === 0) return [];
  const type = events[0]!.type;
  const ids = new Set(events.map((e) => String(e.data.object.id)));
  const batch = events.every((e) => e.type === type) && ids.size === events.length ? findBatchHandler(type) : undefined;
  let results: HandlerResult[];
  if (batch) results = await batch({ tx, workspaceId, connectionId, ...locked }, events);
  else {
    results = [];
    for (const event of events)
      results.push(await applyStripeEvent({ tx, workspaceId, connectionId, event, ...locked }));
  }
  await upsertEventOutcomes(
    workspaceId,
    tx,
    events.map((event, i) => ({
      connectionId,
      eventId: event.id,
      eventType: event.type,
      eventCreated: event.created,
      outcome: results[i]!.outcome,
      reason: results[i]!.reason ?? null,
    })),
  );
  if (args.onApplied)
    for (const [i, result] of results.entries())
      if (result.outcome === "applied" || result.historyChanged)
        await args.onApplied(tx, {
          workspaceId,
          customerIds: result.customerIds,
          outcome: result.outcome,
          eventType: events[i]!.type,
          versions: result.versions ?? [],
          ...locked,
        });
  return results.map((r) => r.outcome);
}
