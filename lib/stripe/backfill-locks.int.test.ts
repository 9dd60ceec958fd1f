import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { lockCustomerLedgers } from "@/db/queries/config-lock";
import { listMrrChanges } from "@/db/queries/mrr";
import { pgCode } from "@/lib/db-errors";
import { rebuildWorkspaceLedger } from "@/lib/kpi/rebuild";
import { refreshLedgerOnApplied } from "@/lib/kpi/stripe-hook";
import { BACKFILL_OBJECTS, runBackfill } from "./backfill";
import type { StripeEvent } from "./event";
import { ingestEvent, type OnApplied } from "./ingest";
import { dumpProjection, loadFixture, TEST_ENCRYPTION_KEY } from "./testing";
import { createFakeStripeConnection } from "./testing/backfill-check";
import { countingDb } from "./testing/counting-db";
import { fakeStripeDbForFile } from "./testing/fake-stripe-db";
import { gate, pausedHook, waitsForLock } from "./testing/races";

// ADR 0016: a backfill page of customers, subscriptions or schedules takes the ledger locks of the customers its
// objects name, in one statement, after the configuration lock and before it writes anything, as a webhook event
// of those types does in its first statement. The races need two connections, so they run on Postgres only; the
// statements and the ledger of a backfill are checked on PGlite too.

process.env.ENCRYPTION_KEY ??= TEST_ENCRYPTION_KEY;

const onPostgres = !!process.env.TEST_DATABASE_URL;
const env = fakeStripeDbForFile(0);

type Obj = Record<string, unknown>;
const at = (iso: string) => Date.parse(iso) / 1000;
const fx = (name: string) => loadFixture("legacy-api-2020", name);

// The legacy customer cus_IhGfebO16cMIGN (Copple) and its pre-2025 subscription sub_JLEPMp81LApOJl, which has no
// discount of its own, so the customer's discount applies to it (metrics.md N6). Its fixture is on a free plan;
// here it is on the fixture's $4 monthly price (price_created), so that the discount shows in the ledger. One seat
// since 2021-04-21 04:45:44 UTC (start_date); the webhook event is of 2021-04-29 14:33:40 UTC.
const CUSTOMER = "cus_IhGfebO16cMIGN";
const fourDollars = fx("price_created").data.object as Obj;
function withSeats(event: StripeEvent, seats: number, id = event.id, created = event.created): StripeEvent {
  const s = structuredClone(event.data.object) as Obj & { items: { data: Obj[] }; plan: Obj };
  const plan = { ...s.plan, id: fourDollars.id, product: fourDollars.product, amount: 400, amount_decimal: "400" };
  s.items.data = s.items.data.map((i) => ({ ...i, price: fourDollars, plan, quantity: seats }));
  Object.assign(s, { plan, quantity: seats });
  return { ...event, id, created, data: { object: s, previous_attributes: { quantity: 1 } } };
}
const subscribed = withSeats(fx("subscription_updated"), 1);
/** 1 → 2 seats on 2021-05-10: 800. */
const twoSeats = withSeats(subscribed, 2, "evt_LegacyTwoSeats00001", at("2021-05-10T00:00:00Z"));

// TENOFF, 10% off forever from 2021-05-03, on the customer (the shape of legacy.int.test.ts): 360 from that day.
const TENOFF = {
  object: "discount",
  id: "di_legacy1",
  coupon: { id: "TENOFF", object: "coupon", percent_off: 10, amount_off: null, duration: "forever" },
  customer: CUSTOMER,
  start: at("2021-05-03T00:00:00Z"),
  end: null,
  subscription: null,
};
const customer = fx("customer_updated").data.object as Obj;
const discounted = { ...customer, discount: TENOFF };
const customerEvent = (object: Obj, id: string, created: number): StripeEvent => ({
  ...fx("customer_updated"),
  id,
  created,
  data: { object, previous_attributes: { email: customer.email } },
});

