// Feeds a generated business through the real ingestion paths: every Stripe event through `ingestEvent` (one
// transaction each: raw event + projection, as the webhook does), every marketing/CS event through the ingest
// API's validation and `insertIngestEvents` in batches of at most 1,000. Nothing writes projection tables here.
import type { Db } from "@/db/client";
import { insertIngestEvents } from "@/lib/ingest/insert";
import { ingestEventSchema, MAX_EVENTS_PER_BATCH, type IngestEvent } from "@/lib/ingest/schemas";
import { rebuildWorkspaceLedger } from "@/lib/kpi/rebuild";
import { ingestEvent } from "@/lib/stripe/ingest";
import type { StripeEvent } from "@/lib/stripe/event";
import type { GeneratedBusiness } from "./index";

export type LoadResult = {
  /** Stripe events fed to ingestEvent, and how many of them were already stored (a re-run). */
  events: number;
  ingest: number;
  duplicates: { events: number; ingest: number };
  /** ingestEvent outcomes by name (applied, stale, ignored, failed, duplicate). */
  outcomes: Record<string, number>;
};

const deferLedger = async () => {};

export async function loadGeneratedBusiness(args: {
  db: Db;
  workspaceId: string;
  connection: { id: string; workspaceId: string };
  business: GeneratedBusiness;
  progress?: (line: string) => void;
}): Promise<LoadResult> {
  const { db, workspaceId, connection, business, progress } = args;
  const result: LoadResult = { events: 0, ingest: 0, duplicates: { events: 0, ingest: 0 }, outcomes: {} };
  let batch: IngestEvent[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const { duplicates } = await insertIngestEvents(workspaceId, db, batch);
    result.duplicates.ingest += duplicates;
    batch = [];
  };
  const record = (outcome: string) => {
    result.outcomes[outcome] = (result.outcomes[outcome] ?? 0) + 1;
    if (outcome === "duplicate") result.duplicates.events++;
  };

  const span = Math.max(1, business.endAt - business.startAt);
  let nextPercent = 5;
  let nextCount = 5000;
  const report = (at: number) => {
    const percent = Math.floor(((at - business.startAt) / span) * 100);
    const total = result.events + result.ingest;
    if (percent < nextPercent && total < nextCount) return;
    while (nextPercent <= percent) nextPercent += 5;
    nextCount = total + 5000;
    progress?.(`generate: ${total.toLocaleString("en-US")} events (${Math.min(100, Math.max(0, percent))}%)`);
  };

  for await (const item of business) {
    if (item.kind === "stripe") {
      const event = item.event as unknown as StripeEvent;
      result.events++;
      // The ledger is rebuilt once at the end (as after a backfill): per-event refreshes would recompute each
      // customer's whole history on every one of its events.
      record(await ingestEvent({ db, connection, event, onApplied: deferLedger }));
      report(item.event.created);
    } else {
      // The same validation as POST /events: a generator bug must not store an event the API would refuse.
      const parsed = ingestEventSchema.safeParse(item.event);
      if (!parsed.success)
        throw new Error(`generated ${item.event.type} ${item.event.id} is invalid: ${parsed.error.issues[0]?.message}`);
      batch.push(parsed.data);
      result.ingest++;
      if (batch.length >= MAX_EVENTS_PER_BATCH) await flush();
      report(Date.parse(item.event.occurredAt) / 1000);
    }
  }
  await flush();
  progress?.(`generate: ${(result.events + result.ingest).toLocaleString("en-US")} events (100%)`);
  progress?.("generate: computing MRR history");
  await rebuildWorkspaceLedger(db, workspaceId);
  return result;
}
