// The ingestion issue's done-when, at its size: 10,000 subscriptions from the fake Stripe API, with progress, reach
// the webhook path's state. About 15–20 s on an idle 2-core machine, but two minutes on PGlite when it shares the
// cores with the rest of the suite (docs/performance.md, Backfill), so it runs on Postgres only; on PGlite the
// backfill's code is the same, backfill.int.test.ts compares it with the webhook path, and `npm run bench -- --only
// backfill` runs these 10,000 there.
import { expect, it } from "vitest";
import { createTestWorkspace } from "@/db/testing/factories";
import { rebuildWorkspaceLedger } from "@/lib/kpi/rebuild";
import { runBackfill, type BackfillCounts } from "./backfill";
import { TEST_ENCRYPTION_KEY } from "./testing";
import { fakeStripeDbForFile } from "./testing/fake-stripe-db";
import { checkBackfillAgainstWebhookPath, createFakeStripeConnection } from "./testing/backfill-check";

process.env.ENCRYPTION_KEY ??= TEST_ENCRYPTION_KEY;

const N = 10_000;
const NOW = new Date("2026-11-01T00:00:00Z");
const env = fakeStripeDbForFile(N);

it.skipIf(!process.env.TEST_DATABASE_URL)(
  "backfills 10,000 subscriptions with their customers and invoices, counting up page by page, to the state " +
    "the webhook path gives every 100th customer (604 rows of 100 customers)",
  { timeout: 600_000 },
  async () => {
    const { workspaceId, connectionId } = await createFakeStripeConnection(env.h.db, env.fake.url);
    const progress: { type: string; count: number; counts: BackfillCounts }[] = [];
    const { imported } = await runBackfill({
      db: env.h.db,
      workspaceId,
      connectionId,
      now: NOW,
      onProgress: (p) => void progress.push(p),
    });
    const totals = { customer: N, subscription: N, invoice: N, invoice_payment: N / 10, charge: N / 10 };
    expect(imported).toMatchObject({ product: 1, price: 2, coupon: 1, ...totals });
    // a page of 100 at a time: 100, 200, …, up to each type's total, and the last report holds every total
    for (const [type, total] of Object.entries(totals))
      expect([type, progress.filter((p) => p.type === type).map((p) => p.count)]).toEqual([
        type,
        Array.from({ length: total / 100 }, (_, k) => (k + 1) * 100),
      ]);
    expect(progress.at(-1)!.counts).toEqual(imported);

    await rebuildWorkspaceLedger(env.h.db, workspaceId);
    const check = await checkBackfillAgainstWebhookPath({
      db: env.h.db,
      backfilledWorkspaceId: workspaceId,
      checkWorkspaceId: (await createTestWorkspace(env.h.db)).id,
      objects: env.fake.objects,
      created: Math.floor(NOW.getTime() / 1000),
    });
    expect(check.missing).toEqual([]);
    expect([check.customers, check.objects, check.rows]).toEqual([100, 304, 604]);
  },
);