/** The backfill runs of these tests list the customers, subscriptions… as of 2021-05-20. */
const RUN = new Date("2021-05-20T00:00:00Z");
type Listing = Partial<Record<(typeof BACKFILL_OBJECTS)[number]["path"], Obj[]>>;

async function seed(events: StripeEvent[]) {
  const ids = await createFakeStripeConnection(env.h.db, env.fake.url);
  const connection = { id: ids.connectionId, workspaceId: ids.workspaceId };
  for (const event of events) await ingestEvent({ db: env.h.db, connection, event });
  return connection;
}

/** A backfill run of `connection` over `listing`, refreshing the ledger page by page (`onApplied`). */
function backfill(
  connection: { id: string; workspaceId: string },
  listing: Listing,
  { onApplied = refreshLedgerOnApplied as OnApplied, db = env.h.db as Db, now = RUN } = {},
) {
  for (const spec of BACKFILL_OBJECTS) env.fake.objects[spec.path] = listing[spec.path] ?? [];
  return runBackfill({ db, workspaceId: connection.workspaceId, connectionId: connection.id, now, onApplied });
}

const ledger = async (workspaceId: string) =>
  (await listMrrChanges(workspaceId, env.h.db, { to: "9999-12-31" })).map((r) => [r.day, r.kind, r.mrr]);

/** The webhook events before, the backfill, the webhook events after, one after the other. */
async function inOrder(before: StripeEvent[], listing: Listing, after: StripeEvent[]) {
  const connection = await seed(before);
  await backfill(connection, listing);
  for (const event of after) await ingestEvent({ db: env.h.db, connection, event });
  return { ledger: await ledger(connection.workspaceId), dump: await dumpProjection(connection.workspaceId, env.h.db) };
}

/** Each outcome, or the SQLSTATE it failed with (40P01: a deadlock). */
const settled = async (...work: Promise<unknown>[]) =>
  (await Promise.allSettled(work)).map((r) =>
    r.status === "fulfilled" ? (typeof r.value === "string" ? r.value : "done") : (pgCode(r.reason) ?? r.reason),
  );

const LOCK = "select count(pg_advisory_xact_lock(hashtext('northstar.ledger:' ||";

describe("the statements of a backfill's pages", () => {
  it("lock the customers a page names in one statement before its first write, and nothing again after", async () => {
    const connection = await seed([]);
    const schedule = loadFixture<Obj>("openapi-fixtures3", "subscription_schedule");
    const invoice = fx("invoice_paid").data.object as Obj;
    // Run 1 lists the customer without a discount, its subscription, a schedule and an invoice; run 2, a day later,
    // the customer with TENOFF: its page re-resolves the subscription's versions and refreshes its ledger.
    const run1: Listing = {
      customers: [customer],
      subscriptions: [subscribed.data.object],
      subscription_schedules: [schedule],
      invoices: [invoice],
    };
    const pages = async (listing: Listing, now: Date) => {
      const full: { text: string; params: unknown[] }[] = [];
      await backfill(connection, listing, { db: countingDb(env.h, [], full), now });
      // A page's transaction starts with the configuration lock; what comes before is the run's cursors.
      const starts = full.flatMap((q, i) =>
        q.text.trimStart().startsWith("select 1 from northstar_config_shared") ? [i] : [],
      );
      return starts.map((start, i) => {
        const statements = full.slice(start, starts[i + 1]);
        return {
          type: BACKFILL_OBJECTS[i]!.type,
          locks: statements.flatMap((q, j) => (q.text.includes("northstar.ledger:") ? [[j, q.params.at(-1)]] : [])),
        };
      });
    };
    const locksOf = (list: Awaited<ReturnType<typeof pages>>) =>
      Object.fromEntries(list.filter((p) => p.locks.length > 0).map((p) => [p.type, p.locks]));
    // Statement 1 of the page, right after the configuration lock (statement 0): the customers the page names.
    expect(locksOf(await pages(run1, RUN))).toEqual({
      customer: [[1, JSON.stringify([CUSTOMER])]],
      subscription: [[1, JSON.stringify([CUSTOMER])]],
      subscription_schedule: [[1, JSON.stringify(["cus_QXg1o8vcGmoR32"])]],
    });
    // 400 from the subscription's start (its backfilled version begins at start_date).
    expect(await ledger(connection.workspaceId)).toEqual([["2021-04-21", "new", 400]]);

    const run2 = { ...run1, customers: [discounted] };
    expect(locksOf(await pages(run2, new Date(RUN.getTime() + 86_400_000)))).toEqual({
      customer: [[1, JSON.stringify([CUSTOMER])]],
      subscription: [[1, JSON.stringify([CUSTOMER])]],
      subscription_schedule: [[1, JSON.stringify(["cus_QXg1o8vcGmoR32"])]],
    });
    // TENOFF from 2021-05-03: 400 × 0.9 = 360. The page by page refresh gives what a rebuild gives.
    const rows = await ledger(connection.workspaceId);
    expect(rows).toEqual([
      ["2021-04-21", "new", 400],
      ["2021-05-03", "contraction", 360],
    ]);
    await rebuildWorkspaceLedger(env.h.db, connection.workspaceId);
    expect(await ledger(connection.workspaceId)).toEqual(rows);
  });
});

