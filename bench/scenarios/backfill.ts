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

/**
 * The done-when of the ingestion issue: the backfill reaches the same state as the webhook path
 * (`checkBackfillAgainstWebhookPath`, which the 10,000-subscription integration test runs too). Throws on a mismatch.
 */
async function checkAgainstWebhookPath(
  ctx: BenchContext,
  backfilled: string,
  objects: Record<string, Record<string, unknown>[]>,
): Promise<string> {
  const { checkBackfillAgainstWebhookPath } = await import("@/lib/stripe/testing/backfill-check");
  const ws = await benchWorkspace(ctx, "bench-backfill-check", "Bench backfill check");
  progress("backfill check: feeding every 100th subscription's objects through ingestEvent");
  const check = await checkBackfillAgainstWebhookPath({
    db: requireHandle(ctx).db,
    backfilledWorkspaceId: backfilled,
    checkWorkspaceId: ws.id,
    objects,
    created: Math.floor(Date.now() / 1000),
  });
  const first = check.missing[0];
  if (first)
    throw new Error(`backfill check: ${first.table} differs from the webhook path: ${first.row.slice(0, 300)}`);
  return `${check.rows} rows of ${check.customers} sampled customers (${check.objects} objects) identical to the webhook path`;
}
