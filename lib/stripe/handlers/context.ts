import type { Tx } from "@/db/client";
import type { VersionKey } from "@/db/queries/stripe-projection";
import { eventKey, typeRank, type StripeEvent } from "../event";
import type { Normalized } from "../types";

export type Outcome = "applied" | "ignored" | "stale" | "rejected";

export type HandlerContext = {
  tx: Tx;
  workspaceId: string;
  connectionId: string;
  event: StripeEvent;
  /**
   * The transaction holds the workspace's configuration lock exclusively (a rebuild): no event runs beside it, so
   * the handlers take no customer's lock (ADR 0016), and a rebuild of many customers holds no lock per customer.
   */
  exclusive?: boolean;
  /**
   * Customers whose ledger locks the transaction took before it wrote anything (ADR 0016): a webhook event's
   * customer, or those a backfill page names. Re-resolution (`rederiveDependents`) does not lock them again.
   */
  lockedCustomers?: ReadonlySet<string>;
};

export type HandlerResult = {
  outcome: Outcome;
  reason?: string;
  /** Customers whose MRR inputs may have changed (for onApplied). */
  customerIds: string[];
  /** A stale event can still add a version in the middle of a subscription's history. */
  historyChanged?: boolean;
  /** The versions this event inserted, which the ledger refresh checks (ADR 0015). */
  versions?: VersionKey[];
};

export type Handler = (ctx: HandlerContext) => Promise<HandlerResult>;

export const rejected = (n: Extract<Normalized<unknown>, { ok: false }>): HandlerResult => ({
  outcome: "rejected",
  reason: n.reason,
  customerIds: [],
});

/** The freshness columns every projection row carries, for this event and a state-derived rank (0–99 999). */
export function freshness(ctx: HandlerContext, stateRank: number) {
  const { event } = ctx;
  return {
    connectionId: ctx.connectionId,
    lastEventKey: eventKey(event.created, typeRank(event.type) * 100_000 + stateRank, event.id),
    lastEventId: event.id,
    lastEventCreated: new Date(event.created * 1000),
  };
}

export const date = (ms: number | null): Date | null => (ms === null ? null : new Date(ms));

export const appliedOrStale = (applied: boolean, customerIds: string[]): HandlerResult => ({
  outcome: applied ? "applied" : "stale",
  customerIds,
});

/** The context of a batch: one transaction, one workspace and connection, several events. */
export type BatchContext = Omit<HandlerContext, "event">;

/**
 * Applies several events of one object type at once, in a few multi-row statements, with the same result as
 * applying them one by one. The objects must have distinct ids (a backfill page); results are in input order.
 */
export type BatchHandler = (ctx: BatchContext, events: StripeEvent[]) => Promise<HandlerResult[]>;

/** The one-event handler of a batch handler. */
export const single =
  (batch: BatchHandler): Handler =>
  async (ctx) =>
    (await batch(ctx, [ctx.event]))[0]!;
