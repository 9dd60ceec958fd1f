import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/db/client";
import { listChargeRecords } from "@/db/queries/finance";
import { countIngestEvents } from "@/db/queries/ingest-events";
import { customers, subscriptionItems, subscriptions } from "@/db/schema";
import { createTestDb } from "@/db/testing";
import { createTestWorkspace } from "@/db/testing/factories";
import { generateCommand } from "@/lib/admin/generate-command";
import { parseFlags } from "@/lib/admin/registry";
import { loadFinanceInput } from "@/lib/kpi/testing/reference";
import { computeFinanceKpis } from "@/lib/metrics/finance";
import { listConnections } from "@/lib/stripe/connections";
import { TEST_ENCRYPTION_KEY } from "@/lib/stripe/testing";
import { generateBusiness, type BusinessSummary } from "./index";
import { loadGeneratedBusiness, type LoadResult } from "./load";

process.env.ENCRYPTION_KEY ??= TEST_ENCRYPTION_KEY;

let h: DbHandle;
beforeAll(async () => {
  h = await createTestDb();
});
afterAll(async () => h?.close());

const OPTIONS = { seed: "int", customers: 30, months: 6, endDate: "2026-06-30" } as const;

describe("generate 30 customers × 6 months through ingestEvent and insertIngestEvents", () => {
  let workspaceId: string;
  let connection: { id: string; workspaceId: string };
  let summary: BusinessSummary;
  let first: LoadResult;
  let ms: number;

  beforeAll(async () => {
    const ws = await createTestWorkspace(h.db);
    workspaceId = ws.id;
    connection = { id: `con_${ws.id.slice(3)}`, workspaceId };
    const business = generateBusiness(OPTIONS);
    const started = performance.now();
    first = await loadGeneratedBusiness({ db: h.db, workspaceId, connection, business });
    ms = performance.now() - started;
    summary = business.summary();
    console.info(`generate.int: ${first.events} Stripe + ${first.ingest} ingest events in ${Math.round(ms)} ms`);
  });

  it("stores every event once and rejects none (every object passes the projection's validation)", () => {
    expect(first.events).toBe(summary.stripeEvents);
    expect(first.ingest).toBe(summary.ingestEvents);
    expect(first.duplicates).toEqual({ events: 0, ingest: 0 });
    expect(first.outcomes.rejected ?? 0).toBe(0);
    expect(first.outcomes.applied).toBeGreaterThan(summary.stripeEvents * 0.9);
  });

  it("projects each subscription to the generator's final status, price and quantity", async () => {
    const rows = await h.db.select().from(subscriptions).where(eq(subscriptions.workspaceId, workspaceId));
    const items = await h.db.select().from(subscriptionItems).where(eq(subscriptionItems.workspaceId, workspaceId));
    const projected = rows
      .map((r) => ({
        id: r.id,
        customerId: r.customerId,
        status: r.status,
        cancelAtPeriodEnd: r.cancelAtPeriodEnd,
        items: items
          .filter((i) => i.subscriptionId === r.id)
          .map((i) => ({ id: i.id, priceId: i.priceId, quantity: i.quantity }))
          .sort((a, b) => a.id.localeCompare(b.id)),
      }))
      .sort((a, b) => a.id.localeCompare(b.id));
    const expected = summary.customers
      .flatMap((c) => c.subscriptions)
      .map((s) => ({
        id: s.id,
        customerId: s.customerId,
        status: s.status,
        cancelAtPeriodEnd: s.cancelAtPeriodEnd,
        items: s.items.map((i) => ({ id: i.id, priceId: i.priceId, quantity: i.quantity })),
      }))
      .sort((a, b) => a.id.localeCompare(b.id));
    expect(projected.length).toBeGreaterThan(20);
    expect(projected).toEqual(expected);
  });

  it("projects each customer's country as the generator placed it (billing, else shipping address; else null)", async () => {
    const rows = await h.db
      .select({ id: customers.id, country: customers.country })
      .from(customers)
      .where(eq(customers.workspaceId, workspaceId));
    const projected = Object.fromEntries(rows.map((r) => [r.id, r.country]));
    const expected = Object.fromEntries(summary.customers.map((c) => [c.customerId, c.country]));
    expect(projected).toEqual(expected);
    expect(new Set(Object.values(expected)).size).toBeGreaterThan(2);
  });

  it("keeps unit amounts and currency in the resolved state (eur customers priced in eur)", async () => {
    const rows = await h.db.select().from(subscriptions).where(eq(subscriptions.workspaceId, workspaceId));
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const c of summary.customers)
      for (const s of c.subscriptions) {
        const row = byId.get(s.id)!;
        expect(row.currency).toBe(c.currency);
        expect(row.state.items.map((i) => [i.price.id, i.price.unitAmountDecimal, i.price.currency])).toEqual(
          s.items.map((i) => [i.priceId, String(i.unitAmount), c.currency]),
        );
      }
  });

  it("is idempotent: the same seed again stores nothing new (same event ids → duplicates)", async () => {
    const again = await loadGeneratedBusiness({
      db: h.db,
      workspaceId,
      connection,
      business: generateBusiness(OPTIONS),
    });
    expect(again.duplicates).toEqual({ events: summary.stripeEvents, ingest: summary.ingestEvents });
    expect(await countIngestEvents(workspaceId, h.db)).toBe(summary.ingestEvents);
    const [row] = await h.db
      .select({ n: subscriptions.id })
      .from(subscriptions)
      .where(and(eq(subscriptions.workspaceId, workspaceId)));
    expect(row).toBeDefined();
  });
});

