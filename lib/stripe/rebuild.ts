// Rebuild: drop a workspace's projection (and event outcomes) and re-apply every stored raw event in (created, id)
// order, in batches. Previously rejected events are re-applied too: an upgraded normalizer may accept them.
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import {
  listStripeEventsForReplay,
  countStripeEvents,
  upsertEventOutcome,
  type StripeEventRow,
} from "@/db/queries/stripe-events";
import { deleteProjection } from "@/db/queries/stripe-projection";
import { stripeEventOutcomes } from "@/db/schema";
import { log } from "@/lib/log";
import type { StripeEvent } from "./event";
import { projectEvent, type OnApplied } from "./ingest";

export type RebuildProgress = { done: number; total: number; failed: number };

export async function rebuildProjection(args: {
  db: Db;
  workspaceId: string;
  onProgress?: (p: RebuildProgress) => void;
  onApplied?: OnApplied;
  batchSize?: number;
}): Promise<{ events: number; failed: number }> {
  const { db, workspaceId } = args;
  const batchSize = args.batchSize ?? 500;
  const total = await countStripeEvents(workspaceId, db);
  await db.transaction(async (tx) => {
    await deleteProjection(workspaceId, tx);
    await tx.delete(stripeEventOutcomes).where(eq(stripeEventOutcomes.workspaceId, workspaceId));
  });
  let done = 0;
  let failed = 0;
  let after: StripeEventRow | null = null;
  for (;;) {
    const page: StripeEventRow[] = await listStripeEventsForReplay(workspaceId, db, after, batchSize);
    if (page.length === 0) break;
    try {
      failed += await db.transaction(async (tx) => {
        let rejected = 0;
        for (const row of page) {
          const outcome = await projectEvent(tx, {
            workspaceId,
            connectionId: row.connectionId,
            event: row.payload as StripeEvent,
            onApplied: args.onApplied,
          });
          if (outcome === "rejected") rejected++;
        }
        return rejected;
      });
    } catch (err) {
      // A bug in one event must not stop the rebuild: retry the batch event by event and record what throws.
      log.warn("stripe.rebuild.batch_failed", { workspaceId, error: (err as Error).message?.slice(0, 200) });
      for (const row of page) {
        try {
          const outcome = await db.transaction((tx) =>
            projectEvent(tx, {
              workspaceId,
              connectionId: row.connectionId,
              event: row.payload as StripeEvent,
              onApplied: args.onApplied,
            }),
          );
          if (outcome === "rejected") failed++;
        } catch (e) {
          failed++;
          const cause = ((e as { cause?: Error }).cause ?? e) as Error;
          await upsertEventOutcome(workspaceId, db, {
            connectionId: row.connectionId,
            eventId: row.id,
            eventType: row.type,
            eventCreated: Math.floor(row.created.getTime() / 1000),
            outcome: "rejected",
            reason: `error during rebuild: ${cause.message}`.slice(0, 500),
          });
        }
      }
    }
    done += page.length;
    after = page[page.length - 1]!;
    args.onProgress?.({ done, total, failed });
  }
  return { events: done, failed };
}
