// backfill: 10,000 subscriptions (plus their customers and invoices) from the fake Stripe list API, through
// runBackfill as the backfill job calls it. Bounded by a time budget; a cut run reports the rate so far.
import fs from "node:fs";
import path from "node:path";
import { createConnection } from "@/lib/stripe/connections";
import { requireHandle, skipped, type BenchContext } from "../lib/context";
import { tableCounts } from "../lib/db";
import { progress, round, throttled } from "../lib/util";
import { benchWorkspace } from "./base";

const SUBSCRIPTIONS = 10_000;

class Budget extends Error {}

export async function runBackfillScenario(ctx: BenchContext): Promise<void> {
  const root = process.cwd();
  if (
    !fs.existsSync(path.join(root, "lib/stripe/backfill.ts")) ||
    !fs.existsSync(path.join(root, "scripts/fake-stripe/server.ts"))
  )
    return void ctx.rows.push(skipped("backfill", "lib/stripe/backfill.ts or scripts/fake-stripe/ not there yet"));
  const { runBackfill } = await import("@/lib/stripe/backfill");
  const { startFakeStripe } = await import("@/scripts/fake-stripe/server");
  const handle = requireHandle(ctx);
  const budgetMs = ctx.scale === "full" ? 600_000 : 300_000;
  const fake = await startFakeStripe({ subscriptions: SUBSCRIPTIONS });
  try {
    const ws = await benchWorkspace(ctx, "bench-backfill", "Bench backfill");
    const conn = await createConnection({
      db: handle.db,
      workspaceId: ws.id,
      webhookSecret: "whsec_benchbackfill",
      secretKey: "sk_test_benchbackfill",
      apiBase: fake.url,
    });
    const started = performance.now();
    const report = throttled(3000);
    let counts: Record<string, number> = {};
    let cut = false;
    try {
      const result = await runBackfill({
        db: handle.db,
        workspaceId: ws.id,
        connectionId: conn.id,
        onProgress: (p) => {
          counts = { ...p.counts } as Record<string, number>;
          const total = Object.values(counts).reduce((s, x) => s + x, 0);
          report(`backfill: ${total} objects (${p.type} ${p.count})`);
          if (performance.now() - started > budgetMs) throw new Budget();
        },
      });
      counts = result.imported as Record<string, number>;
    } catch (err) {
      if (!(err instanceof Budget)) throw err;
      cut = true;
    }
    const ms = performance.now() - started;
    const objects = Object.values(counts).reduce((s, x) => s + x, 0);
    // The backfill job rebuilds the workspace's ledger once afterwards (when lib/kpi/rebuild.ts has it): time that too.
    let rebuildMs: number | null = null;
    if (!cut && fs.existsSync(path.join(root, "lib/kpi/rebuild.ts"))) {
      const mod = (await import("@/lib/kpi/rebuild")) as {
        rebuildWorkspaceLedger?: (db: typeof handle.db, workspaceId: string) => Promise<unknown>;
      };
      if (mod.rebuildWorkspaceLedger) {
        progress("backfill: rebuilding the ledger");
        const a = performance.now();
        await mod.rebuildWorkspaceLedger(handle.db, ws.id);
        rebuildMs = performance.now() - a;
      }
    }
    const stored = await tableCounts(handle, ws.id, [
      "customers",
      "subscriptions",
      "subscription_versions",
      "invoices",
      "invoice_payments",
      "charges",
      "mrr_changes",
    ]);
    const check = cut ? "not run (cut)" : await checkAgainstWebhookPath(ctx, ws.id, fake.objects);
    progress(`backfill: ${objects} objects in ${Math.round(ms / 1000)} s`);
    ctx.rows.push({
      name: "backfill",
      n: objects,
      p50: null,
      p95: null,
      p99: null,
      throughput: round((objects / ms) * 1000, 1),
      unit: "objects/s",
      notes: `${SUBSCRIPTIONS} subscriptions from scripts/fake-stripe (${fake.requests.length} list requests), runBackfill as the backfill job calls it, total ${round(ms / 1000, 1)} s${rebuildMs === null ? "" : `, then rebuildWorkspaceLedger ${round(rebuildMs / 1000, 1)} s`}${cut ? ` — STOPPED by the ${budgetMs / 1000} s budget` : ""}; stored ${JSON.stringify(stored)}; check: ${check}`,
      extra: { imported: counts, totalMs: round(ms, 0), rebuildLedgerMs: round(rebuildMs, 0), cut, stored, check },
    });
  } finally {
    await fake.close();
  }
}

