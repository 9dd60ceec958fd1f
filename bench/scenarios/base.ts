// The base workspace: a small business from the demo generator fed through the real ingestion path (ingestEvent
// with the ledger hook, one transaction per event). The ingest-db-work scenario is the measurement of that feed;
// the read and finance scenarios replicate the resulting derived rows into bigger workspaces.
import type { DbHandle } from "@/db/client";
import { fxRates } from "@/db/schema";
import { createWorkspace } from "@/lib/workspaces/workspaces";
import { ingestEventSchema, type IngestEvent } from "@/lib/ingest/schemas";
import { insertIngestEvents } from "@/lib/ingest/insert";
import { refreshLedgerOnApplied } from "@/lib/kpi/stripe-hook";
import { ingestEvent, type OnApplied } from "@/lib/stripe/ingest";
import type { StripeEvent } from "@/lib/stripe/event";
import { countingDb, newCounter, rawQuery, tableCounts } from "../lib/db";
import { BENCH_EMAIL, BENCH_PASSWORD, END_DATE, need, requireHandle, type BenchContext } from "../lib/context";
import { loadStream, type Stream } from "../lib/events";
import { cpuMs, progress, round, summarize, throttled, type Row } from "../lib/util";

export type Base = { workspaceId: string; customers: number; stream: Stream; counts: Record<string, number> };

let base: Base | null = null;
let ownerExists = false;

export const BASE_MONTHS = 36;

/** Creates a workspace owned by the bench user (created with a password on first use: the finance page signs in). */
export async function benchWorkspace(ctx: BenchContext, slug: string, name: string) {
  const db = requireHandle(ctx).db;
  const { workspace } = await createWorkspace({
    db,
    input: {
      name,
      slug,
      currency: "usd",
      timezone: "UTC",
      ownerEmail: BENCH_EMAIL,
      ...(ownerExists ? {} : { ownerPassword: BENCH_PASSWORD }),
    },
  });
  ownerExists = true;
  return workspace;
}

/** Monthly EUR→USD rates over the whole history, so the ledger converts EUR customers (none → "unconverted"). */
async function seedFx(ctx: BenchContext, workspaceId: string) {
  const db = requireHandle(ctx).db;
  const rows = [];
  for (let m = 0; m < BASE_MONTHS + 2; m++) {
    const d = new Date(Date.UTC(2023, 9 + m, 1));
    rows.push({
      workspaceId,
      currency: "eur",
      rateDate: d.toISOString().slice(0, 10),
      rate: (1.05 + 0.004 * (m % 10)).toFixed(4),
    });
  }
  await db.insert(fxRates).values(rows);
}

const noop: OnApplied = async () => {};

type IngestStats = {
  latencies: number[];
  statements: number;
  cpu: number;
  wall: number;
  outcomes: Record<string, number>;
  byKind: Map<string, number>;
};

export async function feed(
  ctx: BenchContext,
  args: {
    workspaceId: string;
    connectionId: string;
    events: readonly StripeEvent[];
    onApplied?: OnApplied;
    label: string;
    /** Another handle than the bench's own (the server-timed one), and a callback after each event. */
    handle?: DbHandle;
    afterEach?: (i: number) => void;
  },
): Promise<IngestStats> {
  const handle = args.handle ?? requireHandle(ctx);
  const counter = newCounter();
  const db = countingDb(handle, counter);
  const connection = { id: args.connectionId, workspaceId: args.workspaceId };
  const latencies: number[] = [];
  const outcomes: Record<string, number> = {};
  const report = throttled(5000);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (const [i, event] of args.events.entries()) {
    const a = performance.now();
    // An explicit no-op when no hook is wanted: ingestEvent may default to the ledger refresh.
    const outcome = await ingestEvent({ db, connection, event, onApplied: args.onApplied ?? noop });
    latencies.push(performance.now() - a);
    outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
    args.afterEach?.(i);
    report(`${args.label}: ${i + 1}/${args.events.length} events`);
  }
  return {
    latencies,
    statements: counter.statements,
    cpu: cpuMs(cpu0),
    wall: performance.now() - t0,
    outcomes,
    byKind: counter.byKind,
  };
}

