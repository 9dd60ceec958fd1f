import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb } from "@/db/testing";
import { createTestWorkspace } from "@/db/testing/factories";
import type { DbHandle } from "@/db/client";
import { stripeEventOutcomes, subscriptions, subscriptionVersions } from "@/db/schema";
import { ingestEvent } from "./ingest";
import { rebuildProjection, type RebuildProgress } from "./rebuild";
import { dumpProjection, loadFixture, loadLifecycle, shuffleWithDuplicates } from "./testing";
import type { StripeEvent } from "./event";

let h: DbHandle;
beforeAll(async () => {
  h = await createTestDb();
});
afterAll(async () => h?.close());

const legacy = [
  "price_created",
  "plan_created",
  "customer_updated",
  "subscription_created",
  "subscription_updated",
  "invoice_paid",
  "invoice_finalized",
  "subscription_deleted",
  "customer_deleted",
].map((n) => loadFixture("legacy-api-2020", n));

describe("rebuildProjection", () => {
  it("recomputes exactly the live state from 24 shuffled lifecycle events + 9 legacy fixtures (7 ids) + 1 rejected, after damage", async () => {
    const ws = await createTestWorkspace(h.db);
    const connection = { id: "con_rebuild000000000001", workspaceId: ws.id };
    const broken = { ...loadLifecycle()[7]!, id: "evt_broken0000000001" } as StripeEvent;
    broken.data = { object: { ...broken.data.object, status: "not-a-status" } };
    const all = [...shuffleWithDuplicates(loadLifecycle(), 5), ...legacy, broken];
    for (const e of all) await ingestEvent({ db: h.db, connection, event: e });
    const live = await dumpProjection(ws.id, h.db);

    // Damage the projection so a no-op rebuild could not pass.
    await h.db.delete(subscriptionVersions).where(eq(subscriptionVersions.workspaceId, ws.id));
    await h.db.update(subscriptions).set({ status: "active" }).where(eq(subscriptions.workspaceId, ws.id));
    expect(await dumpProjection(ws.id, h.db)).not.toEqual(live);

    const progress: RebuildProgress[] = [];
    const result = await rebuildProjection({
      db: h.db,
      workspaceId: ws.id,
      batchSize: 10,
      onProgress: (p) => progress.push(p),
    });
    expect(result).toEqual({ events: 32, failed: 1 }); // 24 + 7 distinct legacy ids (two pairs share one) + 1
    expect(progress.map((p) => p.done)).toEqual([10, 20, 30, 32]);
    expect(progress.at(-1)).toEqual({ done: 32, total: 32, failed: 1 });
    expect(await dumpProjection(ws.id, h.db)).toEqual(live);

    const rejected = await h.db
      .select()
      .from(stripeEventOutcomes)
      .where(and(eq(stripeEventOutcomes.workspaceId, ws.id), eq(stripeEventOutcomes.outcome, "rejected")));
    expect(rejected.map((r) => [r.eventId, r.reason?.startsWith("status:")])).toEqual([["evt_broken0000000001", true]]);
  });

  it("leaves another workspace's projection untouched", async () => {
    const a = await createTestWorkspace(h.db);
    const b = await createTestWorkspace(h.db);
    for (const [ws, con] of [
      [a.id, "con_rebuild000000000002"],
      [b.id, "con_rebuild000000000003"],
    ] as const)
      for (const e of loadLifecycle())
        await ingestEvent({ db: h.db, connection: { id: con, workspaceId: ws }, event: e });
    const before = await dumpProjection(b.id, h.db);
    await rebuildProjection({ db: h.db, workspaceId: a.id });
    expect(await dumpProjection(b.id, h.db)).toEqual(before);
    expect((await dumpProjection(a.id, h.db)).subscriptionVersions).toHaveLength(10);
  });
});