describe.skipIf(!onPostgres)("a customers page and a webhook of one of its customers", () => {
  // In order: 400 from 2021-04-29 (the webhook's version); TENOFF from 2021-05-03, 400 × 0.9 = 360; 2 seats from
  // 2021-05-10, 800 × 0.9 = 720.
  const WITH_TWO_SEATS = [
    ["2021-04-29", "new", 400],
    ["2021-05-03", "contraction", 360],
    ["2021-05-10", "expansion", 720],
  ];

  it("the page waits for the webhook in flight on the customer's lock, before it writes anything", async () => {
    const expected = await inOrder([subscribed, twoSeats], { customers: [discounted] }, []);
    expect(expected.ledger).toEqual(WITH_TWO_SEATS);
    const connection = await seed([subscribed]);
    const paused = pausedHook();
    // The 2-seat update has written its version and the latest row, and holds its transaction before its refresh.
    const webhook = ingestEvent({ db: env.h.db, connection, event: twoSeats, onApplied: paused.hook });
    await paused.reached;
    const page = backfill(connection, { customers: [discounted] });
    const waiting = await waitsForLock(env.h.db, page, "the page").finally(paused.release);
    expect(await settled(webhook, page)).toEqual(["applied", "done"]);
    // In the statement after the configuration lock, before the page wrote the customer's row.
    expect(waiting).toEqual({ statement: LOCK, wrote: false });
    // The page re-resolved the version the webhook wrote.
    expect(await ledger(connection.workspaceId)).toEqual(WITH_TWO_SEATS);
    expect(await dumpProjection(connection.workspaceId, env.h.db)).toEqual(expected.dump);
  });

  it("a webhook that arrives between the page's writes and its re-resolution waits for the page", async () => {
    // The customer's email changes on 2021-05-21, after the run listed it; TENOFF stays.
    const moved = customerEvent(
      { ...discounted, email: "billing@supabase.io" },
      "evt_LegacyEmailMoved01",
      at("2021-05-21T00:00:00Z"),
    );
    const expected = await inOrder([subscribed], { customers: [discounted] }, [moved]);
    expect(expected.ledger).toEqual([
      ["2021-04-29", "new", 400],
      ["2021-05-03", "contraction", 360],
    ]);
    const connection = await seed([subscribed]);
    // Another transaction holds subscription_versions exclusively: the page stops where its re-resolution first
    // reads them, after it wrote the customer's row, the moment when the webhook arrives.
    const held = gate();
    const release = gate();
    const holder = env.h.db.transaction(async (tx) => {
      await tx.execute(sql`lock table subscription_versions in access exclusive mode`);
      held.open();
      await release.opened;
    });
    await held.opened;
    const page = backfill(connection, { customers: [discounted] });
    let webhook: Promise<unknown> = Promise.resolve("not sent");
    let stopped: unknown;
    let waiting: unknown;
    try {
      stopped = await waitsForLock(env.h.db, page, "the page", "relation");
      webhook = ingestEvent({ db: env.h.db, connection, event: moved });
      // Had the page not locked the customer first, the webhook would take the customer's lock and wait for the
      // customer's row, which the page holds while it goes on to lock the customer: a deadlock (40P01).
      waiting = await waitsForLock(env.h.db, webhook, "the webhook").catch((e: Error) => e.message);
    } finally {
      release.open();
      await holder;
    }
    expect(await settled(page, webhook)).toEqual(["done", "applied"]);
    expect(stopped).toEqual({ statement: "select 'versions' as", wrote: true });
    expect(waiting).toEqual({ statement: "with c as", wrote: false });
    expect(await ledger(connection.workspaceId)).toEqual(expected.ledger);
    expect(await dumpProjection(connection.workspaceId, env.h.db)).toEqual(expected.dump);
  });
});

