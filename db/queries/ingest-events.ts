import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { Executor } from "../client";
import { ingestEvents } from "../schema";

export type IngestEventRow = typeof ingestEvents.$inferInsert;

/** One row per column drizzle binds (received_at takes its default): keeps a chunk far below Postgres's 65,535. */
export const INGEST_INSERT_CHUNK = 1000;

/**
 * Inserts up to INGEST_INSERT_CHUNK rows in one statement; an id the workspace already has is skipped (the first
 * write wins, whatever the new row's type or payload). Returns the ids actually inserted.
 */
export async function insertIngestEventRows(
  workspaceId: string,
  db: Executor,
  rows: readonly Omit<IngestEventRow, "workspaceId" | "receivedAt">[],
): Promise<string[]> {
  if (rows.length === 0) return [];
  if (rows.length > INGEST_INSERT_CHUNK) throw new Error(`at most ${INGEST_INSERT_CHUNK} rows per statement`);
  const inserted = await db
    .insert(ingestEvents)
    .values(rows.map((row) => ({ ...row, workspaceId })))
    .onConflictDoNothing({ target: [ingestEvents.workspaceId, ingestEvents.id] })
    .returning({ id: ingestEvents.id });
  return inserted.map((row) => row.id);
}

export async function countIngestEvents(workspaceId: string, db: Executor, filter: { type?: string } = {}) {
  const [row] = await db
    .select({ n: sql<number>`count(*)`.mapWith(Number) })
    .from(ingestEvents)
    .where(
      and(eq(ingestEvents.workspaceId, workspaceId), filter.type ? eq(ingestEvents.type, filter.type) : undefined),
    );
  return row?.n ?? 0;
}

export type IngestDayRange = {
  /** First local day (inclusive); omitted: from the first event. */
  from?: string;
  /** Last local day (inclusive). */
  to: string;
  /** IANA zone of the workspace; the days above and `day` below are local to it. */
  timeZone: string;
};

export type IngestEventReadRow = {
  id: string;
  type: string;
  occurredAt: Date;
  payload: Record<string, unknown>;
  /** `YYYY-MM-DD` of occurred_at in the range's time zone. */
  day: string;
};

/**
 * Events of the given types whose local day lies in [from, to], oldest first. The bounds are turned into instants
 * (local midnight of `from`, local midnight after `to`) so the (workspace_id, type, occurred_at) index serves the
 * range; the local day itself is computed by Postgres, which knows the zone's DST rules.
 */
export async function listIngestEventsByDay(
  workspaceId: string,
  db: Executor,
  types: readonly string[],
  range: IngestDayRange,
): Promise<IngestEventReadRow[]> {
  if (types.length === 0) return [];
  const t = ingestEvents;
  const tz = range.timeZone;
  return db
    .select({
      id: t.id,
      type: t.type,
      occurredAt: t.occurredAt,
      payload: t.payload,
      day: sql<string>`to_char(${t.occurredAt} at time zone ${tz}, 'YYYY-MM-DD')`,
    })
    .from(t)
    .where(
      and(
        eq(t.workspaceId, workspaceId),
        inArray(t.type, [...types]),
        range.from ? sql`${t.occurredAt} >= (${range.from}::date)::timestamp at time zone ${tz}` : undefined,
        sql`${t.occurredAt} < (${range.to}::date + 1)::timestamp at time zone ${tz}`,
      ),
    )
    .orderBy(asc(t.occurredAt), asc(t.id));
}
