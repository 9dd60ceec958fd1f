import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/db/client";
import { listCustomerPage } from "@/db/queries/customers";
import { listFilterOptions, listRevenueBreakdown } from "@/db/queries/dashboard";
import { customers } from "@/db/schema";
import { createTestDb } from "@/db/testing";
import { createTestWorkspace } from "@/db/testing/factories";
import type { StripeEvent } from "@/lib/stripe/event";
import { ingestEvent } from "@/lib/stripe/ingest";
import { loadFixture, loadLifecycle } from "@/lib/stripe/testing";
import type { Workspace } from "@/lib/workspaces/context";
import { loadFinanceDashboard } from "./dashboard";
import { parseFinanceParams } from "./dashboard-params";
import { refreshLedgerOnApplied } from "./stripe-hook";

// The customer's country, from customer.created/updated through the projection to the finance view's breakdown and
// filter. Three customers as of 2026-06-20 (the lifecycle's prices: $20.00 a seat a month):
//   Alice (lifecycle, 3 seats, 25 % off)  4500, Germany after a customer.updated with a billing address
//   Bob   (pre-2025 shape, 2 seats)       4000, United Kingdom from the shipping address only
//   Carol (no address at all)             2000, unknown
// Total 10500 = DE 4500 + GB 4000 + unknown 2000.

type Obj = Record<string, unknown>;
const lifecycle = loadLifecycle();
const ALICE = "cus_TqAlice00000001";
const nullAddress = { city: null, country: null, line1: null, line2: null, postal_code: null, state: null };

const byId = (suffix: string) => lifecycle.find((e) => e.id.endsWith(suffix))!;
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

function customerEvent(
  id: string,
  type: "customer.created" | "customer.updated",
  created: number,
  object: Obj,
  apiVersion = "2026-10-28.endive",
): StripeEvent {
  return { ...clone(byId("07")), id, type, created, api_version: apiVersion, data: { object } } as StripeEvent;
}

/** Lifecycle event 11 (active from 2026-06-10, 1 seat) for another customer, subscription and item. */
function subscriptionFor(customerId: string, tag: string, quantity: number): StripeEvent {
  const text = JSON.stringify(byId("11"))
    .replaceAll(ALICE, customerId)
    .replaceAll("sub_TqSub00000000001", `sub_TqSub${tag}`)
    .replaceAll("si_TqItem0000000001", `si_TqItem${tag}`)
    .replaceAll("evt_TqLifecycle000011", `evt_TqSub${tag}`);
  const event = JSON.parse(text) as StripeEvent & { data: { object: { items: { data: Obj[] } } } };
  event.data.object.items.data[0]!.quantity = quantity;
  delete (event.data as { previous_attributes?: unknown }).previous_attributes;
  return event;
}

let h: DbHandle;
let workspace: Workspace;
let outcomes: Record<string, string>;

beforeAll(async () => {
  h = await createTestDb();
  workspace = await createTestWorkspace(h.db);
  const connection = { id: `con_${workspace.id.slice(3)}`, workspaceId: workspace.id };
  const alice07 = byId("07").data.object as Obj;
  const legacy = loadFixture<{ data: { object: Obj } }>("legacy-api-2020", "customer_updated").data.object;
  const extra: StripeEvent[] = [
    // Alice moves to Berlin on 2026-06-01, after the lifecycle's customer.created (no address).
    customerEvent("evt_TqCountryAliceDE", "customer.updated", 1780300800, {
      ...alice07,
      address: { ...nullAddress, country: "DE", city: "Berlin" },
    }),
    // An older update (2026-05-28) arriving late: stale, so it cannot take Alice back to France.
    customerEvent("evt_TqCountryAliceFR", "customer.updated", 1779958800, {
      ...alice07,
      address: { ...nullAddress, country: "FR" },
    }),
    // Bob in the 2020-03-02 shape: address null, a shipping address in gb (lower case, as free text may arrive).
    customerEvent(
      "evt_TqCountryBob",
      "customer.created",
      1779871800,
      {
        ...legacy,
        id: "cus_TqBob000000001",
        email: "billing@bob.example",
        name: "Bob Ltd",
        shipping: { ...(legacy.shipping as Obj), address: { ...nullAddress, country: "gb" } },
      },
      "2020-03-02",
    ),
    subscriptionFor("cus_TqBob000000001", "Bob00001", 2),
    // Carol: no billing address and no shipping address.
    customerEvent("evt_TqCountryCarol", "customer.created", 1779871800, {
      ...alice07,
      id: "cus_TqCarol0000001",
      email: "billing@carol.example",
      name: "Carol SA",
    }),
    subscriptionFor("cus_TqCarol0000001", "Carol001", 1),
  ];
  outcomes = {};
  for (const event of [...lifecycle, ...extra])
    outcomes[event.id] = await ingestEvent({ db: h.db, connection, event, onApplied: refreshLedgerOnApplied });
}, 120_000);
afterAll(async () => h?.close());

const countryOf = async (id: string) =>
  (
    await h.db
      .select({ country: customers.country })
      .from(customers)
      .where(and(eq(customers.workspaceId, workspace.id), eq(customers.id, id)))
  )[0]?.country ?? null;

const view = (query: Record<string, string>) =>
  parseFinanceParams({ from: "2026-06-01", to: "2026-06-20", ...query }, workspace.timezone);

