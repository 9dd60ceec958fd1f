// The webhook's hot path in statements: what one event costs the database, so that a change which adds a round
// trip shows here (docs/decisions/0011-webhook-round-trips.md). Counted on a drizzle logger over the test database.
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb } from "@/db/testing";
import { createTestWorkspace } from "@/db/testing/factories";
import type { DbHandle } from "@/db/client";
import { MAX_PREPARED_PARAMS } from "@/db/prepared";
import * as schema from "@/db/schema";
import { mrrChanges, mrrDaily, stripeEventOutcomes, stripeEvents } from "@/db/schema";
import { ingestEvent } from "./ingest";
import { loadLifecycle } from "./testing";
import { countingDb as countingDbOf } from "./testing/counting-db";

let h: DbHandle;
const lifecycle = loadLifecycle();
const byId = (suffix: string) => lifecycle.find((e) => e.id.endsWith(suffix))!;

beforeAll(async () => {
  h = await createTestDb();
});
afterAll(async () => h?.close());

const countingDb = (log: string[], full?: { text: string; params: unknown[] }[]) => countingDbOf(h, log, full);

async function setup(upTo: number) {
  const ws = await createTestWorkspace(h.db);
  const connection = { id: "con_statements", workspaceId: ws.id };
  for (const event of lifecycle.slice(0, upTo)) await ingestEvent({ db: h.db, connection, event });
  return connection;
}

const outcomeOf = (workspaceId: string, eventId: string) =>
  h.db
    .select()
    .from(stripeEventOutcomes)
    .where(and(eq(stripeEventOutcomes.workspaceId, workspaceId), eq(stripeEventOutcomes.eventId, eventId)));

async function statementsOf(connection: { id: string; workspaceId: string }, suffix: string) {
  const log: string[] = [];
  const full: { text: string; params: unknown[] }[] = [];
  const outcome = await ingestEvent({ db: countingDb(log, full), connection, event: byId(suffix) });
  return { outcome, log, full };
}

const ledgerRows = async (workspaceId: string) =>
  new Map(
    (await h.db.select().from(mrrChanges).where(eq(mrrChanges.workspaceId, workspaceId))).map((r) => [
      `${r.customerId}|${r.day}`,
      JSON.stringify(r),
    ]),
  );