describe("cash collected from a generated business (seed 'cash193', 5 customers × 3 months to 2026-06-30, usd)", () => {
  // Worked from the generated events. April: in_5gkSLavEVVR59SJ7pU8H9vCb (2026-10-28 shape) paid 99.00 on 04-14
  // through pi_LiaCftl7e9FBctabzmLlqZ3p; its charge ch_YF2WeUC49iBPphSAApqLSiys arrives only with the partial
  // refund of 49.50 on 04-28 (charge.refunded), naming no invoice. May: 99.00 + 99.00 + 990.00 paid (and one 0.00
  // trial invoice). June: 29.00 (2020-03-02 shape) + 107.44 + 99.00. No other charge or refund.
  let workspace: Awaited<ReturnType<typeof createTestWorkspace>>;
  beforeAll(async () => {
    workspace = await createTestWorkspace(h.db);
    const business = generateBusiness({
      seed: "cash193",
      customers: 5,
      months: 3,
      endDate: "2026-06-30",
      currencies: ["usd"],
    });
    const connection = { id: `con_${workspace.id.slice(3)}`, workspaceId: workspace.id };
    await loadGeneratedBusiness({ db: h.db, workspaceId: workspace.id, connection, business });
  });
  const cashIn = async (asOf: string) =>
    computeFinanceKpis(await loadFinanceInput(workspace, h.db, { asOf })).kpis.cashCollected.value;

  it("counts April as 99.00 paid − 49.50 refunded = 49.50, the refunded charge being the invoice's payment (not 148.50)", async () => {
    expect(await cashIn("2026-04-30")).toBe(9900 - 4950);
    const [charge] = await listChargeRecords(workspace.id, h.db, { before: new Date("2026-07-01T00:00:00Z") });
    expect([charge?.id, charge?.invoiceId]).toEqual(["ch_YF2WeUC49iBPphSAApqLSiys", "in_5gkSLavEVVR59SJ7pU8H9vCb"]);
  });

  it("counts May as 99.00 + 99.00 + 990.00 = 1,188.00 and June as 29.00 + 107.44 + 99.00 = 235.44", async () => {
    expect([await cashIn("2026-05-31"), await cashIn("2026-06-30")]).toEqual([
      9900 + 9900 + 99000,
      2900 + 10744 + 9900,
    ]);
  });
});

describe("the admin command", () => {
  const small = { seed: "cmd", customers: 12, months: 4, endDate: "2026-04-30" } as const;

  it("creates a 'Demo data' connection, prints progress and answers {events, ingest}; a re-run only finds duplicates", async () => {
    const ws = await createTestWorkspace(h.db);
    const flags = parseFlags(generateCommand.flags, {
      workspace: ws.slug,
      customers: "12",
      months: "4",
      seed: "cmd",
      endDate: "2026-04-30",
    });
    const lines: string[] = [];
    const run = () => generateCommand.run({ handle: h, flags, progress: (l) => lines.push(l), appUrl: "http://x" });
    const first = (await run()) as { events: number; ingest: number; duplicates: { events: number; ingest: number } };
    const summary = generateBusiness(small);
    for (const _ of summary);
    expect(first).toMatchObject({
      events: summary.summary().stripeEvents,
      ingest: summary.summary().ingestEvents,
      duplicates: { events: 0, ingest: 0 },
    });
    expect(lines.at(-2)).toMatch(/^generate: [\d,]+ events \(100%\)$/);
    expect(lines.at(-1)).toBe("generate: computing MRR history");
    const connections = await listConnections(ws.id, h.db);
    expect(connections.map((c) => c.name)).toEqual(["Demo data"]);
    const again = (await run()) as typeof first;
    expect(again.duplicates).toEqual({ events: first.events, ingest: first.ingest });
    expect(await listConnections(ws.id, h.db)).toHaveLength(1);
  });

  it("rejects bad flags with a line naming the flag", () => {
    expect(() =>
      parseFlags(generateCommand.flags, { workspace: "acme", customers: "0", months: "24", seed: "s" }),
    ).toThrow("--customers must be at least 1");
    expect(() =>
      parseFlags(generateCommand.flags, {
        workspace: "acme",
        customers: "3",
        months: "2",
        seed: "s",
        endDate: "2026-02-30",
      }),
    ).toThrow("--end-date must be a date YYYY-MM-DD");
  });
});
