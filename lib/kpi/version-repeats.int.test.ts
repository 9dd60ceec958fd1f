import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { rowsOf, type DbHandle, type Tx } from "@/db/client";
import { listMrrChanges } from "@/db/queries/mrr";
import { withAppTestDb } from "@/db/testing";
import { createTestWorkspace } from "@/db/testing/factories";
import { createConnection } from "@/lib/stripe/connections";
import type { StripeEvent } from "@/lib/stripe/event";
import { ingestEvent, projectEvent, type OnApplied } from "@/lib/stripe/ingest";
import { loadLifecycle, shuffleWithDuplicates } from "@/lib/stripe/testing";
import { refreshCustomerLedger } from "./ledger";
import { rebuildWorkspaceLedger } from "./rebuild";
import { loadLedgerContext } from "./settings";
import { refreshLedgerOnApplied } from "./stripe-hook";

// How the ledger reads a subscription's versions. Same-second versions take effect in event-key order (ADR 0003).
// ADR 0015: each version is judged once, whether it repeats the state before it, and the per-event ledger refresh
// reads only the versions that may change something. These tests feed the lifecycle fixtures in orders and races
// that move a version's predecessor, and check the stored judgments against an independent oracle (jsonb equality
// with the previous version, in SQL) and the ledger against the one of an in-order feed.

let h: DbHandle;
withAppTestDb((handle) => (h = handle));

const lifecycle = loadLifecycle();
const bySuffix = (n: string) => lifecycle.find((e) => e.id.endsWith(n))!;
const without = (...suffixes: string[]) => lifecycle.filter((e) => !suffixes.some((s) => e.id.endsWith(s)));

async function seed(events: StripeEvent[], onApplied: OnApplied = refreshLedgerOnApplied) {
  const workspace = await createTestWorkspace(h.db);
  const connection = await createConnection({ db: h.db, workspaceId: workspace.id, webhookSecret: "whsec_repeats" });
  for (const event of events) await ingestEvent({ db: h.db, connection, event, onApplied });
  return { workspace, connection };
}

/** [event suffix, stored judgment, the oracle's judgment] per version, in history order. */
async function judgments(workspaceId: string) {
  const rows = rowsOf<{ event_id: string; repeats: boolean | null; oracle: boolean }>(
    await h.db.execute(sql`
      select event_id, repeats,
        coalesce(state = lag(state) over (partition by subscription_id order by valid_from, event_key), false) as oracle
      from subscription_versions where workspace_id = ${workspaceId} order by valid_from, event_key`),
  );
  return rows.map((r) => [r.event_id.slice(-2), r.repeats, r.oracle]);
}

const ledger = async (workspaceId: string) =>
  (await listMrrChanges(workspaceId, h.db, { to: "9999-12-31" })).map((r) => [r.day, r.kind, r.mrr, r.eventIds]);

/** Every judgment stored and equal to the oracle's. */
function expectJudged(rows: Awaited<ReturnType<typeof judgments>>) {
  for (const [suffix, stored, oracle] of rows) expect([suffix, stored]).toEqual([suffix, oracle]);
}

/** Event 15 (3 seats at $20 from 2026-06-16 09:00) as two same-second updates: `a` sets 4 seats, `b` 5 seats. */
function sameSecondPair(): [StripeEvent, StripeEvent] {
  const base = lifecycle[14]!;
  const seats = (id: string, quantity: number): StripeEvent => {
    const e = structuredClone(base) as StripeEvent & { data: { object: { items: { data: { quantity: number }[] } } } };
    e.id = id;
    e.data.object.items.data[0]!.quantity = quantity;
    return e;
  };
  return [seats("evt_TqSameSecond0000a", 4), seats("evt_TqSameSecond0000b", 5)];
}

