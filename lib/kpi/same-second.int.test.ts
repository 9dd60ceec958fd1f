import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setDbHandle, type DbHandle } from "@/db/client";
import { listMrrChanges } from "@/db/queries/mrr";
import { createTestDb } from "@/db/testing";
import { createTestWorkspace } from "@/db/testing/factories";
import { createConnection } from "@/lib/stripe/connections";
import type { StripeEvent } from "@/lib/stripe/event";
import { ingestEvent } from "@/lib/stripe/ingest";
import { loadLifecycle } from "@/lib/stripe/testing";
import { rebuildWorkspaceLedger } from "./rebuild";
import { refreshLedgerOnApplied } from "./stripe-hook";

let h: DbHandle;
beforeAll(async () => {
  h = await createTestDb();
  setDbHandle(Promise.resolve(h));
});
afterAll(async () => h?.close());

const lifecycle = loadLifecycle();
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

async function seed(pair: StripeEvent[]) {
  const workspace = await createTestWorkspace(h.db);
  const connection = await createConnection({ db: h.db, workspaceId: workspace.id, webhookSecret: "whsec_same" });
  for (const event of [...lifecycle.slice(0, 14), ...pair])
    await ingestEvent({ db: h.db, connection, event, onApplied: refreshLedgerOnApplied });
  const ledger = async () =>
    (await listMrrChanges(workspace.id, h.db, { to: "9999-12-31" })).map((r) => [r.day, r.mrr]);
  const incremental = await ledger();
  await rebuildWorkspaceLedger(h.db, workspace.id);
  expect(await ledger()).toEqual(incremental);
  return incremental;
}

describe("two updates of one subscription in the same second", () => {
  it("give the ledger of the later event key whatever the delivery order, and a rebuild the same", async () => {
    const [a, b] = sameSecondPair();
    const inOrder = await seed([a, b]);
    const reversed = await seed([b, a]);
    // Equal rank, so the event id breaks the tie: b is the later state, 5 seats at $20 = 10000 from 2026-06-16.
    expect(inOrder.at(-1)).toEqual(["2026-06-16", 10000]);
    expect(reversed).toEqual(inOrder);
  });
});
