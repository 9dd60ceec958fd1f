import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { rowsOf, type DbHandle } from "@/db/client";
import { lockConfigExclusive, lockCustomerLedgers } from "@/db/queries/config-lock";
import { listMrrChanges } from "@/db/queries/mrr";
import { withAppTestDb } from "@/db/testing";
import { createTestWorkspace } from "@/db/testing/factories";
import { pgCode } from "@/lib/db-errors";
import { createConnection } from "@/lib/stripe/connections";
import type { StripeEvent } from "@/lib/stripe/event";
import { ingestEvent } from "@/lib/stripe/ingest";
import { rebuildProjection } from "@/lib/stripe/rebuild";
import { loadLifecycle } from "@/lib/stripe/testing";
import { gate, pausedHook, waitsForLock } from "@/lib/stripe/testing/races";
import { systemCtx, type Workspace } from "@/lib/workspaces/context";
import { updateWorkspace } from "@/lib/workspaces/workspaces";
import { rebuildWorkspaceLedger } from "./rebuild";
import { updateMetricConfig } from "./settings";

// ADR 0016: a configuration change (policy, time zone) and a Stripe event of the same workspace never interleave.
// Each test runs the two on separate connections, holds one of them open at the point where the race did harm, and
// checks that the other waits on the workspace's configuration lock, then that the numbers are those of the new
// configuration. Postgres only: PGlite serves one connection, so nothing there runs at the same time.

const onPostgres = !!process.env.TEST_DATABASE_URL;

let h: DbHandle;
withAppTestDb((handle) => (h = handle));

const lifecycle = loadLifecycle();
const bySuffix = (n: string) => lifecycle.find((e) => e.id.endsWith(n))!;
const before = (n: number) => lifecycle.filter((e) => Number(e.id.slice(-2)) < n);

async function seed(events: StripeEvent[]) {
  const workspace: Workspace = await createTestWorkspace(h.db);
  const connection = await createConnection({ db: h.db, workspaceId: workspace.id, webhookSecret: "whsec_cfg" });
  for (const event of events) await ingestEvent({ db: h.db, connection, event });
  return { workspace, connection };
}

/** The statement of a backend that waits for an advisory lock; rejects if `other` settles first. */
const waitsForTheLock = async (other: Promise<unknown>, what: string) =>
  (await waitsForLock(h.db, other, what)).statement;

const ledger = async (workspaceId: string) =>
  (await listMrrChanges(workspaceId, h.db, { to: "9999-12-31" })).map((r) => [r.day, r.kind, r.mrr]);

const paidDays = async (workspaceId: string) =>
  rowsOf<{ day: string; amount: number; count: number }>(
    await h.db.execute(sql`select day::text, amount::int, count::int from paid_invoice_daily
      where workspace_id = ${workspaceId} order by day, amount`),
  ).map((r) => [r.day, r.amount, r.count]);

// Events 01–16: Alice's trial from 2026-05-27 (a row at 0 with no movement), 2000 from 2026-06-10, 6000 (3 seats at
// $20) from 2026-06-16. Event 17 attaches LAUNCH25 (25% off): 4500 from 2026-06-17 with discounts applied, no change
// with discounts ignored.
const IGNORED = [
  ["2026-05-27", null, 0],
  ["2026-06-10", "new", 2000],
  ["2026-06-16", "expansion", 6000],
];
const ignoreDiscounts = (workspace: Workspace, db = h.db) =>
  updateMetricConfig({ db, ctx: systemCtx(workspace), input: { policy: { discounts: "ignored" } } });

// Events 09 ($0, 2026-05-27 09:00 UTC) and 14 ($20, paid 2026-06-10 10:01:40 UTC) are the paid invoices. In
// Pacific/Kiritimati (UTC+14) those instants fall on 2026-05-27 23:00 and 2026-06-11 00:01:40.
const KIRITIMATI = [
  ["2026-05-27", 0, 1],
  ["2026-06-11", 2000, 1],
];
const toKiritimati = (workspace: Workspace, db = h.db) =>
  updateWorkspace({
    db,
    ctx: systemCtx(workspace),
    input: { name: workspace.name, currency: workspace.currency, timezone: "Pacific/Kiritimati" },
  });

/** Each change, the lifecycle event it races, and what the numbers must be once both have committed. */
const RACES = [
  {
    change: "a policy change (discounts ignored)",
    event: "17",
    apply: ignoreDiscounts,
    // The rebuild after an event that waited (the second order) gives the same rows.
    numbers: async (workspaceId: string) => {
      const rows = await ledger(workspaceId);
      await rebuildWorkspaceLedger(h.db, workspaceId);
      expect(await ledger(workspaceId)).toEqual(rows);
      return rows;
    },
    expected: IGNORED,
  },
  {
    change: "a time zone change (to Pacific/Kiritimati)",
    event: "14",
    apply: toKiritimati,
    numbers: paidDays,
    expected: KIRITIMATI,
  },
];

