import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { withAppTestDb } from "@/db/testing";
import { createTestWorkspace } from "@/db/testing/factories";
import { type DbHandle } from "@/db/client";
import { customers, stripeEventOutcomes, stripeEvents, subscriptions } from "@/db/schema";
import { createConnection } from "@/lib/stripe/connections";
import { loadLifecycle, signedRequest, TEST_ENCRYPTION_KEY } from "@/lib/stripe/testing";
import { DELETE, GET, PATCH, POST, PUT } from "./route";

process.env.ENCRYPTION_KEY ??= TEST_ENCRYPTION_KEY;

let h: DbHandle;
const SECRET = "whsec_route_test_secret";
const lifecycle = loadLifecycle();
const byId = (suffix: string) => lifecycle.find((e) => e.id.endsWith(suffix))!;

withAppTestDb((handle) => (h = handle));

async function setup() {
  const ws = await createTestWorkspace(h.db);
  const con = await createConnection({ db: h.db, workspaceId: ws.id, webhookSecret: SECRET });
  return { workspaceId: ws.id, connectionId: con.id };
}

const post = (connectionId: string, req: Request) => POST(req, { params: Promise.resolve({ connectionId }) });
const send = (connectionId: string, event: unknown, secret = SECRET) =>
  post(connectionId, signedRequest(`http://test/api/webhooks/stripe/${connectionId}`, JSON.stringify(event), secret));

async function storedEvents(workspaceId: string) {
  return h.db.select().from(stripeEvents).where(eq(stripeEvents.workspaceId, workspaceId));
}