const SAMPLE_EVERY = 100;

/**
 * The done-when of the ingestion issue: the backfill reaches the same state as the webhook path. Feeds every
 * 100th subscription's objects (customer, subscription, invoice, invoice payment, charge) plus the catalog one by
 * one through `ingestEvent` into a second workspace, rebuilds its ledger, and requires each of its projection and
 * ledger rows (freshness bookkeeping aside) to be in the backfilled workspace too. Throws on a mismatch.
 */
async function checkAgainstWebhookPath(
  ctx: BenchContext,
  backfilled: string,
  objects: Record<string, Record<string, unknown>[]>,
): Promise<string> {
  const { BACKFILL_OBJECTS } = await import("@/lib/stripe/backfill");
  const { ingestEvent } = await import("@/lib/stripe/ingest");
  const { dumpProjection } = await import("@/lib/stripe/testing");
  const { rebuildWorkspaceLedger } = await import("@/lib/kpi/rebuild");
  const { mrrChanges } = await import("@/db/schema");
  const { eq } = await import("drizzle-orm");
  const handle = requireHandle(ctx);
  const subs = objects.subscriptions ?? [];
  const sampled = new Set(subs.filter((_, i) => i % SAMPLE_EVERY === 0).map((s) => String(s.customer)));
  const keep = (o: Record<string, unknown>) =>
    o.object === "customer"
      ? sampled.has(String(o.id))
      : "customer" in o
        ? sampled.has(String(o.customer))
        : o.object === "invoice_payment"
          ? sampled.has(`cus_${String(o.invoice).slice(3)}`)
          : true;
  const ws = await benchWorkspace(ctx, "bench-backfill-check", "Bench backfill check");
  const connection = { id: "con_benchbackfillcheck00", workspaceId: ws.id };
  const created = Math.floor(Date.now() / 1000);
  let fed = 0;
  progress(`backfill check: feeding every ${SAMPLE_EVERY}th subscription's objects through ingestEvent`);
  for (const spec of BACKFILL_OBJECTS)
    for (const object of (objects[spec.path] ?? []).filter(keep)) {
      fed++;
      await ingestEvent({
        db: handle.db,
        connection,
        event: { id: `evt_chk_${String(object.id)}`, type: `backfill.${spec.type}`, created, data: { object } },
        onApplied: async () => {},
      });
    }
  await rebuildWorkspaceLedger(handle.db, ws.id);
  const strip = (rows: unknown[]) =>
    rows.map((r) =>
      JSON.stringify(r, (k, v) =>
        ["lastEventKey", "lastEventId", "lastEventCreated", "eventKey", "eventId", "eventIds"].includes(k)
          ? undefined
          : v,
      ),
    );
  const ledger = async (id: string) =>
    (await handle.db.select().from(mrrChanges).where(eq(mrrChanges.workspaceId, id))).map(
      ({ workspaceId: _w, ...r }) => r,
    );
  const mine = { ...(await dumpProjection(ws.id, handle.db)), mrrChanges: await ledger(ws.id) };
  const theirs = { ...(await dumpProjection(backfilled, handle.db)), mrrChanges: await ledger(backfilled) };
  let rows = 0;
  for (const [table, list] of Object.entries(mine)) {
    const all = new Set(strip(theirs[table as keyof typeof theirs] ?? []));
    const missing = strip(list).filter((r) => !all.has(r));
    if (missing.length)
      throw new Error(`backfill check: ${table} differs from the webhook path: ${missing[0]!.slice(0, 300)}`);
    rows += list.length;
  }
  return `${rows} rows of ${sampled.size} sampled customers (${fed} objects) identical to the webhook path`;
}