describe.skipIf(!onPostgres).each(RACES)("$change and event $event of the same workspace", (race) => {
  it("the change waits for the event in flight, then recomputes with it", async () => {
    const { workspace, connection } = await seed(before(Number(race.event)));
    const paused = pausedHook();
    const event = ingestEvent({ db: h.db, connection, event: bySuffix(race.event), onApplied: paused.hook });
    // The event's projection has run (an invoice's payment sits on its UTC day) and its ledger is still to come.
    await paused.reached;
    const change = race.apply(workspace);
    const waiting = await waitsForTheLock(change, "the change").finally(paused.release);
    expect(waiting).toBe("select pg_advisory_xact_lock(7428002, hashtext($1))");
    expect(await event).toBe("applied");
    await change;
    expect(await race.numbers(workspace.id)).toEqual(race.expected);
  });

  it("the event waits for the change in progress, then reads the new configuration", async () => {
    const { workspace, connection } = await seed(before(Number(race.event)));
    const changed = gate();
    const release = gate();
    const change = h.db.transaction(async (tx) => {
      await race.apply(workspace, tx);
      changed.open();
      await release.opened;
    });
    await changed.opened;
    const event = ingestEvent({ db: h.db, connection, event: bySuffix(race.event) });
    // In its first statement, before it has written anything.
    expect(await waitsForTheLock(event, "the event").finally(release.open)).toBe("with c as");
    await change;
    expect(await event).toBe("applied");
    expect(await race.numbers(workspace.id)).toEqual(race.expected);
  });
});

describe.skipIf(!onPostgres)("two events of one customer", () => {
  it("the second waits in its first statement, before its projection, and the ledger is the in-order one", async () => {
    const { workspace, connection } = await seed(before(17).filter((e) => !e.id.endsWith("15")));
    const paused = pausedHook();
    // Event 15 (1 → 3 seats on 2026-06-16) holds its transaction before its ledger refresh; event 17 (the discount,
    // 2026-06-17) of the same customer arrives meanwhile.
    const first = ingestEvent({ db: h.db, connection, event: bySuffix("15"), onApplied: paused.hook });
    await paused.reached;
    const second = ingestEvent({ db: h.db, connection, event: bySuffix("17") });
    expect(await waitsForTheLock(second, "the second event").finally(paused.release)).toBe("with c as");
    expect([await first, await second]).toEqual(["applied", "applied"]);
    const rows = await ledger(workspace.id);
    // The discount's end (2026-09-15 09:00 UTC, 3 months) brings 6000 back.
    expect(rows).toEqual([...IGNORED, ["2026-06-17", "contraction", 4500], ["2026-09-15", "expansion", 6000]]);
    await rebuildWorkspaceLedger(h.db, workspace.id);
    expect(await ledger(workspace.id)).toEqual(rows);
  });
});

describe.skipIf(!onPostgres)("an invoice event beside a subscription event of its customer", () => {
  it("does not wait for the customer's lock: invoices change no subscription version", async () => {
    const { workspace, connection } = await seed(before(18));
    const paused = pausedHook();
    // Event 18 (the renewal of 2026-07-10) holds its transaction before its ledger refresh; event 19, the renewal
    // invoice's failed payment, arrives meanwhile and goes through, since under the default policies it does not
    // touch the ledger.
    const first = ingestEvent({ db: h.db, connection, event: bySuffix("18"), onApplied: paused.hook });
    await paused.reached;
    try {
      expect(await ingestEvent({ db: h.db, connection, event: bySuffix("19") })).toBe("applied");
    } finally {
      paused.release();
    }
    expect(await first).toBe("applied");
    const rows = await ledger(workspace.id);
    await rebuildWorkspaceLedger(h.db, workspace.id);
    expect(await ledger(workspace.id)).toEqual(rows);
  });
});

// Events 01–05 and 07–17 without the coupon (06): Alice's discount names LAUNCH25, which is not there yet, so her
// versions from event 17 on leave it out (6000 from 2026-06-16, no contraction). When the coupon arrives, they are
// re-resolved: 4500 from 2026-06-17, 6000 again from the discount's end.
const WITH_COUPON = [...IGNORED, ["2026-06-17", "contraction", 4500], ["2026-09-15", "expansion", 6000]];
const latestState = async (workspaceId: string) =>
  rowsOf<{ state: unknown }>(
    await h.db.execute(sql`select state from subscriptions where workspace_id = ${workspaceId}`),
  ).map((r) => r.state);