describe("POST /api/webhooks/stripe/[connectionId]", () => {
  it("answers 404 to an unknown connection and stores nothing", async () => {
    const before = await h.db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(stripeEvents);
    const res = await send("con_00000000000000000000", byId("07"));
    expect(res.status).toBe(404);
    const after = await h.db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(stripeEvents);
    expect(after[0]!.n).toBe(before[0]!.n);
  });

  it("answers 400 to a signature whose whole v1= value is another secret's, storing nothing", async () => {
    const { workspaceId, connectionId } = await setup();
    const payload = JSON.stringify(byId("07"));
    const good = signedRequest("http://test", payload, SECRET).headers.get("stripe-signature")!;
    const forged = signedRequest("http://test", payload, "whsec_someone_else").headers.get("stripe-signature")!;
    const header = `${good.split(",")[0]},v1=${forged.split("v1=")[1]}`;
    expect(header).not.toBe(good);
    const res = await post(connectionId, signedRequest("http://test", payload, SECRET, { header }));
    expect(res.status).toBe(400);
    expect(await storedEvents(workspaceId)).toHaveLength(0);
  });

  it("answers 400 to a missing stripe-signature header and to a timestamp 301 s old", async () => {
    const { workspaceId, connectionId } = await setup();
    const payload = JSON.stringify(byId("07"));
    const missing = await post(connectionId, new Request("http://test", { method: "POST", body: payload }));
    expect(missing.status).toBe(400);
    const old = await post(
      connectionId,
      signedRequest("http://test", payload, SECRET, { timestamp: Math.floor(Date.now() / 1000) - 301 }),
    );
    expect(old.status).toBe(400);
    expect(await storedEvents(workspaceId)).toHaveLength(0);
  });

  it("answers 400 to a correctly signed body that is not an event envelope (no evt_ id / data.object)", async () => {
    const { workspaceId, connectionId } = await setup();
    const res1 = await send(connectionId, { hello: "world" });
    const res2 = await send(connectionId, { ...byId("07"), id: "cus_notanevent" });
    const res3 = await send(connectionId, { ...byId("07"), data: {} });
    expect([res1.status, res2.status, res3.status]).toEqual([400, 400, 400]);
    expect(await storedEvents(workspaceId)).toHaveLength(0);
  });

  it.each([
    ["GET", GET],
    ["PUT", PUT],
    ["PATCH", PATCH],
    ["DELETE", DELETE],
  ])("answers 405 with allow: POST to %s", async (_m, handler) => {
    const res = await handler();
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("POST");
  });

  it("applies a valid customer.created (200 applied): the raw event once and the customer row", async () => {
    const { workspaceId, connectionId } = await setup();
    const res = await send(connectionId, byId("07"));
    expect([res.status, await res.text()]).toEqual([200, "applied"]);
    expect(await storedEvents(workspaceId)).toHaveLength(1);
    const rows = await h.db.select().from(customers).where(eq(customers.workspaceId, workspaceId));
    expect(rows.map((r) => [r.id, r.email])).toEqual([["cus_TqAlice00000001", "billing@alice.example"]]);
  });

  it("answers 200 duplicate to the same event id again and stores nothing new", async () => {
    const { workspaceId, connectionId } = await setup();
    await send(connectionId, byId("07"));
    const again = await send(connectionId, {
      ...byId("07"),
      data: { object: { ...byId("07").data.object, email: "changed@example.test" } },
    });
    expect([again.status, await again.text()]).toEqual([200, "duplicate"]);
    expect(await storedEvents(workspaceId)).toHaveLength(1);
    const [c] = await h.db.select().from(customers).where(eq(customers.workspaceId, workspaceId));
    expect(c!.email).toBe("billing@alice.example");
  });

  it("stores an event id shared by two connections once on each: two workspaces both apply it", async () => {
    const a = await setup();
    const b = await setup();
    const ra = await send(a.connectionId, byId("07"));
    const rb = await send(b.connectionId, byId("07"));
    expect([await ra.text(), await rb.text()]).toEqual(["applied", "applied"]);
    expect((await storedEvents(a.workspaceId)).map((r) => r.connectionId)).toEqual([a.connectionId]);
    expect((await storedEvents(b.workspaceId)).map((r) => r.connectionId)).toEqual([b.connectionId]);
  });

  it("stores a shared event id on both connections of one workspace; the object is one row, so the echo is stale", async () => {
    const { workspaceId, connectionId } = await setup();
    const second = await createConnection({ db: h.db, workspaceId, webhookSecret: "whsec_second_connection" });
    const a = await send(connectionId, byId("07"));
    const b = await send(second.id, byId("07"), "whsec_second_connection");
    expect([await a.text(), await b.text()]).toEqual(["applied", "stale"]);
    const rows = await storedEvents(workspaceId);
    expect(rows.map((r) => r.connectionId).sort()).toEqual([connectionId, second.id].sort());
  });

  it("answers 200 ignored to checkout.session.completed: stored for replay, no projection effect", async () => {
    const { workspaceId, connectionId } = await setup();
    const event = {
      id: "evt_checkout0001",
      object: "event",
      type: "checkout.session.completed",
      created: 1781000000,
      api_version: "2026-10-28.endive",
      data: { object: { id: "cs_1", object: "checkout.session", customer: "cus_TqAlice00000001" } },
    };
    const res = await send(connectionId, event);
    expect([res.status, await res.text()]).toEqual([200, "ignored"]);
    expect(await storedEvents(workspaceId)).toHaveLength(1);
    expect(await h.db.select().from(customers).where(eq(customers.workspaceId, workspaceId))).toHaveLength(0);
  });

  it("answers 200 rejected to a subscription without status: stored, reason kept, no projection row", async () => {
    const { workspaceId, connectionId } = await setup();
    const e = byId("08");
    const { status: _dropped, ...object } = e.data.object;
    const res = await send(connectionId, { ...e, data: { object } });
    expect([res.status, await res.text()]).toEqual([200, "rejected"]);
    expect(await storedEvents(workspaceId)).toHaveLength(1);
    const [o] = await h.db.select().from(stripeEventOutcomes).where(eq(stripeEventOutcomes.workspaceId, workspaceId));
    expect(o!.outcome).toBe("rejected");
    expect(o!.reason).toMatch(/^status: /);
    expect(await h.db.select().from(subscriptions).where(eq(subscriptions.workspaceId, workspaceId))).toHaveLength(0);
  });

  it("answers 200 stale to quantity 1 (event 11) after quantity 3 (event 15): stored, state not rolled back", async () => {
    const { workspaceId, connectionId } = await setup();
    expect(await (await send(connectionId, byId("15"))).text()).toBe("applied");
    const res = await send(connectionId, byId("11"));
    expect([res.status, await res.text()]).toEqual([200, "stale"]);
    expect(await storedEvents(workspaceId)).toHaveLength(2);
    const [s] = await h.db.select().from(subscriptions).where(eq(subscriptions.workspaceId, workspaceId));
    expect(s!.state.items[0]!.quantity).toBe(3);
  });

  it("answers 503 when the second write of the transaction fails, keeps nothing, and a retry then applies", async () => {
    const { workspaceId, connectionId } = await setup();
    await h.db.execute(
      sql.raw(`create or replace function northstar_test_fail() returns trigger language plpgsql as $$
      begin raise exception 'injected fault' using errcode = '57P01'; end $$`),
    );
    await h.db.execute(
      sql.raw(
        `create trigger northstar_test_fail before insert on subscriptions for each row execute function northstar_test_fail()`,
      ),
    );
    try {
      const res = await send(connectionId, byId("08"));
      expect(res.status).toBe(503);
      expect(await storedEvents(workspaceId)).toHaveLength(0);
      expect(
        await h.db.select().from(stripeEventOutcomes).where(eq(stripeEventOutcomes.workspaceId, workspaceId)),
      ).toHaveLength(0);
    } finally {
      await h.db.execute(sql.raw(`drop trigger northstar_test_fail on subscriptions`));
    }
    const retry = await send(connectionId, byId("08"));
    expect([retry.status, await retry.text()]).toEqual([200, "applied"]);
    const rows = await h.db
      .select()
      .from(subscriptions)
      .where(and(eq(subscriptions.workspaceId, workspaceId), eq(subscriptions.id, "sub_TqSub00000000001")));
    expect(rows.map((r) => r.status)).toEqual(["trialing"]);
  });
});
