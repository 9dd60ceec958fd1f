import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type PgBoss from "pg-boss";
import { createTestDb } from "@/db/testing";
import { createTestWorkspace } from "@/db/testing/factories";
import type { DbHandle } from "@/db/client";
import { createConnection } from "@/lib/stripe/connections";
import { TEST_ENCRYPTION_KEY } from "@/lib/stripe/testing";
import { startFakeStripe, type FakeStripe } from "@/scripts/fake-stripe/server";
import { sql } from "drizzle-orm";
import { rowsOf } from "@/db/client";
import { getPolicyChangeStatus } from "@/lib/kpi/policy-change";
import { getMetricConfig, updateMetricConfig } from "@/lib/kpi/settings";
import { ingestEvent } from "@/lib/stripe/ingest";
import { loadLifecycle } from "@/lib/stripe/testing";
import { systemCtx } from "@/lib/workspaces/context";
import { enqueueBackfill, enqueuePolicyChange, findJob, startQueue, workBackfills, workPolicyChanges } from "./queue";

process.env.ENCRYPTION_KEY ??= TEST_ENCRYPTION_KEY;

let h: DbHandle;
let boss: PgBoss;
let fake: FakeStripe;
beforeAll(async () => {
  h = await createTestDb();
  fake = await startFakeStripe({ subscriptions: 30 });
  boss = await startQueue(h);
  await workBackfills(boss, h.db);
  await workPolicyChanges(boss, h.db);
});

async function waitForJob(workspaceId: string, jobId: string) {
  let job = await findJob(workspaceId, h.db, jobId);
  for (let i = 0; i < 120 && job!.status !== "succeeded" && job!.status !== "failed"; i++) {
    await new Promise((r) => setTimeout(r, 250));
    job = await findJob(workspaceId, h.db, jobId);
  }
  return job!;
}
afterAll(async () => {
  await boss?.stop({ graceful: false, wait: true });
  await fake?.close();
  await h?.close();
});

describe("backfill job on pg-boss", () => {
  it("runs an enqueued backfill to succeeded with 30 subscriptions and 30 customers in its progress", async () => {
    const ws = await createTestWorkspace(h.db);
    const con = await createConnection({
      db: h.db,
      workspaceId: ws.id,
      webhookSecret: "whsec_q",
      secretKey: "sk_test_q",
      apiBase: fake.url,
    });
    const { jobId } = await enqueueBackfill({ db: h.db, boss, workspaceId: ws.id, connectionId: con.id });
    expect((await findJob(ws.id, h.db, jobId))!.status).toMatch(/queued|running/);
    const job = await waitForJob(ws.id, jobId);
    expect([job.status, job.error]).toEqual(["succeeded", null]);
    expect(job.progress).toMatchObject({ subscription: 30, customer: 30, invoice: 30 });
    const other = await createTestWorkspace(h.db);
    expect(await findJob(other.id, h.db, jobId)).toBeUndefined();
  });
});

describe("policy change job on pg-boss", () => {
  it("answers the save at once and applies the change in the worker: June's contraction goes, June ends at 6000", async () => {
    const ws = await createTestWorkspace(h.db);
    const connection = await createConnection({ db: h.db, workspaceId: ws.id, webhookSecret: "whsec_p" });
    for (const event of loadLifecycle()) await ingestEvent({ db: h.db, connection, event });
    const june = async () =>
      rowsOf<{ kind: string | null; mrr: number }>(
        await h.db.execute(sql`
          select kind, mrr::int from mrr_changes where workspace_id = ${ws.id} and day <= '2026-06-30'
          order by day desc limit 1`),
      )[0];
    expect(await june()).toEqual({ kind: "contraction", mrr: 4500 });
    let queuedWith: unknown[] = [];
    const saved = await updateMetricConfig({
      db: h.db,
      ctx: systemCtx(ws),
      input: { policy: { discounts: "ignored" } },
      background: async (jobId) => {
        // What the save leaves before the work is queued: the old policy in force, the new one pending.
        queuedWith = [
          (await getMetricConfig(ws.id, h.db)).policy.discounts,
          (await getPolicyChangeStatus(h.db, ws.id))?.pending.policy.discounts,
        ];
        await enqueuePolicyChange(boss, { jobId, workspaceId: ws.id });
      },
    });
    expect(queuedWith).toEqual(["applied", "ignored"]);
    const job = await waitForJob(ws.id, saved.jobId!);
    expect([job.status, job.error, job.progress]).toEqual([
      "succeeded",
      null,
      { customers: 1, changed: 1, recomputed: 0 },
    ]);
    expect((await getMetricConfig(ws.id, h.db)).policy.discounts).toBe("ignored");
    expect(await getPolicyChangeStatus(h.db, ws.id)).toBeNull();
    expect(await june()).toEqual({ kind: "expansion", mrr: 6000 });
  });
});