describe.skipIf(!onPostgres)("a late coupon and an event of a customer whose discount names it", () => {
  const withoutCoupon = before(18).filter((e) => !e.id.endsWith("06"));
  async function inOrder() {
    const { workspace } = await seed([...withoutCoupon, bySuffix("18"), bySuffix("06")]);
    return { ledger: await ledger(workspace.id), latest: await latestState(workspace.id) };
  }

  it("the coupon waits for the customer's event in flight, then re-resolves the version it wrote", async () => {
    const expected = await inOrder();
    expect(expected.ledger).toEqual(WITH_COUPON);
    const { workspace, connection } = await seed(withoutCoupon);
    const paused = pausedHook();
    // Event 18 (the renewal of 2026-07-10) has written its version and the latest row, and holds its transaction.
    const event = ingestEvent({ db: h.db, connection, event: bySuffix("18"), onApplied: paused.hook });
    await paused.reached;
    const coupon = ingestEvent({ db: h.db, connection, event: bySuffix("06") });
    // Before it writes a row of Alice's: no lost update of the latest row, no version left unresolved.
    expect(await waitsForTheLock(coupon, "the coupon").finally(paused.release)).toBe(
      "select count(pg_advisory_xact_lock(hashtext('northstar.ledger:' ||",
    );
    expect([await event, await coupon]).toEqual(["applied", "applied"]);
    expect(await ledger(workspace.id)).toEqual(WITH_COUPON);
    expect(await latestState(workspace.id)).toEqual(expected.latest);
  });

  it("a rebuild re-resolves them without customers' locks: it holds the workspace exclusively", async () => {
    // The coupon's event stored as created after event 17, so that the replay meets it late too.
    const late = { ...bySuffix("06"), created: bySuffix("17").created + 1 };
    const { workspace } = await seed([...withoutCoupon, bySuffix("18"), late]);
    const held = gate();
    const release = gate();
    const holder = h.db.transaction(async (tx) => {
      await lockCustomerLedgers(tx, workspace.id, ["cus_TqAlice00000001"]);
      held.open();
      await release.opened;
    });
    await held.opened;
    try {
      const rebuilt = rebuildProjection({ db: h.db, workspaceId: workspace.id }).then((r) => r.failed);
      const waited = new Promise((resolve) => setTimeout(() => resolve("still waiting after 5 s"), 5000));
      expect(await Promise.race([rebuilt, waited])).toBe(0);
    } finally {
      release.open();
      await holder;
    }
    expect(await ledger(workspace.id)).toEqual(WITH_COUPON);
  });

  it("the customer's event waits for the coupon in flight, then resolves its version with it", async () => {
    const expected = await inOrder();
    const { workspace, connection } = await seed(withoutCoupon);
    const paused = pausedHook();
    // The coupon has re-resolved Alice's rows and holds its transaction before its ledger refresh.
    const coupon = ingestEvent({ db: h.db, connection, event: bySuffix("06"), onApplied: paused.hook });
    await paused.reached;
    const event = ingestEvent({ db: h.db, connection, event: bySuffix("18") });
    expect(await waitsForTheLock(event, "the event").finally(paused.release)).toBe("with c as");
    expect([await coupon, await event]).toEqual(["applied", "applied"]);
    expect(await ledger(workspace.id)).toEqual(WITH_COUPON);
    expect(await latestState(workspace.id)).toEqual(expected.latest);
  });
});

describe.skipIf(!onPostgres)("the wait for the configuration lock", () => {
  it("gives up with lock_not_available after its bound, and restores lock_timeout when it ends in time", async () => {
    const { workspace } = await seed([]);
    const holding = gate();
    const release = gate();
    const held = h.db.transaction(async (tx) => {
      await lockConfigExclusive(tx, workspace.id);
      holding.open();
      await release.opened;
    });
    await holding.opened;
    const giveUp = h.db.execute(
      sql`select * from northstar_config_shared(${workspace.id}, false, wait => interval '50 milliseconds')`,
    );
    const waited = h.db.transaction(async (tx) => {
      await tx.execute(sql`set local lock_timeout = '7s'`);
      await tx.execute(sql`select * from northstar_config_shared(${workspace.id}, true)`);
      return rowsOf<{ lock_timeout: string }>(await tx.execute(sql`show lock_timeout`))[0]!.lock_timeout;
    });
    try {
      await expect(giveUp.then(() => "went through")).rejects.toSatisfy((e) => pgCode(e) === "55P03");
      await waitsForTheLock(waited, "the second reader");
    } finally {
      release.open();
    }
    await held;
    expect(await waited).toBe("7s");
  });
});

describe("the configuration lock on one connection", () => {
  it("is taken shared by a transaction that holds it exclusively (a rebuild reads its own context)", async () => {
    const { workspace } = await seed(before(15));
    const context = await h.db.transaction(async (tx) => {
      await lockConfigExclusive(tx, workspace.id);
      return rowsOf<{ timezone: string; currency: string; policy: unknown }>(
        await tx.execute(sql`select * from northstar_config_shared(${workspace.id}, true)`),
      )[0];
    });
    expect(context).toMatchObject({ timezone: "UTC", currency: "usd", policy: null });
    await toKiritimati(workspace);
    await ignoreDiscounts(workspace);
    expect(
      rowsOf<{ timezone: string; policy: unknown }>(
        await h.db.execute(sql`select timezone, policy from northstar_config_shared(${workspace.id}, true)`),
      )[0],
    ).toEqual({ timezone: "Pacific/Kiritimati", policy: { discounts: "ignored" } });
  });
});