describe("two updates of one subscription in the same second", () => {
  /** [day, mrr] of the ledger after the first 14 events and the pair, checked against a rebuild. */
  async function seedPair(pair: StripeEvent[]) {
    const { workspace } = await seed([...lifecycle.slice(0, 14), ...pair]);
    const dayMrr = async () => (await ledger(workspace.id)).map(([day, , mrr]) => [day, mrr]);
    const incremental = await dayMrr();
    await rebuildWorkspaceLedger(h.db, workspace.id);
    expect(await dayMrr()).toEqual(incremental);
    return incremental;
  }

  it("give the ledger of the later event key whatever the delivery order, and a rebuild the same", async () => {
    const [a, b] = sameSecondPair();
    const inOrder = await seedPair([a, b]);
    const reversed = await seedPair([b, a]);
    // Equal rank, so the event id breaks the tie: b is the later state, 5 seats at $20 = 10000 from 2026-06-16.
    expect(inOrder.at(-1)).toEqual(["2026-06-16", 10000]);
    expect(reversed).toEqual(inOrder);
  });
});

describe("versions that repeat the state before them", () => {
  let inOrder: { judgments: Awaited<ReturnType<typeof judgments>>; ledger: Awaited<ReturnType<typeof ledger>> };
  beforeAll(async () => {
    const { workspace } = await seed(lifecycle);
    inOrder = { judgments: await judgments(workspace.id), ledger: await ledger(workspace.id) };
  });

  it("are the trial_will_end (10) and the July renewal (18), judged as each version is inserted", () => {
    // 10 only announces the trial's end; 18 rolls the period over on 2026-07-10 with the same seats, price and
    // LAUNCH25 discount as 17. Every other version changes the state.
    expect(inOrder.judgments).toEqual([
      ["08", false, false],
      ["10", true, true],
      ["11", false, false],
      ["15", false, false],
      ["17", false, false],
      ["18", true, true],
      ["20", false, false],
      ["22", false, false],
      ["23", false, false],
      ["24", false, false],
    ]);
    // The ledger cites the version that set a state, never its repeat.
    expect(inOrder.ledger.flatMap(([, , , ids]) => ids as string[]).filter((id) => /0000(10|18)$/.test(id))).toEqual(
      [],
    );
  });

  it.each([
    ["reversed", [...lifecycle].reverse()],
    ["shuffled with duplicates (seed 1)", shuffleWithDuplicates(lifecycle, 1)],
    ["shuffled with duplicates (seed 42)", shuffleWithDuplicates(lifecycle, 42)],
  ])("are judged the same when the events arrive %s, with the same ledger", async (_, events) => {
    const { workspace } = await seed(events);
    expect(await judgments(workspace.id)).toEqual(inOrder.judgments);
    expect(await ledger(workspace.id)).toEqual(inOrder.ledger);
  });

  it("are judged again when a late version lands before them (17 after 18: 18 becomes a repeat)", async () => {
    const { workspace, connection } = await seed(without("17"));
    // Without 17, the renewal 18 is the first version with the discount: a change.
    expect((await judgments(workspace.id)).find(([s]) => s === "18")).toEqual(["18", false, false]);
    await ingestEvent({ db: h.db, connection, event: bySuffix("17"), onApplied: refreshLedgerOnApplied });
    expect(await judgments(workspace.id)).toEqual(inOrder.judgments);
    expect(await ledger(workspace.id)).toEqual(inOrder.ledger);
  });

  it("are judged again when a late version lands between two equal states (20 between 18 and 22)", async () => {
    const { workspace, connection } = await seed(without("19", "20", "21"));
    // 22 (active again) has the state of 18, so without the past_due version in between it repeats it.
    expect((await judgments(workspace.id)).find(([s]) => s === "22")).toEqual(["22", true, true]);
    for (const suffix of ["19", "20", "21"])
      await ingestEvent({ db: h.db, connection, event: bySuffix(suffix), onApplied: refreshLedgerOnApplied });
    expect(await judgments(workspace.id)).toEqual(inOrder.judgments);
    expect(await ledger(workspace.id)).toEqual(inOrder.ledger);
  });

  it("are found at the customer's next event when stored before migration 0010 (all 'not a repeat')", async () => {
    const { workspace, connection } = await seed(without("24"));
    await h.db.execute(sql`update subscription_versions set repeats = false where workspace_id = ${workspace.id}`);
    const ledgerBefore = await ledger(workspace.id);
    await ingestEvent({ db: h.db, connection, event: bySuffix("24"), onApplied: refreshLedgerOnApplied });
    expect(await judgments(workspace.id)).toEqual(inOrder.judgments);
    expect(await ledger(workspace.id)).toEqual(inOrder.ledger);
    expect(ledgerBefore).not.toEqual(inOrder.ledger);
  });

  it("are judged again when a version's state changes (the discount 16 resolved after 17 and 18)", async () => {
    const late = without("16");
    const { workspace, connection } = await seed(late);
    // Until the discount arrives, 17 resolves to the state of 15 (3 seats, no discount): a repeat.
    expect((await judgments(workspace.id)).find(([s]) => s === "17")).toEqual(["17", true, true]);
    await ingestEvent({ db: h.db, connection, event: bySuffix("16"), onApplied: refreshLedgerOnApplied });
    const after = await judgments(workspace.id);
    expectJudged(after);
    expect(after).toEqual(inOrder.judgments);
    expect(await ledger(workspace.id)).toEqual(inOrder.ledger);
  });
});