describe("customer.created / customer.updated set the customer's country", () => {
  it("stores DE for Alice from the later update; the older FR update is stale", async () => {
    expect(outcomes.evt_TqCountryAliceDE).toBe("applied");
    expect(outcomes.evt_TqCountryAliceFR).toBe("stale");
    expect(await countryOf(ALICE)).toBe("DE");
  });
  it("stores GB for Bob from the shipping address, upper case, and null for Carol", async () => {
    expect(outcomes.evt_TqCountryBob).toBe("applied");
    expect(await countryOf("cus_TqBob000000001")).toBe("GB");
    expect(await countryOf("cus_TqCarol0000001")).toBeNull();
  });
  it("keeps the stored country when a customer.deleted stub names no address", async () => {
    const connection = { id: `con_${workspace.id.slice(3)}`, workspaceId: workspace.id };
    await ingestEvent({
      db: h.db,
      connection,
      event: customerEvent("evt_TqCountryDaveNew", "customer.created", 1779871800, {
        ...(byId("07").data.object as Obj),
        id: "cus_TqDave00000001",
        address: { ...nullAddress, country: "US" },
      }),
    });
    const stub = { id: "cus_TqDave00000001", object: "customer", deleted: true };
    const deleted = { ...customerEvent("evt_TqCountryDaveDel", "customer.updated", 1779900000, stub) };
    expect(await ingestEvent({ db: h.db, connection, event: { ...deleted, type: "customer.deleted" } })).toBe(
      "applied",
    );
    expect(await countryOf("cus_TqDave00000001")).toBe("US");
  });
});

describe("MRR by country on the finance view, as of 2026-06-20", () => {
  it("groups 10500 as DE 4500, GB 4000 and unknown 2000, adding up to the headline MRR", async () => {
    const d = await loadFinanceDashboard(workspace, h.db, view({}));
    expect(d.headline.values.mrr).toBe(10500);
    expect(d.breakdown.country).toEqual([
      { key: "DE", label: "DE", mrr: 4500, customers: 1 },
      { key: "GB", label: "GB", mrr: 4000, customers: 1 },
      { key: "unknown", label: "unknown", mrr: 2000, customers: 1 },
    ]);
    expect(d.breakdown.country.reduce((s, c) => s + c.mrr, 0)).toBe(d.headline.values.mrr);
    expect(d.breakdown.currency.reduce((s, c) => s + c.mrr, 0)).toBe(10500);
  });

  it.each([
    [{ country: "DE" }, 4500, 1],
    [{ country: "de" }, 4500, 1],
    [{ country: "GB" }, 4000, 1],
    [{ country: "unknown" }, 2000, 1],
    [{ country: "US" }, 0, 0],
    [{ country: "GB", currency: "usd" }, 4000, 1],
    [{ country: "GB", billing: "month:1" }, 4000, 1],
    [{ country: "GB", billing: "year:1" }, 0, 0],
    [{ country: "Germany" }, 10500, 3],
  ])("filter %o: MRR %i, %i paying", async (query, mrr, paying) => {
    const d = await loadFinanceDashboard(workspace, h.db, view(query));
    expect([d.headline.values.mrr, d.headline.values.payingCustomers]).toEqual([mrr, paying]);
    expect(d.breakdown.country.reduce((s, c) => s + c.mrr, 0)).toBe(mrr);
    expect(d.breakdown.plan.reduce((s, c) => s + c.mrr, 0)).toBe(mrr);
  });

  it("offers every country once, unknown last (Dave, deleted, still counts as a US customer)", async () => {
    expect((await listFilterOptions(workspace.id, h.db)).countries).toEqual(["DE", "GB", "US", "unknown"]);
  });

  it("drills from a country to its customers, with the country on each row", async () => {
    const page = await listCustomerPage(workspace.id, h.db, {
      asOf: "2026-06-20",
      status: "paying",
      filter: { country: "GB" },
      sort: "mrr",
      dir: "desc",
      limit: 50,
      offset: 0,
    });
    expect(page.rows.map((r) => [r.id, r.mrr, r.country])).toEqual([["cus_TqBob000000001", 4000, "GB"]]);
    expect([page.total, page.totalMrr]).toEqual([1, 4000]);
    const unknown = await listRevenueBreakdown(workspace.id, h.db, {
      day: "2026-06-20",
      filter: { country: "unknown" },
    });
    expect(unknown.country).toEqual([{ key: "unknown", label: "unknown", mrr: 2000, customers: 1 }]);
  });
});

describe("backfill", () => {
  it("sets the country through the same handler: a listed customer with only a shipping address in CA", async () => {
    const ws = await createTestWorkspace(h.db);
    const connection = { id: `con_${ws.id.slice(3)}`, workspaceId: ws.id };
    // What the backfill stores for each customer Stripe lists: a pseudo-event `backfill.customer` (lib/stripe/backfill.ts).
    const listed = {
      ...(byId("07").data.object as Obj),
      id: "cus_TqErin00000001",
      shipping: { address: { ...nullAddress, country: "CA" }, name: "Erin Inc", phone: null },
    };
    const event = { ...customerEvent("evt_backfill_erin", "customer.created", 1779871800, listed) };
    expect(await ingestEvent({ db: h.db, connection, event: { ...event, type: "backfill.customer" } })).toBe("applied");
    const [row] = await h.db
      .select({ country: customers.country })
      .from(customers)
      .where(and(eq(customers.workspaceId, ws.id), eq(customers.id, "cus_TqErin00000001")));
    expect(row?.country).toBe("CA");
  });
});
