import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/db/client";
import { customers, invoiceLines, invoices, prices } from "@/db/schema";
import { createTestDb } from "@/db/testing";
import { createTestWorkspace } from "@/db/testing/factories";
import { upsertCustomers, upsertPrice, writeInvoices } from "./stripe-projection";

// The projection's newer-wins upserts send their rows as one jsonb parameter read as the table's row type. What
// lands must be what drizzle's builder would have stored: every column type as given, defaults for the columns a
// row leaves out, stale rows refused, and an invoice's lines replaced whatever their number.

let h: DbHandle;
let ws: string;

beforeAll(async () => {
  h = await createTestDb();
  ws = (await createTestWorkspace(h.db)).id;
});
afterAll(async () => h?.close());

const fresh = (key: string) => ({
  connectionId: "conn_1",
  lastEventKey: key,
  lastEventId: `evt_${key}`,
  lastEventCreated: new Date("2025-06-01T12:00:00.000Z"),
});

/** A customer row with no details: the tests below vary `delinquent` and the freshness. */
const base = { email: null, name: null, currency: "usd", country: null, created: null };

const storedCustomer = async (id: string) =>
  (
    await h.db
      .select()
      .from(customers)
      .where(and(eq(customers.workspaceId, ws), eq(customers.id, id)))
  )[0];

describe("newer-wins upserts from one jsonb parameter", () => {
  it("stores every column type as given and takes the default of a column the rows leave out", async () => {
    const created = new Date("2024-02-29T23:59:59.000Z");
    const given = {
      id: "cus_a",
      email: "a@example.com",
      name: 'Zoë "A" O\'Neil',
      currency: "eur",
      country: "DE",
      created,
      ...fresh("01"),
    };
    expect([...(await upsertCustomers(ws, h.db, [given]))]).toEqual(["cus_a"]);
    expect(await storedCustomer("cus_a")).toEqual({
      ...given,
      workspaceId: ws,
      delinquent: false, // the column default: the row did not give it
      discountId: null,
      deleted: false,
    });
  });

  it("replaces a row only with a newer event key, and says which rows it wrote", async () => {
    await upsertCustomers(ws, h.db, [{ id: "cus_b", ...base, delinquent: true, ...fresh("05") }]);
    const written = await upsertCustomers(ws, h.db, [
      { id: "cus_b", ...base, delinquent: false, ...fresh("04") }, // older: refused
      { id: "cus_c", ...base, delinquent: true, ...fresh("04") },
    ]);
    expect([...written]).toEqual(["cus_c"]);
    expect((await storedCustomer("cus_b"))!.delinquent).toBe(true);
    expect((await storedCustomer("cus_b"))!.lastEventKey).toBe("05");
    await upsertCustomers(ws, h.db, [{ id: "cus_b", ...base, delinquent: false, ...fresh("06") }]);
    expect((await storedCustomer("cus_b"))!.delinquent).toBe(false);
  });

  it("gives a row that leaves out a column the others give that column's default, not null", async () => {
    const written = await upsertCustomers(ws, h.db, [
      { id: "cus_d", ...base, delinquent: true, ...fresh("01") },
      { id: "cus_e", ...base, ...fresh("01") },
    ]);
    expect([...written].sort()).toEqual(["cus_d", "cus_e"]);
    expect((await storedCustomer("cus_d"))!.delinquent).toBe(true);
    expect((await storedCustomer("cus_e"))!.delinquent).toBe(false);
  });

  it("keeps a jsonb column whole, and the extra condition of a price write: a plan never replaces a price", async () => {
    const data = {
      unitAmount: 1250,
      tiers: [
        { upTo: 10, unitAmount: 100 },
        { upTo: null, unitAmount: 80 },
      ],
      note: "a\nb",
    };
    const price = { id: "price_1", productId: "prod_1", currency: "usd", type: "recurring" };
    expect(await upsertPrice(ws, h.db, { ...price, sourceObject: "price", data, ...fresh("01") })).toBe(true);
    expect(
      await upsertPrice(ws, h.db, { ...price, sourceObject: "plan", data: { unitAmount: 999 }, ...fresh("02") }),
    ).toBe(false);
    const [row] = await h.db
      .select()
      .from(prices)
      .where(and(eq(prices.workspaceId, ws), eq(prices.id, "price_1")));
    expect(row).toMatchObject({ sourceObject: "price", data, deleted: false, lastEventKey: "01" });
  });
});

describe("an invoice with its lines", () => {
  const invoice = (key: string, total: number) => ({
    id: "in_1",
    customerId: "cus_a",
    subscriptionId: "sub_1",
    status: "paid",
    currency: "usd",
    amountDue: total,
    amountPaid: total,
    amountRemaining: 0,
    subtotal: total,
    total,
    attemptCount: 1,
    billingReason: "subscription_cycle",
    created: new Date("2025-06-01T00:00:00.000Z"),
    periodStart: new Date("2025-05-01T00:00:00.000Z"),
    periodEnd: new Date("2025-06-01T00:00:00.000Z"),
    finalizedAt: null,
    paidAt: new Date("2025-06-01T00:05:00.000Z"),
    voidedAt: null,
    markedUncollectibleAt: null,
    ...fresh(key),
  });
  const line = (id: string, amount: number) => ({
    invoiceId: "in_1",
    id,
    amount,
    currency: "usd",
    subscriptionId: "sub_1",
    subscriptionItemId: null,
    priceId: "price_1",
    quantity: 2,
    proration: false,
    periodStart: new Date("2025-06-01T00:00:00.000Z"),
    periodEnd: new Date("2025-07-01T00:00:00.000Z"),
    discountAmount: 0,
  });
  const storedLines = async () =>
    (
      await h.db
        .select({ id: invoiceLines.id, amount: invoiceLines.amount })
        .from(invoiceLines)
        .where(and(eq(invoiceLines.workspaceId, ws), eq(invoiceLines.invoiceId, "in_1")))
        .orderBy(asc(invoiceLines.id))
    ).map((l) => `${l.id}:${l.amount}`);

  it("replaces the lines with the given ones, leaves them to a stale write, and deletes them all for an empty list", async () => {
    await writeInvoices(ws, h.db, {
      invoices: [invoice("01", 3000)],
      linesOf: ["in_1"],
      lines: [line("il_1", 1000), line("il_2", 1000), line("il_3", 1000)],
    });
    expect(await storedLines()).toEqual(["il_1:1000", "il_2:1000", "il_3:1000"]);

    const written = await writeInvoices(ws, h.db, {
      invoices: [invoice("03", 2500)],
      linesOf: ["in_1"],
      lines: [line("il_2", 1500), line("il_4", 1000)],
    });
    expect([...written]).toEqual(["in_1"]);
    expect(await storedLines()).toEqual(["il_2:1500", "il_4:1000"]);

    const stale = await writeInvoices(ws, h.db, { invoices: [invoice("02", 1)], linesOf: ["in_1"], lines: [] });
    expect([...stale]).toEqual([]);
    expect(await storedLines()).toEqual(["il_2:1500", "il_4:1000"]);
    const [row] = await h.db
      .select()
      .from(invoices)
      .where(and(eq(invoices.workspaceId, ws), eq(invoices.id, "in_1")));
    expect(row).toMatchObject({ total: 2500, periodEnd: new Date("2025-06-01T00:00:00.000Z"), finalizedAt: null });

    await writeInvoices(ws, h.db, { invoices: [invoice("04", 0)], linesOf: ["in_1"], lines: [] });
    expect(await storedLines()).toEqual([]);
  });
});
