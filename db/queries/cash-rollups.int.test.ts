import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/db/client";
import { invoicePaymentFailures, invoices, paidInvoiceDaily, paymentRecoveryDaily, workspaces } from "@/db/schema";
import { createTestDb } from "@/db/testing";
import { createTestWorkspace } from "@/db/testing/factories";
import { endOfLocalDay, startOfLocalDay, toLocalDay } from "@/lib/metrics/time";
import {
  listPaidInvoiceGroups,
  listPaidInvoiceGroupsFromInvoices,
  listRecoveryGroups,
  listRecoveryGroupsFromInvoices,
} from "./finance";

// The cash rollups (ADR 0014) are kept by triggers on invoices and invoice_payment_failures. Whatever the order
// and shape of the writes, they must hold what the invoices and failures give, and cash collected and recovery
// read from them must equal the same read from the invoices.

let h: DbHandle;
let ws: { id: string; timezone: string };

beforeAll(async () => {
  h = await createTestDb();
  ws = await createTestWorkspace(h.db, { timezone: "America/New_York" });
});
afterAll(async () => h?.close());

const fresh = { connectionId: "conn_1", lastEventKey: "k", lastEventId: "evt", lastEventCreated: new Date(0) };

function invoice(
  id: string,
  v: { created: string; status: string; due: number; paid?: number; paidAt?: string; reportedAt?: string },
) {
  return {
    workspaceId: ws.id,
    id,
    customerId: "cus_1",
    status: v.status,
    currency: "usd",
    amountDue: v.due,
    amountPaid: v.paid ?? 0,
    amountRemaining: v.due - (v.paid ?? 0),
    subtotal: v.due,
    total: v.due,
    attemptCount: 1,
    created: new Date(v.created),
    paidAt: v.paidAt ? new Date(v.paidAt) : null,
    ...fresh,
    ...(v.reportedAt ? { lastEventCreated: new Date(v.reportedAt) } : {}),
  };
}

const failure = (invoiceId: string, eventId: string, failedAt: string, due: number) => ({
  workspaceId: ws.id,
  invoiceId,
  eventId,
  customerId: "cus_1",
  failedAt: new Date(failedAt),
  amountDue: due,
  currency: "usd",
  attemptCount: 1,
});

async function rollups(workspaceId = ws.id) {
  const paid = await h.db
    .select({
      day: paidInvoiceDaily.day,
      amount: paidInvoiceDaily.amount,
      createdAfter: paidInvoiceDaily.createdAfter,
      count: paidInvoiceDaily.count,
    })
    .from(paidInvoiceDaily)
    .where(eq(paidInvoiceDaily.workspaceId, workspaceId));
  const recovery = await h.db
    .select({
      day: paymentRecoveryDaily.day,
      due: paymentRecoveryDaily.due,
      paidDay: paymentRecoveryDaily.paidDay,
      amountPaid: paymentRecoveryDaily.amountPaid,
      createdAfter: paymentRecoveryDaily.createdAfter,
      count: paymentRecoveryDaily.count,
    })
    .from(paymentRecoveryDaily)
    .where(eq(paymentRecoveryDaily.workspaceId, workspaceId));
  const key = (r: object) => JSON.stringify(r);
  const plain = <T extends { createdAfter: Date }>(rows: T[]) =>
    rows
      .map((r) => ({
        ...r,
        createdAfter: Number.isFinite(r.createdAfter.getTime()) ? r.createdAfter.toISOString() : "-inf",
      }))
      .sort((a, b) => (key(a) < key(b) ? -1 : 1));
  return { paid: plain(paid), recovery: plain(recovery) };
}

