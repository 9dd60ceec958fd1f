import { and, asc, eq, gt, or, sql } from "drizzle-orm";
import type { Executor } from "../client";
import { stripeEventOutcomes, stripeEvents } from "../schema";

export type StripeEventRow = typeof stripeEvents.$inferSelect;
export type EventOutcome = "applied" | "ignored" | "stale" | "rejected";

/** Inserts a raw event once: false when (workspace, connection, id) is already stored. One round trip. */
export async function insertStripeEvent(
  workspaceId: string,
  db: Executor,
  input: {
    connectionId: string;
    id: string;
    type: string;
    apiVersion: string | null;
    created: number;
    payload: Record<string, unknown>;
  },
): Promise<boolean> {
  const rows = await db
    .insert(stripeEvents)
    .values({
      workspaceId,
      connectionId: input.connectionId,
      id: input.id,
      type: input.type,
      apiVersion: input.apiVersion,
      created: new Date(input.created * 1000),
      payload: input.payload,
    })
    .onConflictDoNothing()
    .returning({ id: stripeEvents.id });
  return rows.length === 1;
}

type NewStripeEvent = {
  connectionId: string;
  id: string;
  type: string;
  apiVersion: string | null;
  created: number;
  payload: Record<string, unknown>;
};

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