describe("statements per ingested event", () => {
  it("stores an invoice.paid (event 14) in 2 statements: event with outcome, invoice with its lines", async () => {
    const connection = await setup(13);
    const { outcome, log } = await statementsOf(connection, "14");
    expect(outcome).toBe("applied");
    expect(log).toEqual(["with c", "with s"]);
  });

  it("applies a quantity change (event 15) with the ledger in 4 statements, context and locks taken by the first", async () => {
    const connection = await setup(14);
    const { outcome, log } = await statementsOf(connection, "15");
    expect(outcome).toBe("applied");
    expect(log).toEqual([
      // The configuration lock (shared), then the customer's ledger lock, then the ledger context read after them
      // (ADR 0016); the raw event and its outcome.
      "with c",
      "with s", // latest row, items and version
      "with r", // the versions that may change something, ledger rows, trial marks, whether schedules exist
      "with up", // ledger upsert and delete, rollups
    ]);
    const rows = await h.db.select().from(mrrChanges).where(eq(mrrChanges.workspaceId, connection.workspaceId));
    expect(rows.length).toBeGreaterThan(0);
  });

  it("writes the ledger in one statement with only the parts that have rows, one text per set of parts", async () => {
    const connection = await setup(14);
    const textsByParts = new Map<string, Set<string>>();
    let written = 0;
    for (const suffix of ["15", "16", "17", "18"]) {
      const before = await ledgerRows(connection.workspaceId);
      const { full } = await statementsOf(connection, suffix);
      const after = await ledgerRows(connection.workspaceId);
      // The write is whatever follows the ledger read.
      const read = full.findIndex((q) => /^with r as \(/.test(q.text.trimStart()));
      const write = read >= 0 ? full[read + 1] : undefined;
      const changed = [...after].filter(([k, v]) => before.get(k) !== v).map(([k]) => k);
      const gone = [...before.keys()].filter((k) => !after.has(k));
      if (!write) {
        expect([changed, gone]).toEqual([[], []]);
        continue;
      }
      written++;
      const parts = [...write.text.matchAll(/(?:with|,)\s+(\w+) as \(/g)].map((m) => m[1]);
      // Only the parts with rows: the ledger upsert when rows changed, its delete when rows went.
      expect(parts.length).toBeGreaterThan(0);
      expect(parts.includes("up")).toBe(changed.length > 0);
      expect(parts.includes("gone")).toBe(gone.length > 0);
      const set = textsByParts.get(parts.join()) ?? new Set<string>();
      textsByParts.set(parts.join(), set.add(write.text));
      // Few parameters (the rows travel as jsonb): the connection prepares it (db/prepared.ts).
      expect(write.params.length).toBeLessThanOrEqual(MAX_PREPARED_PARAMS);
      if (changed.length > 0) {
        const upserted = (JSON.parse(String(write.params[0])) as { customer_id: string; day: string }[]).map(
          (r) => `${r.customer_id}|${r.day}`,
        );
        expect(upserted.sort()).toEqual(changed.sort());
        expect(upserted.length).toBeLessThan(after.size);
      }
    }
    expect(written).toBeGreaterThanOrEqual(2);
    for (const texts of textsByParts.values()) expect(texts.size).toBe(1);
  });

  it("re-resolves a renamed coupon's subscriptions (event 06 again) and writes, locks and refreshes nothing", async () => {
    const connection = await setup(17);
    const renamed = structuredClone(byId("06"));
    Object.assign(renamed, { id: "evt_TqCouponRenamed01", type: "coupon.updated", created: byId("17").created + 60 });
    (renamed.data.object as { name: string }).name = "Launch offer";
    const log: string[] = [];
    expect(await ingestEvent({ db: countingDb(log), connection, event: renamed })).toBe("applied");
    expect(log).toEqual([
      "with c", // the raw event and its outcome, the configuration lock and the ledger context
      "insert coupons", // the coupon, newer-wins
      "select 'versions' as", // the versions and latest rows that name LAUNCH25 (Alice's from event 17 on)
      "with cd", // the discounts and coupons they name: the same states as stored
    ]);
  });

  it("replaces an invoice's lines only when the invoice is written (newer event), never from a stale one", async () => {
    const connection = await setup(13);
    const paid = structuredClone(byId("14"));
    const invoice = paid.data.object as { id: string; lines: { data: { id: string }[] } };
    invoice.lines.data = invoice.lines.data.map((l) => ({ ...l, id: `${l.id}_new` }));
    expect(await ingestEvent({ db: h.db, connection, event: paid })).toBe("applied");
    const lineIds = async () =>
      (
        await h.db
          .select({ id: schema.invoiceLines.id })
          .from(schema.invoiceLines)
          .where(
            and(
              eq(schema.invoiceLines.workspaceId, connection.workspaceId),
              eq(schema.invoiceLines.invoiceId, invoice.id),
            ),
          )
      ).map((r) => r.id);
    const expected = invoice.lines.data.map((l) => l.id).sort();
    expect((await lineIds()).sort()).toEqual(expected);
    const old = { ...structuredClone(byId("13")), id: "evt_TqOldInvoice0001" };
    expect(await ingestEvent({ db: h.db, connection, event: old })).toBe("stale");
    expect((await lineIds()).sort()).toEqual(expected);
  });

  it("answers a repeated event in 1 statement and an unused type in 1", async () => {
    const connection = await setup(9);
    const repeated = await statementsOf(connection, "09");
    expect([repeated.outcome, repeated.log]).toEqual(["duplicate", ["with c"]]);
    const unused = { ...byId("09"), id: "evt_TqUnused0001", type: "checkout.session.completed" };
    const log: string[] = [];
    expect(await ingestEvent({ db: countingDb(log), connection, event: unused })).toBe("ignored");
    expect(log).toEqual(["with c"]);
    const [row] = await outcomeOf(connection.workspaceId, unused.id);
    expect([row?.outcome, row?.reason]).toEqual(["ignored", null]);
  });

  it("records a stale event's outcome over the expected one (event 11 after 15)", async () => {
    const connection = await setup(10);
    await ingestEvent({ db: h.db, connection, event: byId("15") });
    expect((await statementsOf(connection, "11")).outcome).toBe("stale");
    const [row] = await outcomeOf(connection.workspaceId, byId("11").id);
    expect(row?.outcome).toBe("stale");
  });

  it("rolls back the raw event, its outcome and the projection when the one ledger write fails", async () => {
    const connection = await setup(14);
    const before = await h.db.select().from(mrrChanges).where(eq(mrrChanges.workspaceId, connection.workspaceId));
    await h.db.execute(
      sql.raw(`create or replace function northstar_test_fail() returns trigger language plpgsql as $$
      begin raise exception 'injected fault' using errcode = '57P01'; end $$`),
    );
    await h.db.execute(
      sql.raw(
        `create trigger northstar_test_fail before insert on mrr_daily for each row execute function northstar_test_fail()`,
      ),
    );
    try {
      await expect(ingestEvent({ db: h.db, connection, event: byId("15") })).rejects.toThrow();
    } finally {
      await h.db.execute(sql.raw(`drop trigger northstar_test_fail on mrr_daily`));
    }
    const id = byId("15").id;
    const ws = connection.workspaceId;
    expect(
      await h.db
        .select()
        .from(stripeEvents)
        .where(and(eq(stripeEvents.workspaceId, ws), eq(stripeEvents.id, id))),
    ).toHaveLength(0);
    expect(await outcomeOf(ws, id)).toHaveLength(0);
    expect(await h.db.select().from(mrrChanges).where(eq(mrrChanges.workspaceId, connection.workspaceId))).toEqual(
      before,
    );
    expect(await ingestEvent({ db: h.db, connection, event: byId("15") })).toBe("applied");
    expect(
      (await h.db.select().from(mrrDaily).where(eq(mrrDaily.workspaceId, connection.workspaceId))).length,
    ).toBeGreaterThan(0);
  });
});
