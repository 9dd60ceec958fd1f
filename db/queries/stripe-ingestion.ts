import { and, count, desc, eq, sql } from "drizzle-orm";
import type { Executor } from "../client";
import { jobs, stripeEventOutcomes, stripeEvents } from "../schema";

/** Counts of stored events per outcome, per connection: the ingestion health line of the Stripe settings. */
export async function countOutcomesByConnection(workspaceId: string, db: Executor) {
  return db
    .select({ connectionId: stripeEventOutcomes.connectionId, outcome: stripeEventOutcomes.outcome, n: count() })
    .from(stripeEventOutcomes)
    .where(eq(stripeEventOutcomes.workspaceId, workspaceId))
    .groupBy(stripeEventOutcomes.connectionId, stripeEventOutcomes.outcome);
}

/** The most recently received events with what the projection concluded, newest first. */
export async function listRecentEvents(
  workspaceId: string,
  db: Executor,
  opts: { limit: number; outcome?: "rejected" | "stale" | "ignored" | "applied" },
) {
  return db
    .select({
      id: stripeEvents.id,
      type: stripeEvents.type,
      apiVersion: stripeEvents.apiVersion,
      created: stripeEvents.created,
      receivedAt: stripeEvents.receivedAt,
      connectionId: stripeEvents.connectionId,
      outcome: stripeEventOutcomes.outcome,
      reason: stripeEventOutcomes.reason,
    })
    .from(stripeEvents)
    .leftJoin(
      stripeEventOutcomes,
      and(
        eq(stripeEventOutcomes.workspaceId, stripeEvents.workspaceId),
        eq(stripeEventOutcomes.connectionId, stripeEvents.connectionId),
        eq(stripeEventOutcomes.eventId, stripeEvents.id),
      ),
    )
    .where(
      and(
        eq(stripeEvents.workspaceId, workspaceId),
        opts.outcome ? eq(stripeEventOutcomes.outcome, opts.outcome) : sql`true`,
      ),
    )
    .orderBy(desc(stripeEvents.receivedAt), desc(stripeEvents.id))
    .limit(opts.limit);
}

/** The workspace's latest background jobs (backfills), newest first. */
export async function listRecentJobs(workspaceId: string, db: Executor, limit = 5) {
  return db
    .select()
    .from(jobs)
    .where(and(eq(jobs.workspaceId, workspaceId), eq(jobs.kind, "backfill")))
    .orderBy(desc(jobs.createdAt))
    .limit(limit);
}
