import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb } from "@/db/testing";
import { createTestWorkspace } from "@/db/testing/factories";
import type { DbHandle } from "@/db/client";
import { mrrChanges, stripeEventOutcomes, subscriptions, subscriptionVersions } from "@/db/schema";
import { rebuildCommand } from "@/lib/admin/stripe-commands";
import { AppError, errorExitCode } from "@/lib/errors";
import { ingestEvent } from "./ingest";
import { rebuildProjection, type RebuildProgress } from "./rebuild";
import { dumpProjection, loadFixture, loadLifecycle, shuffleWithDuplicates } from "./testing";
import type { StripeEvent } from "./event";

let h: DbHandle;
beforeAll(async () => {
  h = await createTestDb();
});
afterAll(async () => h?.close());

/** Everything a rebuild replaces: the projection, the event outcomes and the MRR ledger. */
async function fullState(workspaceId: string) {
  const rows = async (t: typeof mrrChanges | typeof stripeEventOutcomes) =>
    (await h.db.select().from(t).where(eq(t.workspaceId, workspaceId))).map((r) => JSON.stringify(r)).sort();
  return {
    projection: await dumpProjection(workspaceId, h.db),
    outcomes: await rows(stripeEventOutcomes),
    ledger: await rows(mrrChanges),
  };
}

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

  it("rolls everything back when a fault hits after 20 of 24 events: projection, outcomes and ledger as before", async () => {
    const ws = await createTestWorkspace(h.db);
    const connection = { id: "con_rebuild000000000004", workspaceId: ws.id };
    for (const e of loadLifecycle()) await ingestEvent({ db: h.db, connection, event: e });
    // Damage the projection, so the state to keep is not what a rebuild would produce.
    await h.db.update(subscriptions).set({ status: "active" }).where(eq(subscriptions.workspaceId, ws.id));
    const before = await fullState(ws.id);
    expect(before.ledger.length).toBeGreaterThan(0);

    await expect(
      rebuildProjection({
        db: h.db,
        workspaceId: ws.id,
        batchSize: 10,
        onProgress: (p) => {
          if (p.done === 20) throw new Error("simulated crash");
        },
      }),
    ).rejects.toThrow("simulated crash");
    expect(await fullState(ws.id)).toEqual(before);
  });

  it("admin rebuild: a fault in the MRR recompute, after the replay, exits 2 with one clear line and changes nothing", async () => {
    const ws = await createTestWorkspace(h.db);
    const connection = { id: "con_rebuild000000000005", workspaceId: ws.id };
    for (const e of loadLifecycle()) await ingestEvent({ db: h.db, connection, event: e });
    await h.db.delete(subscriptionVersions).where(eq(subscriptionVersions.workspaceId, ws.id));
    const before = await fullState(ws.id);
    const lines: string[] = [];
    const run = rebuildCommand.run({
      handle: h,
      flags: { workspace: ws.slug },
      appUrl: "http://127.0.0.1",
      progress: (line) => {
        lines.push(line);
        if (line.startsWith("rebuild: MRR history")) throw new Error("simulated fault");
      },
    });
    const err = await run.then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(AppError);
    expect(errorExitCode[(err as AppError).code]).toBe(2);
    expect((err as AppError).message).toMatch(
      /^rebuild failed after 24 of 24 events and was rolled back; the previous projection and MRR history are unchanged \(ref \w+\)$/,
    );
    expect(lines).toEqual(["rebuild: 24/24 events", "rebuild: MRR history 1/1 customers"]);
    expect(await fullState(ws.id)).toEqual(before);
  });

  it("admin rebuild: a normal run commits the replay and the ledger together", async () => {
    const ws = await createTestWorkspace(h.db);
    const connection = { id: "con_rebuild000000000006", workspaceId: ws.id };
    for (const e of loadLifecycle()) await ingestEvent({ db: h.db, connection, event: e });
    const live = await fullState(ws.id);
    await h.db.delete(mrrChanges).where(eq(mrrChanges.workspaceId, ws.id));
    const lines: string[] = [];
    const result = await rebuildCommand.run({
      handle: h,
      flags: { workspace: ws.slug },
      appUrl: "http://127.0.0.1",
      progress: (line) => void lines.push(line),
    });
    expect(result).toEqual({ events: 24, failed: 0 });
    expect(lines.at(-1)).toBe("rebuild: committed");
    expect(await fullState(ws.id)).toEqual(live);
  });
});
