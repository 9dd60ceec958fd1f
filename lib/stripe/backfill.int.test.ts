import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestWorkspace } from "@/db/testing/factories";
import { listChargeRecords } from "@/db/queries/finance";
import { customers, stripeBackfillCursors, subscriptions, subscriptionVersions } from "@/db/schema";
import { startFakeStripe, type FakeStripe } from "@/scripts/fake-stripe/server";
import { runBackfill, BACKFILL_OBJECTS } from "./backfill";
import { ingestEvent } from "./ingest";
import { dumpProjection, loadFixture, TEST_ENCRYPTION_KEY } from "./testing";
import { fakeStripeDbForFile } from "./testing/fake-stripe-db";
import { createFakeStripeConnection, withoutFreshness } from "./testing/backfill-check";
import type { StripeEvent } from "./event";

process.env.ENCRYPTION_KEY ??= TEST_ENCRYPTION_KEY;

const N = 200; // backfill-full.int.test.ts runs 10,000; 200 keeps these comparisons quick
const NOW = new Date("2026-11-01T00:00:00Z");
const env = fakeStripeDbForFile(N);

const connected = (api = env.fake) => createFakeStripeConnection(env.h.db, api.url);
/** The projection without freshness bookkeeping, as an object (for a readable diff). */
const stripped = (dump: Record<string, unknown[]>): unknown => JSON.parse(withoutFreshness(dump));

describe(`runBackfill against the fake Stripe API (${N} subscriptions)`, () => {
  let full: { workspaceId: string; dump: Record<string, unknown[]> };
  const progress: { type: string; count: number }[] = [];

  beforeAll(async () => {
    const { workspaceId, connectionId } = await connected();
    const result = await runBackfill({
      db: env.h.db,
      workspaceId,
      connectionId,
      now: NOW,
      onProgress: (p) => void progress.push({ type: p.type, count: p.count }),
    });
    expect(result.imported).toMatchObject({
      product: 1,
      price: 2,
      coupon: 1,
      customer: N,
      subscription: N,
      invoice: N,
      invoice_payment: N / 10,
      charge: N / 10,
    });
    full = { workspaceId, dump: await dumpProjection(workspaceId, env.h.db) };
  });

  it(`imports ${N} customers, ${N} subscriptions and ${N} invoices, reporting progress per 100-object page`, async () => {
    expect(full.dump.customers).toHaveLength(N);
    expect(full.dump.subscriptions).toHaveLength(N);
    expect(full.dump.invoices).toHaveLength(N);
    expect(progress.filter((p) => p.type === "subscription").map((p) => p.count)).toEqual([100, 200]);
    const canceled = await env.h.db.select().from(subscriptions).where(eq(subscriptions.workspaceId, full.workspaceId));
    // status index (i*7+1) % 6 = (i+1) % 6 over [active, active, active, trialing, past_due, canceled]:
    // canceled for i = 4, 10, …, 196 → 33 of 200
    expect(canceled.filter((s) => s.status === "canceled")).toHaveLength(33);
  });

  it("links each of the 20 charges (every 10th invoice) to its invoice through its invoice payment", async () => {
    const charges = await listChargeRecords(full.workspaceId, env.h.db, { before: NOW });
    expect(charges).toHaveLength(N / 10);
    expect(charges.filter((c) => c.invoiceId === c.id.replace("ch_", "in_"))).toHaveLength(N / 10);
  });

  it("resolves the inline FAKE20 discount (20%, forever) on every 4th subscription (50 of 200)", () => {
    const subs = full.dump.subscriptions as { state: { discounts: { coupon: { percentOff: string } }[] } }[];
    expect(
      subs.filter((s) => s.state.discounts.length === 1 && s.state.discounts[0]!.coupon.percentOff === "20"),
    ).toHaveLength(N / 4);
  });

  it("yields the same projection as feeding the same objects as webhook events", async () => {
    const ws = await createTestWorkspace(env.h.db);
    const connection = { id: "con_webhookequivalent01", workspaceId: ws.id };
    const created = Math.floor(NOW.getTime() / 1000);
    for (const spec of BACKFILL_OBJECTS)
      for (const object of env.fake.objects[spec.path] ?? [])
        await ingestEvent({
          db: env.h.db,
          connection,
          event: { id: `evt_eq_${String(object.id)}`, type: `backfill.${spec.type}`, created, data: { object } },
          // Like runBackfill itself: the MRR ledger is rebuilt once afterwards, and this compares the projection.
          onApplied: async () => {},
        });
    expect(stripped(await dumpProjection(ws.id, env.h.db))).toEqual(stripped(full.dump));
  });

  it("resumes after a crash after page 3 of 4 (50 per page) of subscriptions, adding a type the crashed run lacked, and reaches the identical projection", async () => {
    const { workspaceId, connectionId } = await connected();
    let pages = 0;
    await expect(
      runBackfill({
        db: env.h.db,
        workspaceId,
        connectionId,
        now: NOW,
        pageSize: 50,
        onProgress: (p) => {
          if (p.type === "subscription" && ++pages === 3) throw new Error("simulated crash");
        },
      }),
    ).rejects.toThrow("simulated crash");
    expect(await env.h.db.select().from(subscriptions).where(eq(subscriptions.workspaceId, workspaceId))).toHaveLength(
      150,
    );
    // As if the crashed run had started before invoice payments were listed: the resumed run adds that type.
    await env.h.db
      .delete(stripeBackfillCursors)
      .where(
        and(
          eq(stripeBackfillCursors.workspaceId, workspaceId),
          eq(stripeBackfillCursors.objectType, "invoice_payment"),
        ),
      );
    const before = env.fake.requests.length;
    const resumed = await runBackfill({
      db: env.h.db,
      workspaceId,
      connectionId,
      now: new Date("2027-01-01T00:00:00Z"),
      pageSize: 50,
    });
    expect(resumed.imported.subscription).toBe(N);
    // only the 1 remaining subscription page and the later object types were fetched again
    expect(env.fake.requests.slice(before).filter((r) => r.startsWith("GET /v1/subscriptions"))).toHaveLength(1);
    expect(env.fake.requests.slice(before).filter((r) => r.startsWith("GET /v1/customers"))).toHaveLength(0);
    expect(await dumpProjection(workspaceId, env.h.db)).toEqual(full.dump);
  });
});

