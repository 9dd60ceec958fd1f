// Rebuild: drop a workspace's projection (and event outcomes), re-apply every stored raw event in (created, id)
// order and recompute the MRR ledger, all in ONE transaction, so readers see the old state or the new one, never a
// half-replayed one, and a fault anywhere leaves the old state as it was (docs/decisions/0006-atomic-rebuild.md).
// Previously rejected events are re-applied too: an upgraded normalizer may accept them.
import { eq } from "drizzle-orm";
import { lockConfigExclusive } from "@/db/queries/config-lock";
import type { Db, Tx } from "@/db/client";
import {
  countStripeEvents,
  listStripeEventsForReplay,
  upsertEventOutcome,
  type StripeEventRow,
} from "@/db/queries/stripe-events";
import { deleteProjection } from "@/db/queries/stripe-projection";
import { stripeEventOutcomes } from "@/db/schema";
import { rebuildWorkspaceLedgerIn } from "@/lib/kpi/rebuild";
import { log } from "@/lib/log";
import type { StripeEvent } from "./event";
import { projectEvent, type OnApplied } from "./ingest";

export type RebuildProgress = { done: number; total: number; failed: number };

export async function rebuildProjection(args: {
  db: Db;
  workspaceId: string;
  onProgress?: (p: RebuildProgress) => void;
  /** Per customer batch of the ledger recompute that follows the replay. */
  onLedgerProgress?: (done: number, total: number) => void;
  onApplied?: OnApplied;
  batchSize?: number;
}): Promise<{ events: number; failed: number }> {
  const { db, workspaceId } = args;
  const batchSize = args.batchSize ?? 500;
  return db.transaction(async (tx) => {
    // Exclusive (ADR 0016): events wait until the rebuilt projection commits, and a second rebuild of the workspace
    // waits for the first, instead of interleaving their deletes and replays.
    await lockConfigExclusive(tx, workspaceId);
    const total = await countStripeEvents(workspaceId, tx);
    await deleteProjection(workspaceId, tx);
    await tx.delete(stripeEventOutcomes).where(eq(stripeEventOutcomes.workspaceId, workspaceId));
    let done = 0;
    let failed = 0;
    let after: StripeEventRow | null = null;
    for (;;) {
      const page: StripeEventRow[] = await listStripeEventsForReplay(workspaceId, tx, after, batchSize);
      if (page.length === 0) break;
      failed += await replayPage(tx, workspaceId, page, args.onApplied);
      done += page.length;
      after = page[page.length - 1]!;
      args.onProgress?.({ done, total, failed });
    }
    await rebuildWorkspaceLedgerIn(tx, workspaceId, args.onLedgerProgress);
    return { events: done, failed };
  });
}

/** One page under a savepoint; if it throws, event by event, each under its own, recording what throws. */
async function replayPage(tx: Tx, workspaceId: string, page: StripeEventRow[], onApplied?: OnApplied) {
  const apply = (t: Tx, row: StripeEventRow) =>
    projectEvent(t, {
      workspaceId,
      connectionId: row.connectionId,
      event: row.payload as StripeEvent,
      onApplied,
      exclusive: true,
    });
  try {
    return await tx.transaction(async (sp) => {
      let rejected = 0;
      for (const row of page) if ((await apply(sp, row)) === "rejected") rejected++;
      return rejected;
    });
  } catch (err) {
    // A bug in one event must not stop the rebuild. A database fault fails the retries too, and then the
    // recording below, which rolls the whole rebuild back.
    log.warn("stripe.rebuild.batch_failed", { workspaceId, error: (err as Error).message?.slice(0, 200) });
    let failed = 0;
    for (const row of page) {
      try {
        if ((await tx.transaction((sp) => apply(sp, row))) === "rejected") failed++;
      } catch (e) {
        failed++;
        const cause = ((e as { cause?: Error }).cause ?? e) as Error;
        await upsertEventOutcome(workspaceId, tx, {
          connectionId: row.connectionId,
          eventId: row.id,
          eventType: row.type,
          eventCreated: Math.floor(row.created.getTime() / 1000),
          outcome: "rejected",
          reason: `error during rebuild: ${cause.message}`.slice(0, 500),
        });
      }
    }
    return failed;
  }
}
