// The done-when of the backfill: it reaches the same state as the webhook path. Shared by the 10,000-subscription
// integration test and the bench's backfill row, over the objects of scripts/fake-stripe.
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { mrrChanges } from "@/db/schema";
import { createTestWorkspace } from "@/db/testing/factories";
import { rebuildWorkspaceLedger } from "@/lib/kpi/rebuild";
import { BACKFILL_OBJECTS } from "../backfill";
import { createConnection } from "../connections";
import { ingestEvent } from "../ingest";
import { dumpProjection } from ".";

/** Freshness bookkeeping differs by construction (pseudo-event ids and keys), so it is left out of the comparison. */
const FRESHNESS = ["lastEventKey", "lastEventId", "lastEventCreated", "eventKey", "eventId", "eventIds"];

/** JSON of a value without the freshness bookkeeping. */
export const withoutFreshness = (value: unknown): string =>
  JSON.stringify(value, (k, v) => (FRESHNESS.includes(k) ? undefined : v));

/** A new workspace with a Stripe connection whose API is `apiBase` (the fake's URL). */
export async function createFakeStripeConnection(db: Db, apiBase: string) {
  const ws = await createTestWorkspace(db);
  const con = await createConnection({
    db,
    workspaceId: ws.id,
    webhookSecret: "whsec_fakestripe",
    secretKey: "sk_test_fakestripe",
    apiBase,
  });
  return { workspaceId: ws.id, connectionId: con.id };
}

export type BackfillCheck = {
  /** Customers sampled, objects fed one by one, and rows compared. */
  customers: number;
  objects: number;
  rows: number;
  /** Rows of the webhook path missing from the backfilled workspace, by table (empty when they agree). */
  missing: { table: string; row: string }[];
};

/**
 * Feeds every `every`th subscription's objects (customer, subscription, invoice, invoice payment, charge) and the
 * catalog one by one through `ingestEvent` into `checkWorkspaceId`, rebuilds its MRR ledger, and looks up each of
 * its projection and ledger rows in `backfilledWorkspaceId` (whose ledger the caller has rebuilt).
 */
export async function checkBackfillAgainstWebhookPath(args: {
  db: Db;
  backfilledWorkspaceId: string;
  checkWorkspaceId: string;
  objects: Record<string, Record<string, unknown>[]>;
  every?: number;
  /** The pseudo-events' `created` (Unix seconds). */
  created: number;
}): Promise<BackfillCheck> {
  const { db, objects, every = 100 } = args;
  const sampled = new Set(
    (objects.subscriptions ?? []).filter((_, i) => i % every === 0).map((s) => String(s.customer)),
  );
  const keep = (o: Record<string, unknown>) =>
    o.object === "customer"
      ? sampled.has(String(o.id))
      : "customer" in o
        ? sampled.has(String(o.customer))
        : o.object === "invoice_payment"
          ? sampled.has(`cus_${String(o.invoice).slice(3)}`)
          : true;
  const connection = { id: `con_check${args.checkWorkspaceId.slice(3, 18)}`, workspaceId: args.checkWorkspaceId };
  let fed = 0;
  for (const spec of BACKFILL_OBJECTS)
    for (const object of (objects[spec.path] ?? []).filter(keep)) {
      fed++;
      await ingestEvent({
        db,
        connection,
        event: {
          id: `evt_chk_${String(object.id)}`,
          type: `backfill.${spec.type}`,
          created: args.created,
          data: { object },
        },
        onApplied: async () => {},
      });
    }
  await rebuildWorkspaceLedger(db, args.checkWorkspaceId);
  const strip = (rows: unknown[]) => rows.map(withoutFreshness);
  const ledger = async (id: string) =>
    (await db.select().from(mrrChanges).where(eq(mrrChanges.workspaceId, id))).map(({ workspaceId: _w, ...r }) => r);
  const state = async (id: string) => ({ ...(await dumpProjection(id, db)), mrrChanges: await ledger(id) });
  const mine = await state(args.checkWorkspaceId);
  const theirs: Record<string, unknown[]> = await state(args.backfilledWorkspaceId);
  const missing: BackfillCheck["missing"] = [];
  let rows = 0;
  for (const [table, list] of Object.entries(mine)) {
    const all = new Set(strip(theirs[table] ?? []));
    for (const row of strip(list)) if (!all.has(row)) missing.push({ table, row });
    rows += list.length;
  }
  return { customers: sampled.size, objects: fed, rows, missing };
}