type Obj = Record<string, unknown>;
const DAY = 86_400;
const nullAddress = { city: null, country: null, line1: null, line2: null, postal_code: null, state: null };

describe("customers in the backfill, a page per statement, against the same objects one by one", () => {
  // Two runs of one connection a day apart, with a webhook event in between. Run 1 holds a customer twice in one
  // page and a pre-2025 customer with a v1 subscription; in run 2 every address moves to its neighbour's, one
  // customer is the deleted stub, one is older than the webhook event, and the pre-2025 customer gains a discount.
  const RUN1 = NOW;
  const RUN2 = new Date(NOW.getTime() + DAY * 1000);
  const legacyCustomer = loadFixture("legacy-api-2020", "customer_updated").data.object;
  const legacySubscription = loadFixture("legacy-api-2020", "subscription_updated").data.object;
  let small: FakeStripe;
  const runs: Record<string, Obj[]>[] = [];
  let webhook: StripeEvent;
  let generated: Obj[];

  beforeAll(async () => {
    small = await startFakeStripe({ subscriptions: 60 });
    generated = small.objects.customers!;
    const repeated = { ...generated[52]!, address: { ...nullAddress, country: "NZ" } };
    runs.push({
      ...small.objects,
      customers: [legacyCustomer, ...generated.slice(0, 53), repeated, ...generated.slice(53)],
      subscriptions: [...small.objects.subscriptions!, legacySubscription],
    });
    const moved = generated.map((c, j): Obj => {
      const next = generated[(j + 1) % generated.length]!;
      return { ...c, address: next.address, shipping: next.shipping };
    });
    moved[10] = { id: generated[10]!.id, object: "customer", deleted: true };
    const discount = {
      object: "discount",
      id: "di_legacy1",
      coupon: { id: "TENOFF", object: "coupon", percent_off: 10, amount_off: null, duration: "forever" },
      customer: legacyCustomer.id,
      start: Math.floor(RUN1.getTime() / 1000),
      end: null,
      subscription: null,
    };
    runs.push({
      ...runs[0]!,
      customers: [
        { ...legacyCustomer, discount },
        ...moved,
        { id: "cus_FakeNeverSeen01", object: "customer", deleted: true },
      ],
    });
    webhook = {
      id: "evt_CustomerMovedToCanada",
      type: "customer.updated",
      created: Math.floor(RUN2.getTime() / 1000) + DAY,
      data: { object: { ...generated[3]!, address: { ...nullAddress, country: "CA" } } },
    };
  });
  afterAll(async () => small?.close());

  it("reaches the one-by-one state: newer wins, billing → shipping → unknown, the stub keeps its country, the discount re-resolves the earlier version", async () => {
    const { workspaceId, connectionId } = await connected(small);
    const noLedger = async () => {};
    for (const [r, now] of [RUN1, RUN2].entries()) {
      small.objects.customers = runs[r]!.customers!;
      small.objects.subscriptions = runs[r]!.subscriptions!;
      await runBackfill({ db: env.h.db, workspaceId, connectionId, now, pageSize: 50 });
      if (r === 0)
        await ingestEvent({
          db: env.h.db,
          connection: { id: connectionId, workspaceId },
          event: webhook,
          onApplied: noLedger,
        });
    }
    const ws = await createTestWorkspace(env.h.db);
    const connection = { id: "con_customersonebyone1", workspaceId: ws.id };
    for (const [r, now] of [RUN1, RUN2].entries()) {
      const created = Math.floor(now.getTime() / 1000);
      for (const spec of BACKFILL_OBJECTS)
        for (const object of runs[r]![spec.path] ?? [])
          await ingestEvent({
            db: env.h.db,
            connection,
            event: { id: `evt_eq${r}_${String(object.id)}`, type: `backfill.${spec.type}`, created, data: { object } },
            onApplied: noLedger,
          });
      if (r === 0) await ingestEvent({ db: env.h.db, connection, event: webhook, onApplied: noLedger });
    }
    const backfilled = await dumpProjection(workspaceId, env.h.db);
    expect(stripped(await dumpProjection(ws.id, env.h.db))).toEqual(stripped(backfilled));

    const rows = new Map(
      (await env.h.db.select().from(customers).where(eq(customers.workspaceId, workspaceId))).map((c) => [c.id, c]),
    );
    const country = (c: Obj | undefined) => rows.get(String(c!.id))?.country ?? null;
    // Listed newest first, generated[j] is the fake's customer 59 - j; in run 2 it has customer 58 - j's addresses:
    // billing, shipping only, a billing address with "" next to shipping, none, in turn (scripts/fake-stripe).
    const expected = (j: number) =>
      (58 - j) % 4 === 3 ? null : ["US", "DE", "GB", "FR", "SG", "BR", "JP"][(58 - j) % 7];
    expect(rows.size).toBe(62);
    expect(country(generated[3])).toBe("CA"); // the webhook event is newer than run 2
    // The stub names no address: run 1's country stays (customer 49's shipping address, COUNTRIES[49 % 7]).
    expect(country(generated[10])).toBe("US");
    expect(rows.get(String(generated[10]!.id))!.deleted).toBe(true);
    expect(rows.get("cus_FakeNeverSeen01")).toMatchObject({ deleted: true, country: null });
    for (const j of [0, 1, 2, 4, 5, 52, 58]) expect([j, country(generated[j])]).toEqual([j, expected(j)]);
    // the version run 1 wrote, re-resolved when run 2's customer page brought the customer's discount
    const versions = await env.h.db
      .select()
      .from(subscriptionVersions)
      .where(
        and(
          eq(subscriptionVersions.workspaceId, workspaceId),
          eq(subscriptionVersions.subscriptionId, String(legacySubscription.id)),
        ),
      );
    const run1 = versions.find((v) => v.eventId.includes(`:${Math.floor(RUN1.getTime() / 1000)}#`))!;
    expect(run1.state.discounts.map((d) => [d.id, d.coupon.percentOff])).toEqual([["di_legacy1", "10"]]);
  });
});

describe("a page that lists an object twice", () => {
  it("keeps the first copy, as the webhook path keeps the first delivery of an event id", async () => {
    const twice = await startFakeStripe({ subscriptions: 20 });
    try {
      const list = twice.objects.customers!;
      const first = list[7]!;
      twice.objects.customers = [...list.slice(0, 8), { ...first, name: "Second copy" }, ...list.slice(8)];
      const { workspaceId, connectionId } = await connected(twice);
      const result = await runBackfill({ db: env.h.db, workspaceId, connectionId, now: NOW });
      expect(result.imported.customer).toBe(21);
      const rows = await env.h.db.select().from(customers).where(eq(customers.workspaceId, workspaceId));
      expect(rows).toHaveLength(20);
      expect(rows.find((c) => c.id === first.id)!.name).toBe(first.name);
    } finally {
      await twice.close();
    }
  });
});
