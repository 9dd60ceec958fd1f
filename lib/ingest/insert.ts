import type { Executor } from "@/db/client";
import { INGEST_INSERT_CHUNK, insertIngestEventRows } from "@/db/queries/ingest-events";
import type { IngestEvent } from "./schemas";

export type InsertResult = {
  /** Events stored by this call. */
  inserted: number;
  /** Events whose id the workspace already had (or that repeat an earlier id of the same call): ignored. */
  duplicates: number;
};

/** The stored row of a validated event: the payload keeps every field, with `occurredAt` as a UTC ISO string. */
function toRow(event: IngestEvent) {
  const occurredAt = new Date(event.occurredAt);
  const email = "email" in event && event.email ? event.email.toLowerCase() : null;
  const customerId = "customerId" in event && event.customerId ? event.customerId : null;
  return {
    id: event.id,
    type: event.type,
    occurredAt,
    payload: { ...event, occurredAt: occurredAt.toISOString() } as Record<string, unknown>,
    customerId,
    email,
  };
}

/**
 * Stores validated ingest events for one workspace, all or none: one transaction, one multi-row
 * `INSERT … ON CONFLICT DO NOTHING RETURNING id` per chunk of INGEST_INSERT_CHUNK. A repeated id is a duplicate
 * and changes nothing, even with another type or payload (idempotency keys, as with Stripe). `onChunk` reports the
 * events written so far, for progress lines.
 */
export async function insertIngestEvents(
  workspaceId: string,
  db: Executor,
  events: readonly IngestEvent[],
  { onChunk }: { onChunk?: (done: number) => void } = {},
): Promise<InsertResult> {
  if (events.length === 0) return { inserted: 0, duplicates: 0 };
  const inserted = await db.transaction((tx) => insertIngestEventChunks(workspaceId, tx, events, { onChunk }));
  return { inserted, duplicates: events.length - inserted };
}

/**
 * The statements of insertIngestEvents without their transaction, for a caller that commits more in the same one
 * (the background import records its progress with each batch). Returns how many events were stored.
 */
export async function insertIngestEventChunks(
  workspaceId: string,
  tx: Executor,
  events: readonly IngestEvent[],
  { onChunk }: { onChunk?: (done: number) => void } = {},
): Promise<number> {
  let count = 0;
  for (let start = 0; start < events.length; start += INGEST_INSERT_CHUNK) {
    const chunk = events.slice(start, start + INGEST_INSERT_CHUNK).map(toRow);
    count += (await insertIngestEventRows(workspaceId, tx, chunk)).length;
    onChunk?.(Math.min(start + INGEST_INSERT_CHUNK, events.length));
  }
  return count;
}
