import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb } from "@/db/testing";
import { createTestWorkspace } from "@/db/testing/factories";
import type { DbHandle } from "@/db/client";
import { invoicePaymentFailures, invoices, subscriptions, subscriptionVersions } from "@/db/schema";
import type { SubscriptionState } from "@/lib/metrics/types";
import { ingestEvent } from "./ingest";
import { dumpProjection, loadLifecycle, shuffleWithDuplicates } from "./testing";
import type { StripeEvent } from "./event";

let h: DbHandle;
beforeAll(async () => {
  h = await createTestDb();
});
afterAll(async () => h?.close());

const events = loadLifecycle();
const SUB = "sub_TqSub00000000001";

async function replay(order: StripeEvent[]) {
  const ws = await createTestWorkspace(h.db);
  const connection = { id: `con_${ws.id.slice(3)}`, workspaceId: ws.id };
  const outcomes: string[] = [];
  for (const e of order) outcomes.push(await ingestEvent({ db: h.db, connection, event: e }));
  return { workspaceId: ws.id, outcomes, dump: await dumpProjection(ws.id, h.db) };
}

async function versions(workspaceId: string) {
  return h.db
    .select()
    .from(subscriptionVersions)
    .where(and(eq(subscriptionVersions.workspaceId, workspaceId), eq(subscriptionVersions.subscriptionId, SUB)))
    .orderBy(asc(subscriptionVersions.validFrom), asc(subscriptionVersions.eventKey));
}

describe("lifecycle replay (24 events, 2026-10-28 shape)", () => {
  let inOrder: Awaited<ReturnType<typeof replay>>;
  beforeAll(async () => {
    inOrder = await replay(events);
  });

  it("applies 22 of 24 in order; the two plan.created echoes (03, 05) are stale behind their same-second price.created", () => {
    const notApplied = inOrder.outcomes.map((o, i) => [events[i]!.id.slice(-2), o]).filter(([, o]) => o !== "applied");
    expect(notApplied).toEqual([
      ["03", "stale"],
      ["05", "stale"],
    ]);
  });

  it("ends canceled at 2026-08-09T09:00:00Z with 3 seats of price_TqProMonthly0001", async () => {
    const [sub] = await h.db
      .select()
      .from(subscriptions)
      .where(and(eq(subscriptions.workspaceId, inOrder.workspaceId), eq(subscriptions.id, SUB)));
    expect(sub!.status).toBe("canceled");
    expect(sub!.endedAt!.toISOString()).toBe("2026-08-09T09:00:00.000Z");
    expect(sub!.state.items.map((i) => [i.price.id, i.quantity])).toEqual([["price_TqProMonthly0001", 3]]);
    expect(sub!.state.cancellationReason).toBe("cancellation_requested");
    expect(sub!.state.canceledAt).toBe(1784192400 * 1000);
  });

  it("keeps one version per subscription event (10 of 24), ordered by effective time", async () => {
    const v = await versions(inOrder.workspaceId);
    expect(v.map((r) => r.eventId.slice(-2))).toEqual(["08", "10", "11", "15", "17", "18", "20", "22", "23", "24"]);
    // trial end (event 11) takes effect at trial_end; the deletion at ended_at
    expect(v[2]!.validFrom.getTime()).toBe(1781082000 * 1000);
    expect(v.at(-1)!.validFrom.toISOString()).toBe("2026-08-09T09:00:00.000Z");
  });

  it("resolves LAUNCH25 (25% off, repeating 3 months, 2026-06-17 → 2026-09-15) on the versions from event 17 on", async () => {
    const v = await versions(inOrder.workspaceId);
    const withDiscount = v.filter((r) => r.state.discounts.length > 0).map((r) => r.eventId.slice(-2));
    expect(withDiscount).toEqual(["17", "18", "20", "22", "23", "24"]);
    const d = v.find((r) => r.eventId.endsWith("17"))!.state.discounts[0]!;
    expect(d).toEqual({
      id: "di_TqDisc0000000001",
      coupon: {
        id: "LAUNCH25",
        percentOff: "25",
        amountOff: null,
        currency: null,
        currencyOptions: {},
        duration: "repeating",
        durationInMonths: 3,
      },
      start: 1781686800 * 1000,
      end: 1789462800 * 1000,
    });
  });

  it("marks pastDueSince 2026-07-10T10:00:02Z on the past_due version only (event 20)", async () => {
    const v = await versions(inOrder.workspaceId);
    const pd = v.map((r) => [r.eventId.slice(-2), (r.state as SubscriptionState).pastDueSince]);
    expect(pd.filter(([, s]) => s !== null)).toEqual([["20", 1783677602 * 1000]]);
  });

  it("records cash: invoice 3 paid 7700 at 2026-07-13T09:00:00Z, after one failure of 7700 due", async () => {
    const rows = await h.db
      .select()
      .from(invoices)
      .where(eq(invoices.workspaceId, inOrder.workspaceId))
      .orderBy(asc(invoices.id));
    expect(rows.map((r) => [r.id.slice(-1), r.status, r.amountPaid, r.paidAt?.toISOString() ?? null])).toEqual([
      ["1", "paid", 0, "2026-05-27T09:00:00.000Z"],
      ["2", "paid", 2000, "2026-06-10T10:01:40.000Z"],
      ["3", "paid", 7700, "2026-07-13T09:00:00.000Z"],
    ]);
    const failures = await h.db
      .select()
      .from(invoicePaymentFailures)
      .where(eq(invoicePaymentFailures.workspaceId, inOrder.workspaceId));
    expect(failures.map((f) => [f.invoiceId, f.amountDue, f.attemptCount])).toEqual([["in_TqInv00000000003", 7700, 1]]);
  });

  it("reaches the identical projection when the 24 events arrive reversed", async () => {
    const reversed = await replay([...events].reverse());
    expect(reversed.dump).toEqual(inOrder.dump);
    expect(reversed.outcomes).toContain("stale");
  });

  it.each([1, 7, 42, 2026])("reaches the identical projection shuffled with duplicates (seed %i)", async (seed) => {
    const order = shuffleWithDuplicates(events, seed);
    const shuffled = await replay(order);
    expect(shuffled.outcomes.filter((o) => o === "duplicate")).toHaveLength(order.length - 24);
    expect(shuffled.dump).toEqual(inOrder.dump);
  });

  it("resolves the discount when customer.discount.created (16) arrives after the subscription update (17)", async () => {
    const swapped = events.map((e) => e);
    const i16 = swapped.findIndex((e) => e.type === "customer.discount.created");
    const [d] = swapped.splice(i16, 1);
    swapped.push(d!);
    const late = await replay(swapped);
    expect(late.dump).toEqual(inOrder.dump);
  });

  it("keeps the dump sensitive: dropping event 15 (1 → 3 seats) changes it", async () => {
    const missing = await replay(events.filter((e) => !e.id.endsWith("15")));
    expect(missing.dump).not.toEqual(inOrder.dump);
  });
});