export async function ensureBase(ctx: BenchContext): Promise<Base> {
  if (base) return base;
  const handle = requireHandle(ctx);
  const customers = ctx.scale === "full" ? 100 : 40;
  const stream = await loadStream({ seed: "northstar-bench", customers, months: BASE_MONTHS, endDate: END_DATE });
  progress(`base: ${stream.stripe.length} Stripe events from ${stream.source}`);
  const ws = await benchWorkspace(ctx, "bench-base", "Bench base");
  await seedFx(ctx, ws.id);
  const spend = stream.spend.map((e) => ingestEventSchema.parse(e)) as IngestEvent[];
  for (let i = 0; i < spend.length; i += 1000) await insertIngestEvents(ws.id, handle.db, spend.slice(i, i + 1000));
  const connectionId = "con_benchbase";
  const stats = await feed(ctx, {
    workspaceId: ws.id,
    connectionId,
    events: stream.stripe,
    onApplied: refreshLedgerOnApplied,
    label: "ingest base (with ledger)",
  });
  const counts = await tableCounts(handle, ws.id, [
    "stripe_events",
    "subscription_versions",
    "mrr_changes",
    "invoices",
    "charges",
    "refunds",
    "customers",
  ]);
  base = { workspaceId: ws.id, customers: counts.customers ?? customers, stream, counts };
  if (need(ctx, "ingest-db-work")) ctx.rows.push(...(await ingestRows(ctx, stats, stream, ws.id)));
  return base;
}

function topKinds(byKind: Map<string, number>, events: number, k = 8) {
  return Object.fromEntries(
    [...byKind.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, k)
      .map(([kind, n]) => [kind, round(n / events, 2)]),
  );
}

async function ingestRows(
  ctx: BenchContext,
  stats: IngestStats,
  stream: Stream,
  baseWorkspaceId: string,
): Promise<Row[]> {
  const handle = requireHandle(ctx);
  const n = stats.latencies.length;
  const s = summarize(stats.latencies);
  // Round-trip floor: the cost of one trivial statement on this connection.
  const rtt: number[] = [];
  for (let i = 0; i < 200; i++) {
    const a = performance.now();
    await rawQuery(handle, "select 1");
    rtt.push(performance.now() - a);
  }
  const rttP50 = summarize(rtt).p50 ?? 0;
  const perEvent = stats.statements / n;
  const rows: Row[] = [
    {
      name: "ingest-db-work",
      n,
      p50: round(s.p50),
      p95: round(s.p95),
      p99: round(s.p99),
      throughput: round((n / stats.wall) * 1000, 1),
      unit: "events/s",
      notes: `ingestEvent + refreshLedgerOnApplied, 1 tx/event, no HTTP; mean ${round(s.mean)} ms/event; ${round(perEvent, 1)} SQL statements/event + BEGIN/COMMIT; bench-process CPU ${round(stats.cpu / n)} ms/event; select-1 RTT ${round(rttP50, 3)} ms`,
      extra: {
        outcomes: stats.outcomes,
        statementsPerEvent: round(perEvent, 2),
        statementsByKindPerEvent: topKinds(stats.byKind, n, 14),
        cpuMsPerEvent: round(stats.cpu / n, 3),
        selectOneRttMs: round(rttP50, 4),
        mean: round(s.mean, 3),
        source: stream.source,
        baseWorkspaceRows: await tableCounts(handle, baseWorkspaceId, [
          "stripe_events",
          "subscription_versions",
          "mrr_changes",
          "invoices",
        ]),
      },
    },
  ];
  // The same events without the ledger hook (what the webhook route runs today), on a fresh workspace.
  const ws = await benchWorkspace(ctx, "bench-noledger", "Bench no ledger");
  const events = stream.stripe.slice(0, Math.min(stream.stripe.length, 600));
  const plain = await feed(ctx, {
    workspaceId: ws.id,
    connectionId: "con_benchnoledger",
    events,
    label: "ingest without ledger",
  });
  const withLedgerSameSlice = summarize(stats.latencies.slice(0, events.length));
  const p = summarize(plain.latencies);
  rows.push({
    name: "ingest-db-work (no ledger)",
    n: plain.latencies.length,
    p50: round(p.p50),
    p95: round(p.p95),
    p99: round(p.p99),
    throughput: round((plain.latencies.length / plain.wall) * 1000, 1),
    unit: "events/s",
    notes: `ingestEvent with a no-op onApplied (raw event + projection, no ledger), first ${events.length} events; mean ${round(p.mean)} ms vs ${round(withLedgerSameSlice.mean)} ms with ledger on the same events; ${round(plain.statements / plain.latencies.length, 1)} statements/event`,
    extra: {
      statementsPerEvent: round(plain.statements / plain.latencies.length, 2),
      statementsByKindPerEvent: topKinds(plain.byKind, plain.latencies.length, 14),
      cpuMsPerEvent: round(plain.cpu / plain.latencies.length, 3),
      withLedgerSameEventsMean: round(withLedgerSameSlice.mean, 3),
    },
  });
  return rows;
}