describe("a version judged a repeat while a concurrent event inserted one before it", () => {
  // Two deliveries at once: the past_due update (20) and the recovery (22). The recovery's insert does not see the
  // uncommitted past_due version, so it compares itself with the renewal 18 and finds the same state. By the time
  // its ledger refresh holds the customer's lock, the past_due version has committed. The refresh must check the
  // versions its transaction judged a repeat; this test plays that order in one connection.
  const race =
    (check: boolean): OnApplied =>
    async (tx: Tx, info) => {
      if (info.eventType === "customer.subscription.updated" && info.versions?.[0]?.eventId.endsWith("22")) {
        const { id: workspaceId } = (await loadLedgerContext(info.workspaceId, tx))!.workspace;
        const connectionId = rowsOf<{ id: string }>(
          await tx.execute(
            sql`select connection_id as id from subscription_versions where workspace_id = ${workspaceId} limit 1`,
          ),
        )[0]!.id;
        await projectEvent(tx, { workspaceId, connectionId, event: bySuffix("20") });
        // The past_due transaction judged its own version against 18, the latest it could see: a change.
        await tx.execute(sql`update subscription_versions set repeats = false
          where workspace_id = ${workspaceId} and event_id = ${bySuffix("20").id}`);
        const context = (await loadLedgerContext(workspaceId, tx))!;
        await refreshCustomerLedger({
          tx,
          ...context,
          customerIds: info.customerIds,
          ...(check ? { fresh: info.versions } : {}),
        });
        return;
      }
      await refreshLedgerOnApplied(tx, info);
    };
  const events = [...without("19", "20", "21", "22", "23", "24"), bySuffix("22")];

  it("is judged a change under the lock, and the ledger returns to active on 2026-07-13", async () => {
    const { workspace } = await seed(events, race(true));
    expect((await judgments(workspace.id)).filter(([s]) => s === "20" || s === "22")).toEqual([
      ["20", false, false],
      ["22", false, false],
    ]);
    const incremental = await ledger(workspace.id);
    await rebuildWorkspaceLedger(h.db, workspace.id);
    expect(await ledger(workspace.id)).toEqual(incremental);
  });

  it("would leave the ledger wrong without that check (the control)", async () => {
    const { workspace } = await seed(events, race(false));
    expect((await judgments(workspace.id)).find(([s]) => s === "22")).toEqual(["22", true, false]);
    const unchecked = await ledger(workspace.id);
    await rebuildWorkspaceLedger(h.db, workspace.id);
    expect(await ledger(workspace.id)).not.toEqual(unchecked);
    // The rebuild reads whole histories and clears the wrong judgment.
    expect((await judgments(workspace.id)).find(([s]) => s === "22")).toEqual(["22", false, false]);
  });
});