/** The rollups worked out in JS from the invoices and failures the database holds now. */
async function expectedRollups(workspaceId: string, timeZone: string) {
  const inv = await h.db.select().from(invoices).where(eq(invoices.workspaceId, workspaceId));
  const fails = await h.db
    .select()
    .from(invoicePaymentFailures)
    .where(eq(invoicePaymentFailures.workspaceId, workspaceId));
  const paid = new Map<string, { day: string; amount: number; createdAfter: string; count: number }>();
  type RecoveryRow = {
    day: string;
    due: number;
    paidDay: string;
    amountPaid: number;
    createdAfter: string;
    count: number;
  };
  const recovery = new Map<string, RecoveryRow>();
  for (const i of inv) {
    const isPaid = i.status === "paid" && i.paidAt !== null;
    if (isPaid) {
      const r = {
        day: toLocalDay(i.paidAt!.getTime(), timeZone),
        amount: i.amountPaid,
        createdAfter: i.created > i.paidAt! ? i.created.toISOString() : "-inf",
      };
      const k = JSON.stringify(r);
      paid.set(k, { ...r, count: (paid.get(k)?.count ?? 0) + 1 });
    }
    const first = fails
      .filter((f) => f.invoiceId === i.id)
      .sort((a, b) => a.failedAt.getTime() - b.failedAt.getTime() || (a.eventId < b.eventId ? -1 : 1))[0];
    if (!first) continue;
    // Recovered by the paid day, or for a part paid on an invoice still open by the day its state was reported.
    const paidBy = isPaid ? i.paidAt : i.status === "open" && i.amountPaid > 0 ? i.lastEventCreated : null;
    const r = {
      day: toLocalDay(first.failedAt.getTime(), timeZone),
      due: first.amountDue,
      paidDay: paidBy ? toLocalDay(paidBy.getTime(), timeZone) : "infinity",
      amountPaid: paidBy ? i.amountPaid : 0,
      createdAfter: i.created > first.failedAt ? i.created.toISOString() : "-inf",
    };
    const k = JSON.stringify(r);
    recovery.set(k, { ...r, count: (recovery.get(k)?.count ?? 0) + 1 });
  }
  const key = (r: object) => JSON.stringify(r);
  const sorted = <T extends object>(rows: T[]) => rows.sort((a, b) => (key(a) < key(b) ? -1 : 1));
  return { paid: sorted([...paid.values()]), recovery: sorted([...recovery.values()]) };
}

const range = (from: string, asOf: string, timeZone = ws.timezone) => ({
  from: new Date(startOfLocalDay(from, timeZone)),
  before: new Date(endOfLocalDay(asOf, timeZone)),
  timeZone,
});

const byKey = <T extends object>(rows: T[]) =>
  [...rows].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));

async function readsAgree(workspaceId: string, from: string, asOf: string, timeZone = ws.timezone) {
  const r = range(from, asOf, timeZone);
  expect(byKey(await listPaidInvoiceGroups(workspaceId, h.db, r))).toEqual(
    byKey(await listPaidInvoiceGroupsFromInvoices(workspaceId, h.db, r)),
  );
  expect(byKey(await listRecoveryGroups(workspaceId, h.db, r))).toEqual(
    byKey(await listRecoveryGroupsFromInvoices(workspaceId, h.db, r)),
  );
}