describe.skipIf(!onPostgres)("a subscriptions page and a webhook of its customer", () => {
  it("the webhook waits for the page in flight, then re-resolves the version the page wrote", async () => {
    // The customer gains TENOFF on 2021-05-21, after the run listed the subscription.
    const gains = customerEvent(discounted, "evt_LegacyGainsTenOff01", at("2021-05-21T00:00:00Z"));
    const before = [fx("customer_updated"), subscribed];
    const listing = { subscriptions: [subscribed.data.object] };
    const expected = await inOrder(before, listing, [gains]);
    // 400 from start_date (the backfilled version), TENOFF from 2021-05-03.
    expect(expected.ledger).toEqual([
      ["2021-04-21", "new", 400],
      ["2021-05-03", "contraction", 360],
    ]);
    const connection = await seed(before);
    const paused = pausedHook();
    // The page has written the subscription's latest row and version, and holds its transaction before its refresh.
    const page = backfill(connection, listing, { onApplied: paused.hook });
    await paused.reached;
    const webhook = ingestEvent({ db: env.h.db, connection, event: gains });
    // Had the page not locked the customer first, the webhook would take the customer's lock and wait for the latest
    // row to re-resolve it, and the page's refresh for the customer's lock: a deadlock (40P01).
    const waiting = await waitsForLock(env.h.db, webhook, "the webhook")
      .catch((e: Error) => e.message)
      .finally(paused.release);
    expect(await settled(page, webhook)).toEqual(["done", "applied"]);
    expect(waiting).toEqual({ statement: "with c as", wrote: false });
    expect(await ledger(connection.workspaceId)).toEqual(expected.ledger);
    expect(await dumpProjection(connection.workspaceId, env.h.db)).toEqual(expected.dump);
  });
});

describe.skipIf(!onPostgres)("an invoices page", () => {
  it("takes no customer's lock: it goes through while another transaction holds its customer's", async () => {
    const invoice = fx("invoice_paid").data.object as Obj;
    const connection = await seed([]);
    const held = gate();
    const release = gate();
    const holder = env.h.db.transaction(async (tx) => {
      await lockCustomerLedgers(tx, connection.workspaceId, [String(invoice.customer)]);
      held.open();
      await release.opened;
    });
    await held.opened;
    try {
      const page = backfill(connection, { invoices: [invoice] }).then((r) => r.imported.invoice);
      const waited = new Promise((resolve) => setTimeout(() => resolve("still waiting after 5 s"), 5000));
      expect(await Promise.race([page, waited])).toBe(1);
    } finally {
      release.open();
      await holder;
    }
  });
});
