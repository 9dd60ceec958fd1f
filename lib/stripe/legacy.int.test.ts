import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb } from "@/db/testing";
import { createTestWorkspace } from "@/db/testing/factories";
import type { DbHandle } from "@/db/client";
import { invoices, subscriptionItems, subscriptions, subscriptionVersions } from "@/db/schema";
import { ingestEvent } from "./ingest";
import { dumpProjection, loadFixture } from "./testing";
import type { StripeEvent } from "./event";

let h: DbHandle;
beforeAll(async () => {
  h = await createTestDb();
});
afterAll(async () => h?.close());

const fx = (n: string) => loadFixture("legacy-api-2020", n);

async function ingestAll(events: StripeEvent[]) {
  const ws = await createTestWorkspace(h.db);
  const connection = { id: `con_${ws.id.slice(3)}`, workspaceId: ws.id };
  const outcomes = [];
  for (const e of events) outcomes.push(await ingestEvent({ db: h.db, connection, event: e }));
  return { workspaceId: ws.id, outcomes };
}

describe("legacy 2020-03-02 events", () => {
  it("projects subscription_updated: plan price_1IDQm5…, quantity 1, period 2021-04-21 → 2021-05-21", async () => {
    const { workspaceId, outcomes } = await ingestAll([
      fx("subscription_updated"),
      fx("invoice_paid"),
      fx("price_created"),
      fx("customer_updated"),
    ]);
    expect(outcomes).toEqual(["applied", "applied", "applied", "applied"]);
    const [s] = await h.db
      .select()
      .from(subscriptions)
      .where(and(eq(subscriptions.workspaceId, workspaceId), eq(subscriptions.id, "sub_JLEPMp81LApOJl")));
    expect([s!.status, s!.currency, s!.currentPeriodStart!.toISOString(), s!.currentPeriodEnd!.toISOString()]).toEqual([
      "active",
      "usd",
      "2021-04-21T04:45:44.000Z",
      "2021-05-21T04:45:44.000Z",
    ]);
    const items = await h.db.select().from(subscriptionItems).where(eq(subscriptionItems.workspaceId, workspaceId));
    expect(items.map((i) => [i.priceId, i.quantity])).toEqual([["price_1IDQm5JDPojXS6LNM31hxKzp", 1]]);
    const [inv] = await h.db.select().from(invoices).where(eq(invoices.workspaceId, workspaceId));
    expect([inv!.subscriptionId, inv!.status]).toEqual(["sub_JsuPyCPhXWfZar", "paid"]);
  });

  it("ends subscription sub_JdIzvfy6o5GZRd at ended_at 2021-06-08T10:45:02Z, created then deleted, in either order", async () => {
    const a = await ingestAll([fx("subscription_created"), fx("subscription_deleted")]);
    const b = await ingestAll([fx("subscription_deleted"), fx("subscription_created")]);
    expect(b.outcomes).toEqual(["applied", "stale"]);
    expect(await dumpProjection(b.workspaceId, h.db)).toEqual(await dumpProjection(a.workspaceId, h.db));
    const v = await h.db
      .select()
      .from(subscriptionVersions)
      .where(eq(subscriptionVersions.workspaceId, a.workspaceId))
      .orderBy(asc(subscriptionVersions.validFrom));
    expect(v.map((r) => [r.state.status, r.validFrom.toISOString()])).toEqual([
      ["active", "2021-06-08T10:41:58.000Z"],
      ["canceled", "2021-06-08T10:45:02.000Z"],
    ]);
  });

  it("applies the customer's own discount to a v1 subscription without one (N6), whichever arrives first", async () => {
    const customer = fx("customer_updated");
    const withDiscount = {
      ...customer,
      id: "evt_custdiscount00001",
      created: 1619706900,
      data: {
        object: {
          ...customer.data.object,
          discount: {
            object: "discount",
            id: "di_legacy1",
            coupon: { id: "TENOFF", percent_off: 10, amount_off: null, duration: "forever" },
            customer: "cus_IhGfebO16cMIGN",
            start: 1619706900,
            end: null,
            subscription: null,
          },
        },
      },
    } as StripeEvent;
    const sub = fx("subscription_updated");
    const first = await ingestAll([withDiscount, sub]);
    const second = await ingestAll([sub, withDiscount]);
    const stateOf = async (ws: string) =>
      (await h.db.select().from(subscriptions).where(eq(subscriptions.workspaceId, ws)))[0]!.state.discounts.map(
        (d) => [d.id, d.coupon.percentOff, d.coupon.duration],
      );
    expect(await stateOf(first.workspaceId)).toEqual([["di_legacy1", "10", "forever"]]);
    expect(await dumpProjection(second.workspaceId, h.db)).toEqual(await dumpProjection(first.workspaceId, h.db));
  });
});