describe("cash rollups", () => {
  it("follow a failed invoice through out-of-order failures, a same-second tie, payment and a time zone change", async () => {
    // The failure arrives before its invoice: nothing to count yet.
    await h.db.insert(invoicePaymentFailures).values(failure("in_a", "evt_5", "2026-03-01T03:00:00Z", 5000));
    expect(await rollups()).toEqual({ paid: [], recovery: [] });

    // The invoice arrives, open: its first failure was 22:00 on 28 Feb in New York.
    await h.db.insert(invoices).values(invoice("in_a", { created: "2026-02-27T12:00:00Z", status: "open", due: 5000 }));
    const unpaid = { paidDay: "infinity", amountPaid: 0, createdAfter: "-inf", count: 1 };
    expect((await rollups()).recovery).toEqual([{ day: "2026-02-28", due: 5000, ...unpaid }]);

    // Two paid invoices on 1 March local (23:30 and 20:00), one created after it was paid.
    await h.db.insert(invoices).values([
      invoice("in_b", {
        created: "2026-03-01T12:00:00Z",
        status: "paid",
        due: 2000,
        paid: 2000,
        paidAt: "2026-03-02T04:30:00Z",
      }),
      invoice("in_c", {
        created: "2026-03-02T09:00:00Z",
        status: "paid",
        due: 2000,
        paid: 2000,
        paidAt: "2026-03-02T01:00:00Z",
      }),
    ]);
    expect((await rollups()).paid).toEqual([
      { day: "2026-03-01", amount: 2000, createdAfter: "-inf", count: 1 },
      { day: "2026-03-01", amount: 2000, createdAfter: "2026-03-02T09:00:00.000Z", count: 1 },
    ]);
    // As of 1 March the late-created one is not known yet; as of 2 March it is.
    expect(await listPaidInvoiceGroups(ws.id, h.db, range("2026-03-01", "2026-03-01"))).toEqual([
      { kind: "invoice", currency: "usd", day: "2026-03-01", amount: 2000, count: 1 },
    ]);
    expect(await listPaidInvoiceGroups(ws.id, h.db, range("2026-03-01", "2026-03-02"))).toEqual([
      { kind: "invoice", currency: "usd", day: "2026-03-01", amount: 2000, count: 2 },
    ]);

    // An earlier failure arrives late: the invoice's part moves to 27 Feb, 4000 due, and the old row goes.
    await h.db.insert(invoicePaymentFailures).values(failure("in_a", "evt_7", "2026-02-27T15:00:00Z", 4000));
    expect((await rollups()).recovery).toEqual([{ day: "2026-02-27", due: 4000, ...unpaid }]);
    // Another failure in the same second with a smaller event id is the first one.
    await h.db.insert(invoicePaymentFailures).values(failure("in_a", "evt_3", "2026-02-27T15:00:00Z", 3000));
    expect((await rollups()).recovery).toEqual([{ day: "2026-02-27", due: 3000, ...unpaid }]);
    // A repeated delivery changes nothing.
    await h.db
      .insert(invoicePaymentFailures)
      .values(failure("in_a", "evt_3", "2026-02-27T15:00:00Z", 3000))
      .onConflictDoNothing();
    expect((await rollups()).recovery).toEqual([{ day: "2026-02-27", due: 3000, ...unpaid }]);

    // 1000 of it paid on 3 March (reported 16:00 UTC, 11:00 in New York), still open: recovered as of the 3rd.
    await h.db
      .update(invoices)
      .set({ amountPaid: 1000, amountRemaining: 4000, lastEventCreated: new Date("2026-03-03T16:00:00Z") })
      .where(and(eq(invoices.workspaceId, ws.id), eq(invoices.id, "in_a")));
    expect((await rollups()).recovery).toEqual([
      { day: "2026-02-27", due: 3000, paidDay: "2026-03-03", amountPaid: 1000, createdAfter: "-inf", count: 1 },
    ]);
    const recovery = (asOf: string) => listRecoveryGroups(ws.id, h.db, range("2026-02-01", asOf));
    const recovered = async (asOf: string) => (await recovery(asOf)).map((g) => [g.due, g.recovered]);
    expect([await recovered("2026-03-02"), await recovered("2026-03-03")]).toEqual([[[3000, 0]], [[3000, 1000]]]);
    for (const asOf of ["2026-03-02", "2026-03-03"]) await readsAgree(ws.id, "2026-02-01", asOf);

    // Paid on 5 March: recovered as of the 5th, not as of the 4th.
    await h.db
      .update(invoices)
      .set({ status: "paid", amountPaid: 5000, amountRemaining: 0, paidAt: new Date("2026-03-05T15:00:00Z") })
      .where(and(eq(invoices.workspaceId, ws.id), eq(invoices.id, "in_a")));
    expect((await rollups()).recovery).toEqual([
      { day: "2026-02-27", due: 3000, paidDay: "2026-03-05", amountPaid: 5000, createdAfter: "-inf", count: 1 },
    ]);
    expect(await recovery("2026-03-04")).toEqual([
      { currency: "usd", day: "2026-02-27", due: 3000, recovered: 0, count: 1 },
    ]);
    expect(await recovery("2026-03-05")).toEqual([
      { currency: "usd", day: "2026-02-27", due: 3000, recovered: 5000, count: 1 },
    ]);
    expect((await rollups()).paid).toContainEqual({ day: "2026-03-05", amount: 5000, createdAfter: "-inf", count: 1 });
    for (const [from, asOf] of [
      ["2026-02-01", "2026-02-28"],
      ["2026-02-01", "2026-03-31"],
      ["2026-03-01", "2026-03-01"],
      ["2026-03-02", "2026-03-05"],
    ] as const)
      await readsAgree(ws.id, from, asOf);

    // A deleted invoice leaves the rollups; its failures stay, and count again if it comes back.
    await h.db.delete(invoices).where(and(eq(invoices.workspaceId, ws.id), eq(invoices.id, "in_a")));
    expect((await rollups()).recovery).toEqual([]);
    expect((await rollups()).paid.map((r) => r.day)).toEqual(["2026-03-01", "2026-03-01"]);

    // In UTC the invoice paid at 04:30 UTC on 2 March counts on the 2nd: a new time zone rebuilds the rollups.
    await h.db.update(workspaces).set({ timezone: "UTC" }).where(eq(workspaces.id, ws.id));
    expect((await rollups()).paid).toEqual([
      { day: "2026-03-02", amount: 2000, createdAfter: "-inf", count: 1 },
      { day: "2026-03-02", amount: 2000, createdAfter: "2026-03-02T09:00:00.000Z", count: 1 },
    ]);
    await h.db.update(workspaces).set({ timezone: "America/New_York" }).where(eq(workspaces.id, ws.id));
  });

  it("hold what the invoices and failures give after random writes, and read like the invoices", async () => {
    const other = await createTestWorkspace(h.db, { timezone: "Pacific/Auckland" });
    // A small deterministic generator: the same writes on every run. 32-bit arithmetic (Math.imul), high bits taken:
    // a float product loses its low bits, and an LCG's low bits cycle shortly.
    let seed = 20261202;
    const next = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 16) % n;
    };
    const dayAt = (n: number) => new Date(Date.UTC(2026, 0, 1) + n * 3_600_000 * 7).toISOString();
    const ids = Array.from({ length: 12 }, (_, i) => `in_r${i}`);
    let partSeen = false;
    for (let step = 0; step < 200; step++) {
      const id = ids[next(ids.length)]!;
      const op = next(20);
      const created = dayAt(next(200));
      const where = and(eq(invoices.workspaceId, other.id), eq(invoices.id, id));
      const row = {
        ...invoice(id, { created, status: "open", due: 1000 * (1 + next(3)) }),
        workspaceId: other.id,
      };
      if (op < 8) {
        // a newer-wins style upsert: insert, or update when present; open ones partly paid now and then
        const paidAt = op < 6 && next(2) === 0 ? dayAt(next(200)) : undefined;
        const part = op >= 6 ? { amountPaid: 500, lastEventCreated: new Date(dayAt(next(200))) } : {};
        const v = paidAt
          ? { ...row, status: "paid", amountPaid: row.amountDue, paidAt: new Date(paidAt) }
          : { ...row, ...part };
        await h.db
          .insert(invoices)
          .values(v)
          .onConflictDoUpdate({ target: [invoices.workspaceId, invoices.id], set: v });
      } else if (op < 14) {
        await h.db
          .insert(invoicePaymentFailures)
          .values({ ...failure(id, `evt_${next(40)}`, dayAt(next(200)), 1000 * (1 + next(3))), workspaceId: other.id })
          .onConflictDoNothing();
      } else if (op < 15) {
        await h.db.delete(invoices).where(where);
      } else if (op < 16) {
        await h.db
          .delete(invoicePaymentFailures)
          .where(and(eq(invoicePaymentFailures.workspaceId, other.id), eq(invoicePaymentFailures.invoiceId, id)));
      } else if (op < 18) {
        // a failure moved in time (no writer does this; the trigger must still follow)
        await h.db.execute(sql`
          update invoice_payment_failures set failed_at = failed_at - interval '3 days'
          where workspace_id = ${other.id} and invoice_id = ${id}`);
      } else {
        await h.db.update(invoices).set({ status: "void" }).where(where);
      }
      if (step % 20 === 19) {
        const now = await rollups(other.id);
        expect(now).toEqual(await expectedRollups(other.id, other.timezone));
        partSeen ||= now.recovery.some((r) => r.amountPaid === 500);
      }
    }
    const final = await rollups(other.id);
    expect(final.paid.length).toBeGreaterThan(2);
    expect(final.recovery.length).toBeGreaterThan(2);
    expect(final.recovery.some((r) => r.paidDay !== "infinity")).toBe(true);
    expect(partSeen).toBe(true);
    for (const [from, asOf] of [
      ["2026-01-01", "2026-01-31"],
      ["2026-02-01", "2026-02-28"],
      ["2026-01-15", "2026-03-31"],
    ] as const)
      await readsAgree(other.id, from, asOf, other.timezone);
    // The rebuild (migration 0008's backfill, a time zone change) gives the same rows.
    await h.db.execute(sql`select cash_rollups_rebuild(${other.id})`);
    expect(await rollups(other.id)).toEqual(final);
    // A statement of 12,000 rows goes in chunks of 5,000: the same rows as one by one.
    await h.db.execute(sql`
      insert into invoices (workspace_id, id, customer_id, status, currency, amount_due, amount_paid,
        amount_remaining, subtotal, total, attempt_count, created, paid_at, connection_id, last_event_key,
        last_event_id, last_event_created)
      select ${other.id}, 'in_bulk' || g, 'cus_1', 'paid', 'usd', 100 * (g % 7), 100 * (g % 7), 0, 0, 0, 1,
        timestamptz '2026-01-01' + g * interval '37 minutes', timestamptz '2026-01-01' + g * interval '41 minutes',
        'conn_1', 'k', 'evt', timestamptz '1970-01-01'
      from generate_series(1, 12000) g`);
    const bulk = await rollups(other.id);
    expect(bulk).toEqual(await expectedRollups(other.id, other.timezone));
    expect(bulk.paid.reduce((n, r) => n + r.count, 0)).toBe(final.paid.reduce((n, r) => n + r.count, 0) + 12000);
    await h.db.execute(sql`select cash_rollups_rebuild(${other.id})`);
    expect(await rollups(other.id)).toEqual(bulk);
    // Deleting everything empties them.
    await h.db.delete(invoicePaymentFailures).where(eq(invoicePaymentFailures.workspaceId, other.id));
    await h.db.delete(invoices).where(eq(invoices.workspaceId, other.id));
    expect(await rollups(other.id)).toEqual({ paid: [], recovery: [] });
  });
});
