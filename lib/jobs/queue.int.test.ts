import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type PgBoss from "pg-boss";
import { createTestDb } from "@/db/testing";
import { createTestWorkspace } from "@/db/testing/factories";
import type { DbHandle } from "@/db/client";
import { createConnection } from "@/lib/stripe/connections";
import { TEST_ENCRYPTION_KEY } from "@/lib/stripe/testing";
import { startFakeStripe, type FakeStripe } from "@/scripts/fake-stripe/server";
import { enqueueBackfill, findJob, startQueue, workBackfills } from "./queue";

process.env.ENCRYPTION_KEY ??= TEST_ENCRYPTION_KEY;

let h: DbHandle;
let boss: PgBoss;
let fake: FakeStripe;
beforeAll(async () => {
  h = await createTestDb();
  fake = await startFakeStripe({ subscriptions: 30 });
  boss = await startQueue(h);
  await workBackfills(boss, h.db);
});
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
    let job = await findJob(ws.id, h.db, jobId);
    for (let i = 0; i < 120 && job!.status !== "succeeded" && job!.status !== "failed"; i++) {
      await new Promise((r) => setTimeout(r, 250));
      job = await findJob(ws.id, h.db, jobId);
    }
    expect([job!.status, job!.error]).toEqual(["succeeded", null]);
    expect(job!.progress).toMatchObject({ subscription: 30, customer: 30, invoice: 30 });
    const other = await createTestWorkspace(h.db);
    expect(await findJob(other.id, h.db, jobId)).toBeUndefined();
  });
});
