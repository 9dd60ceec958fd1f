import { and, asc, eq, gt, or, sql } from "drizzle-orm";
import { rowsOf, type Executor } from "../client";
import { configShared } from "./config-lock";
import type { LedgerContextRow } from "./metric-settings";
import { stripeEventOutcomes, stripeEvents } from "../schema";

export type StripeEventRow = typeof stripeEvents.$inferSelect;
export type EventOutcome = "applied" | "ignored" | "stale" | "rejected";

export type NewStripeEvent = {
  connectionId: string;
  id: string;
  type: string;
  apiVersion: string | null;
  created: number;
  payload: Record<string, unknown>;
};

/**
 * Inserts a raw event once and, when it is new, its outcome row with the outcome the caller expects, in ONE
 * statement (data-modifying CTEs). The statement first takes the workspace's configuration lock, shared (ADR 0016),
 * which the transaction then holds; with `ledgerContext` it also returns the workspace's ledger context, read after
 * that lock, so the event's ledger refresh needs no read of its own. With `lockCustomer` it takes that customer's
 * ledger lock as well, so the refresh needs no lock statement of its own. `isNew` is false when (workspace, connection,
 * id) was already stored; then nothing was written.
 */
export async function insertStripeEventWithOutcome(
  workspaceId: string,
  db: Executor,
  input: NewStripeEvent & { outcome: EventOutcome; ledgerContext: boolean; lockCustomer?: string },
): Promise<{ isNew: boolean; ledgerContext: LedgerContextRow | undefined }> {
  const created = new Date(input.created * 1000).toISOString();
  // Written out rather than built: drizzle's insert builder cost more CPU than the rest of this statement's
  // client side (the payload is serialized once either way). The insert reads from `c`, so it runs after the lock.
  const rows = rowsOf<LedgerContextRow & { inserted: number }>(
    await db.execute(sql`
      with c as materialized (select * from ${configShared(workspaceId, input.ledgerContext, input.lockCustomer)} as c),
      ev as (
        insert into stripe_events (workspace_id, connection_id, id, type, api_version, created, payload)
        select ${workspaceId}, ${input.connectionId}, ${input.id}, ${input.type}, ${input.apiVersion},
          ${created}::timestamptz, ${JSON.stringify(input.payload)}::jsonb
        from c
        on conflict do nothing
        returning 1
      ),
      oc as (
        insert into stripe_event_outcomes (workspace_id, connection_id, event_id, outcome, reason, event_type, event_created)
        select ${workspaceId}, ${input.connectionId}, ${input.id}, ${input.outcome}, null, ${input.type}, ${created}::timestamptz
        from ev
        on conflict (workspace_id, connection_id, event_id) do update set outcome = excluded.outcome, reason = excluded.reason
      )
      select (select count(*)::int from ev) as inserted, c.* from c`),
  );
  const row = rows[0];
  return {
    isNew: Number(row?.inserted ?? 0) === 1,
    ledgerContext: input.ledgerContext && row && row.timezone !== null ? row : undefined,
  };
}

/** Inserts several raw events in one statement; returns the ids that were new (the others were stored already). */
export async function insertStripeEvents(
  workspaceId: string,
  db: Executor,
  rows: NewStripeEvent[],
): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const out = await db
    .insert(stripeEvents)
    .values(rows.map((r) => ({ ...r, workspaceId, created: new Date(r.created * 1000) })))
    .onConflictDoNothing()
    .returning({ id: stripeEvents.id });
  return new Set(out.map((r) => r.id));
}

type OutcomeInput = {
  connectionId: string;
  eventId: string;
  eventType: string;
  eventCreated: number;
  outcome: EventOutcome;
  reason: string | null;
};

/** Records what the projection concluded about several events, in one statement. */
export async function upsertEventOutcomes(workspaceId: string, db: Executor, rows: OutcomeInput[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insert(stripeEventOutcomes)
    .values(rows.map((r) => ({ ...r, workspaceId, eventCreated: new Date(r.eventCreated * 1000) })))
    .onConflictDoUpdate({
      target: [stripeEventOutcomes.workspaceId, stripeEventOutcomes.connectionId, stripeEventOutcomes.eventId],
      set: { outcome: sql`excluded.outcome`, reason: sql`excluded.reason` },
    });
}

export async function upsertEventOutcome(
  workspaceId: string,
  db: Executor,
  input: {
    connectionId: string;
    eventId: string;
    eventType: string;
    eventCreated: number;
    outcome: EventOutcome;
    reason: string | null;
  },
): Promise<void> {
  const values = {
    workspaceId,
    connectionId: input.connectionId,
    eventId: input.eventId,
    eventType: input.eventType,
    eventCreated: new Date(input.eventCreated * 1000),
    outcome: input.outcome,
    reason: input.reason,
  };
  await db
    .insert(stripeEventOutcomes)
    .values(values)
    .onConflictDoUpdate({
      target: [stripeEventOutcomes.workspaceId, stripeEventOutcomes.connectionId, stripeEventOutcomes.eventId],
      set: { outcome: values.outcome, reason: values.reason },
    });
}

/** Raw events in replay order (created, id, connection), a page after the given position. */
export async function listStripeEventsForReplay(
  workspaceId: string,
  db: Executor,
  after: { created: Date; id: string; connectionId: string } | null,
  limit: number,
): Promise<StripeEventRow[]> {
  const t = stripeEvents;
  const cursor = after
    ? or(
        gt(t.created, after.created),
        and(eq(t.created, after.created), gt(t.id, after.id)),
        and(eq(t.created, after.created), eq(t.id, after.id), gt(t.connectionId, after.connectionId)),
      )
    : undefined;
  return db
    .select()
    .from(t)
    .where(and(eq(t.workspaceId, workspaceId), cursor))
    .orderBy(asc(t.created), asc(t.id), asc(t.connectionId))
    .limit(limit);
}

export async function countStripeEvents(workspaceId: string, db: Executor): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)`.mapWith(Number) })
    .from(stripeEvents)
    .where(eq(stripeEvents.workspaceId, workspaceId));
  return row?.n ?? 0;
}

export async function listEventOutcomes(workspaceId: string, db: Executor, filter: { outcome?: EventOutcome } = {}) {
  const t = stripeEventOutcomes;
  return db
    .select()
    .from(t)
    .where(and(eq(t.workspaceId, workspaceId), filter.outcome ? eq(t.outcome, filter.outcome) : undefined))
    .orderBy(asc(t.eventCreated), asc(t.eventId));
}
