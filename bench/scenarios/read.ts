// read-metrics / read-movements: a workspace of `--scale` customers whose derived tables (subscription versions,
// MRR ledger, invoices, charges, refunds, projection) are replicated from the really-ingested base workspace by bulk
// INSERT … SELECT, then the two read API answers are timed in-process (DB vs JS) and over HTTP.
import { computeMetricsAnswer, computeMovementsAnswer } from "@/lib/kpi/finance";
import { computeMetricsAnswerFromLedger } from "@/lib/kpi/testing/reference";
import { computePolicyPreview } from "@/lib/kpi/dashboard-preview";
import { requestPolicyChange, runPolicyChange } from "@/lib/kpi/policy-change";
import { getMetricConfig } from "@/lib/kpi/settings";
import { refreshLedgerOnApplied } from "@/lib/kpi/stripe-hook";
import { aroundHook } from "@/lib/stripe/ingest";
import { computeHeadlineFromTotals, listNeededWindows } from "@/lib/metrics/headline-totals";
import { computeMovementPeriods } from "@/lib/metrics/movement-periods";
import { endOfLocalDay, resolvePeriod, startOfLocalDay } from "@/lib/metrics/time";
import { annotateLedgerInSql, listMrrChanges, rebuildRollups } from "@/db/queries/mrr";
import { listCohortTotals, listDailyTotals, listWindowCorrections, sumFlaggedAsOf } from "@/db/queries/kpi-totals";
import {
  listPaidInvoiceGroups,
  listRecoveryGroups,
  countTrialOutcomes,
  listOtherCashGroups,
} from "@/db/queries/finance";
import { createApiKey } from "@/lib/workspaces/api-keys";
import { systemCtx, type Workspace } from "@/lib/workspaces/context";
import type { StripeEvent } from "@/lib/stripe/event";
import {
  countingDb,
  explainAnalyze,
  newCounter,
  rawQuery,
  replicateWorkspace,
  serverTimedHandle,
  tableCounts,
  type ServerTime,
} from "../lib/db";
import { END_DATE, need, requireHandle, skipped, type BenchContext } from "../lib/context";
import { suffixIds } from "../lib/events";
import { progress, round, summarize, throttled } from "../lib/util";
import { benchWorkspace, ensureBase, feed } from "./base";

const AS_OF = END_DATE;
const FROM_24M = "2024-12-01";
// The answers before these are not counted: each of the pool's 10 connections (and its server backend) is new and
// prepares its statements on first use. The first answers' times are kept in the row's notes as "cold".
const WARMUP = 12;
const ITERATIONS = 20;
const budgetMs = (ctx: BenchContext) => (ctx.scale === "full" ? 180_000 : 120_000);

export type Seeded = { workspace: Workspace; customers: number; counts: Record<string, number>; seedMs: number };

/** A workspace of about `customers` customers, replicated from the base. */
export async function seedReplicated(ctx: BenchContext, slug: string, customers: number): Promise<Seeded> {
  const handle = requireHandle(ctx);
  const base = await ensureBase(ctx);
  const copies = Math.max(1, Math.round(customers / base.customers));
  const ws = await benchWorkspace(ctx, slug, `Bench ${slug}`);
  const t0 = performance.now();
  progress(`${slug}: replicating the base workspace (${base.customers} customers) ×${copies}`);
  const report = throttled(3000);
  await replicateWorkspace(handle, {
    from: base.workspaceId,
    to: ws.id,
    copies,
    onProgress: (l) => report(`${slug}: ${l}`),
  });
  // Copies shift their days, so each copy's cohort and deltas are recomputed, then summed into the rollups.
  progress(`${slug}: annotating the ledger and summing the rollups`);
  await annotateLedgerInSql(ws.id, handle.db);
  await rebuildRollups(ws.id, handle.db);
  // A live database is vacuumed by autovacuum: without it the freshly written copies would have no visibility map,
  // and every index-only scan would read the heap.
  if (handle.driver === "postgres") await rawQuery(handle, "vacuum analyze");
  const seedMs = performance.now() - t0;
  const counts = await tableCounts(handle, ws.id, [
    "customers",
    "subscriptions",
    "subscription_versions",
    "mrr_changes",
    "invoices",
    "charges",
    "refunds",
  ]);
  progress(`${slug}: seeded in ${Math.round(seedMs / 1000)} s: ${JSON.stringify(counts)}`);
  return { workspace: ws, customers: counts.customers ?? copies * base.customers, counts, seedMs };
}

async function timeIt<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const a = performance.now();
  const v = await fn();
  return [performance.now() - a, v];
}

const warmUps = new Map<string, number[]>();
/** The warm-up answers of a loop, as a note: how slow an answer is on connections that are still new. */
const coldNote = (label: string) => {
  const w = warmUps.get(label) ?? [];
  return w.length
    ? `; the ${w.length} warm-up answers (new connections) took ${round(median(w), 1)} ms p50, the first ${round(w[0]!, 0)} ms`
    : "";
};

async function loop(ctx: BenchContext, label: string, fn: () => Promise<void>) {
  const BUDGET_MS = budgetMs(ctx);
  const samples: number[] = [];
  const warm: number[] = [];
  warmUps.set(label, warm);
  const started = performance.now();
  for (let i = 0; i < WARMUP + ITERATIONS; i++) {
    if (performance.now() - started > BUDGET_MS && samples.length > 0) break;
    const a = performance.now();
    await fn();
    if (i >= WARMUP) samples.push(performance.now() - a);
    else warm.push(performance.now() - a);
    progress(`${label}: ${i + 1}/${WARMUP + ITERATIONS} (${Math.round(performance.now() - a)} ms)`);
  }
  return samples;
}

const median = (xs: number[]) => summarize(xs).p50 ?? 0;

let state: { seeded: Seeded; token: string } | null = null;

export async function prepareRead(ctx: BenchContext): Promise<void> {
  const handle = requireHandle(ctx);
  const target = ctx.scale === "full" ? 50_000 : 2_000;
  const seeded = await seedReplicated(ctx, "bench-read", target);
  const ws = seeded.workspace;
  const { token } = await createApiKey({
    db: handle.db,
    ctx: systemCtx(ws),
    input: { name: "bench", scopes: ["metrics:read"] },
  });
  state = { seeded, token };
  const seedNote = `${seeded.customers.toLocaleString("en-US")} customers; derived tables seeded directly (base ingested for real, replicated by SQL)`;
  const counter = newCounter();
  const db = countingDb(handle, counter);

  if (need(ctx, "read-metrics")) {
    const headlineMs: number[] = [];
    let rowsLoaded: Record<string, number> = {};
    const stmts0 = counter.statements;
    const samples = await loop(ctx, "read-metrics in-process", async () => {
      const { input } = await computeMetricsAnswer(ws, db, { asOf: AS_OF });
      const [ms] = await timeIt(async () => computeHeadlineFromTotals(input));
      headlineMs.push(ms);
      rowsLoaded = {
        dailyTotals: input.daily.length,
        cohortTotals: input.cohorts.length,
        windows: input.windows.size,
        trialsEnded: input.trials.ended,
        cashGroups: input.cash.length,
        failedInvoiceGroups: input.failedInvoices.length,
      };
    });
    const statementsPerAnswer = (counter.statements - stmts0) / (WARMUP + samples.length);
    // Each query on its own (fetch + row mapping), 3 runs each, and its server-side execution time.
    const before = new Date(endOfLocalDay(AS_OF, ws.timezone));
    const from = new Date(startOfLocalDay(resolvePeriod(AS_OF, "month").start, ws.timezone));
    const config = await getMetricConfig(ws.id, db);
    const queries: Record<string, () => Promise<unknown[] | unknown>> = {
      listDailyTotals: () => listDailyTotals(ws.id, db, AS_OF),
      listWindowCorrections: () =>
        listWindowCorrections(ws.id, db, listNeededWindows({ asOf: AS_OF, settings: config.settings }), {
          asOf: AS_OF,
          churners: config.policy.churnRateBasis === "movements",
        }),
      listCohortTotals: () => listCohortTotals(ws.id, db, AS_OF.slice(0, 7)),
      sumFlaggedAsOf: () => sumFlaggedAsOf(ws.id, db, AS_OF),
      countTrialOutcomes: () => countTrialOutcomes(ws.id, db, { from, before }),
      listPaidInvoiceGroups: () => listPaidInvoiceGroups(ws.id, db, { from, before, timeZone: ws.timezone }),
      listRecoveryGroups: () => listRecoveryGroups(ws.id, db, { from, before, timeZone: ws.timezone }),
      listOtherCashGroups: () => listOtherCashGroups(ws.id, db, { from, before, timeZone: ws.timezone }),
      getMetricConfig: () => getMetricConfig(ws.id, db),
    };
    const perQuery: Record<string, { ms: number; rows: number | null; serverMs: number | null }> = {};
    for (const [name, fn] of Object.entries(queries)) {
      const times: number[] = [];
      let rows: number | null = null;
      counter.capture = [];
      for (let i = 0; i < 3; i++) {
        const [ms, v] = await timeIt(fn);
        times.push(ms);
        rows = Array.isArray(v) ? v.length : v instanceof Map ? v.size : null;
      }
      const captured = counter.capture.slice(0, Math.max(1, counter.capture.length / 3));
      counter.capture = null;
      let serverMs: number | null = 0;
      for (const q of captured) {
        try {
          serverMs += (await explainAnalyze(handle, q.sql, q.params)).executionMs ?? 0;
        } catch {
          serverMs = null;
          break;
        }
      }
      perQuery[name] = { ms: round(median(times))!, rows, serverMs: round(serverMs) };
    }
    // The reference: the same answer from the whole ledger through the engine (what /metrics did before ADR 0009).
    const [referenceMs] = await timeIt(() => computeMetricsAnswerFromLedger(ws, db, { asOf: AS_OF }));
    const s = summarize(samples);
    const h = summarize(headlineMs);
    const slowest = Object.entries(perQuery).sort(([, a], [, b]) => b.ms - a.ms)[0];
    ctx.rows.push({
      name: "read-metrics (in-process)",
      n: samples.length,
      p50: round(s.p50),
      p95: round(s.p95),
      p99: round(s.p99),
      throughput: null,
      notes: `computeMetricsAnswer ${AS_OF} from the rollups; ${seedNote}; loads ${Object.entries(rowsLoaded)
        .map(([k, v]) => `${v} ${k}`)
        .join(", ")}; slowest query ${slowest?.[0]} ${slowest?.[1].ms} ms; computeHeadlineFromTotals JS p50 ${round(
        h.p50,
        1,
      )} ms; ${round(statementsPerAnswer, 1)} statements/answer; the whole-ledger reference took ${round(referenceMs, 0)} ms once${coldNote("read-metrics in-process")}`,
      extra: {
        rowsLoaded,
        perQuery,
        headlineJs: { p50: round(h.p50), p95: round(h.p95) },
        statementsPerAnswer,
        referenceMs: round(referenceMs, 0),
        counts: seeded.counts,
        seedMs: round(seeded.seedMs, 0),
      },
    });
  }

  if (need(ctx, "read-movements")) {
    const loadMs: number[] = [];
    const jsMs: number[] = [];
    let rows = 0;
    const samples = await loop(ctx, "read-movements in-process", async () => {
      await computeMovementsAnswer(ws, db, { from: FROM_24M, to: AS_OF, interval: "month" });
    });
    for (let i = 0; i < 5; i++) {
      const [a, changes] = await timeIt(() => listMrrChanges(ws.id, db, { to: AS_OF }));
      const [b] = await timeIt(async () =>
        computeMovementPeriods({ changes, from: FROM_24M, to: AS_OF, interval: "month" }),
      );
      loadMs.push(a);
      jsMs.push(b);
      rows = changes.length;
    }
    counter.capture = [];
    await listMrrChanges(ws.id, db, { to: AS_OF });
    const q = counter.capture[0];
    counter.capture = null;
    const server = q ? await explainAnalyze(handle, q.sql, q.params).catch(() => null) : null;
    const s = summarize(samples);
    ctx.rows.push({
      name: "read-movements (in-process)",
      n: samples.length,
      p50: round(s.p50),
      p95: round(s.p95),
      p99: round(s.p99),
      throughput: null,
      notes: `computeMovementsAnswer ${FROM_24M}..${AS_OF} monthly (24 periods), amounts from mrr_daily; ${seedNote}; the whole-ledger reference: listMrrChanges of all ${rows} rows p50 ${round(median(loadMs), 0)} ms (SQL execution ${round(server?.executionMs ?? null, 0)} ms) + computeMovementPeriods JS p50 ${round(median(jsMs), 1)} ms${coldNote("read-movements in-process")}`,
      extra: {
        ledgerRows: rows,
        listMrrChangesMs: round(median(loadMs)),
        sqlExecutionMs: round(server?.executionMs ?? null),
        movementPeriodsJsMs: round(median(jsMs)),
      },
    });
  }

  // One new event on the big workspace: the incremental cost the goal sets ("well under a millisecond").
  const base = await ensureBase(ctx);
  const updates = base.stream.stripe.filter((e) => e.type === "customer.subscription.updated").slice(-20);
  // Each copy of the base is one replica's customers: event i goes to replica `first + i`, later than all history.
  const freshBatch = (first: number, tag: string, at: string) =>
    updates.map((e, i) => {
      const copy = suffixIds(e, `_${String(first + i).padStart(4, "0")}`) as StripeEvent;
      copy.id = `${copy.id}${tag}`;
      copy.created = Math.floor(Date.parse(at) / 1000) + i;
      return copy;
    });
  const fresh = freshBatch(7, "new", "2026-12-01T12:00:00Z");
  const stats = await feed(ctx, {
    workspaceId: ws.id,
    connectionId: "con_benchbase",
    events: fresh,
    onApplied: refreshLedgerOnApplied,
    label: "ingest into the big workspace",
  });
  const s = summarize(stats.latencies);
  ctx.rows.push({
    name: "ingest-one-event (big ws)",
    n: stats.latencies.length,
    p50: round(s.p50),
    p95: round(s.p95),
    p99: round(s.p99),
    throughput: round((stats.latencies.length / stats.wall) * 1000, 1),
    unit: "events/s",
    notes: `customer.subscription.updated for existing customers of the ${seeded.customers.toLocaleString("en-US")}-customer workspace, ingestEvent + ledger hook; ${round(stats.statements / stats.latencies.length, 1)} statements/event; outcomes ${JSON.stringify(stats.outcomes)}`,
    extra: {
      outcomes: stats.outcomes,
      statementsPerEvent: round(stats.statements / stats.latencies.length, 2),
      cpuMsPerEvent: round(stats.cpu / stats.latencies.length, 3),
    },
  });
  if (ctx.target.driver === "postgres")
    // Setting log_min_duration_statement needs a superuser: on another role the row says so and the run goes on.
    await serverTimeRow(ctx, ws.id, seeded.customers, freshBatch).catch((e: unknown) => {
      ctx.rows.push(skipped("ingest-one-event DB time (big ws)", e instanceof Error ? e.message : String(e)));
    });
  // Last: it rewrites the big workspace's ledger (and puts it back), which the rows above read.
  if (need(ctx, "policy-recompute")) await policyRecomputeRow(ctx, ws, seeded.customers);
}

/** What the workspace's last policy job reported: customers computed, changed, computed again at the swap. */
async function findLatestPolicyJob(handle: ReturnType<typeof requireHandle>, workspaceId: string) {
  const [row] = await rawQuery<{ progress: { changed?: number } }>(
    handle,
    "select progress from jobs where workspace_id = $1 and kind = 'policy' order by created_at desc limit 1",
    [workspaceId],
  );
  return row?.progress;
}

/** A row of a few long runs: their median, and the slowest in the p95 column. */
const fewRuns = (name: string, samples: number[]) => ({
  name,
  n: samples.length,
  p50: round(summarize(samples).p50),
  p95: round(Math.max(...samples)),
  p99: null,
  throughput: null,
});

/**
 * A policy change on the big workspace, as the settings page's background job applies it (ADR 0017): every
 * customer computed in read-only batches, then the changed ones swapped in under the configuration lock, whose
 * time is measured apart (events wait only for it). Discounts ignored, then the defaults again; the ledger must
 * come back to the rows it had.
 */
async function policyRecomputeRow(ctx: BenchContext, ws: Workspace, customers: number) {
  const handle = requireHandle(ctx);
  const ledgerRows = async () =>
    Number(
      (
        await rawQuery<{ n: string }>(handle, "select count(*)::text as n from mrr_changes where workspace_id = $1", [
          ws.id,
        ])
      )[0]?.n ?? 0,
    );
  // The settings page's preview of the change first: the whole ledger recomputed in memory, nothing written.
  const config = await getMetricConfig(ws.id, handle.db);
  const previewMs: number[] = [];
  for (let i = 0; i < 2; i++) {
    progress(`policy-preview: ${i + 1}/2 on ${customers.toLocaleString("en-US")} customers`);
    const [ms] = await timeIt(() =>
      computePolicyPreview(
        ws,
        handle.db,
        config,
        { policy: { ...config.policy, discounts: "ignored" }, settings: config.settings },
        AS_OF,
      ),
    );
    previewMs.push(ms);
  }
  ctx.rows.push({
    ...fewRuns("policy-preview (big ws)", previewMs),
    notes: `computePolicyPreview (discounts ignored) on the ${customers.toLocaleString("en-US")}-customer workspace, as the metric policies page renders a candidate: every customer's ledger recomputed in memory and compared with the stored one`,
  });
  const counts = [await ledgerRows()];
  // The ledger as the rows above left it, to check that a recompute gives the same rows. Only the copies that
  // replication did not shift (copy k with k % 28 = 0, replicateWorkspace): it shifts the tables' dates but not the
  // instants inside a version's state (trial and discount ends), so a shifted copy's rows are not what its versions
  // give, by construction of the bench data.
  const cols = "customer_id, day, kind, mrr, amount";
  const unshifted = `workspace_id = $1 and right(customer_id, 4) ~ '^[0-9]{4}$' and right(customer_id, 4)::int % 28 = 0`;
  await rawQuery(handle, `drop table if exists bench_ledger_before`);
  await rawQuery(handle, `create table bench_ledger_before as select ${cols} from mrr_changes where ${unshifted}`, [
    ws.id,
  ]);
  const checked = Number(
    (await rawQuery<{ n: string }>(handle, `select count(distinct customer_id)::text as n from bench_ledger_before`))[0]
      ?.n ?? 0,
  );
  const samples: number[] = [];
  const swaps: number[] = [];
  const changed: number[] = [];
  for (const policy of [{ discounts: "ignored" }, {}]) {
    progress(`policy-recompute: ${JSON.stringify(policy)} on ${customers.toLocaleString("en-US")} customers`);
    // As the settings page's background job runs it (ADR 0017): computed in batches, then swapped in under the lock.
    let swapStart = 0;
    const [ms] = await timeIt(async () => {
      const { jobId } = await requestPolicyChange(handle.db, systemCtx(ws), policy);
      await runPolicyChange(handle.db, ws.id, jobId, (p) => {
        if (p.phase === "applying") swapStart = performance.now();
        else if (p.done === p.total || p.done % 10_000 === 0)
          progress(`policy-recompute: ${p.done}/${p.total} computed`);
      });
    });
    samples.push(ms);
    swaps.push(performance.now() - swapStart);
    changed.push(Number((await findLatestPolicyJob(handle, ws.id))?.changed ?? 0));
    counts.push(await ledgerRows());
  }
  const now = `select ${cols} from mrr_changes where ${unshifted}`;
  const differing = await rawQuery<{ customer_id: string; rows: string }>(
    handle,
    `select customer_id, count(*)::text as rows from (
       (${now} except all select ${cols} from bench_ledger_before)
       union all (select ${cols} from bench_ledger_before except all ${now})) d
     group by customer_id order by count(*) desc, customer_id`,
    [ws.id],
  );
  if (differing.length > 0) {
    const first = differing[0]!.customer_id;
    const show = async (table: string) =>
      (
        await rawQuery<{ day: string; kind: string | null; mrr: string }>(
          handle,
          `select day::text as day, kind, mrr::text as mrr from ${table} where customer_id = $1 ${table === "mrr_changes" ? "and workspace_id = $2" : ""} order by day`,
          table === "mrr_changes" ? [first, ws.id] : [first],
        )
      )
        .map((r) => `${r.day} ${r.kind ?? "-"} ${r.mrr}`)
        .join(", ");
    progress(
      `policy-recompute: ${differing.length} customers differ; ${first} before: ${await show("bench_ledger_before")}`,
    );
    progress(`policy-recompute: ${first} after: ${await show("mrr_changes")}`);
  }
  await rawQuery(handle, `drop table bench_ledger_before`);
  const row = fewRuns("policy-recompute (big ws)", samples);
  ctx.rows.push({
    ...row,
    throughput: round((customers / (row.p50 ?? 1)) * 1000, 0),
    unit: "customers/s",
    notes: `a policy change on the ${customers.toLocaleString("en-US")}-customer workspace as its background job runs it: discounts ignored (${round(samples[0]!, 0)} ms, ${changed[0]!.toLocaleString("en-US")} customers changed), then the defaults again (${round(samples[1]!, 0)} ms), each computing every customer's ledger in read-only batches of 500 while events go on, then swapping the changed customers in under the configuration lock, the only time the workspace's events wait: ${round(swaps[0]!, 0)} ms and ${round(swaps[1]!, 0)} ms; ledger rows ${counts.map((c) => c.toLocaleString("en-US")).join(" → ")}; of the ${checked.toLocaleString("en-US")} customers of unshifted copies, ${differing.length === 0 ? "all have the same rows as before" : `${differing.length} have other rows than before (NOT back to the start)`}`,
    extra: {
      samplesMs: samples.map((x) => round(x)),
      swapMs: swaps.map((x) => round(x)),
      customersChanged: changed,
      ledgerRows: counts,
      customersChecked: checked,
      customersDiffering: differing.length,
      sample: differing.slice(0, 10),
    },
  });
}

/**
 * The same kind of event on other customers of the big workspace, on a connection where the server reports its own
 * time per statement: the database work of one event, without the client's CPU or the network.
 */
async function serverTimeRow(
  ctx: BenchContext,
  workspaceId: string,
  customers: number,
  freshBatch: (first: number, tag: string, at: string) => StripeEvent[],
) {
  if (ctx.target.driver !== "postgres") return;
  // The app's connections live long: 20 events first, so that the measured ones find their statements prepared.
  const warmUp = freshBatch(307, "srv", "2026-12-01T12:30:00Z");
  const events = [
    ...freshBatch(107, "srv", "2026-12-01T13:00:00Z"),
    ...freshBatch(207, "srv", "2026-12-01T14:00:00Z"),
    ...freshBatch(407, "srv", "2026-12-01T15:00:00Z"),
  ];
  const timed = serverTimedHandle(ctx.target);
  const perEvent: ServerTime[] = [];
  const onApplied = aroundHook(refreshLedgerOnApplied, async (...args) => {
    timed.section("ledger");
    try {
      await refreshLedgerOnApplied(...args);
    } finally {
      timed.section("event");
    }
  });
  try {
    timed.section("event");
    const common = { workspaceId, connectionId: "con_benchbase", onApplied, handle: timed.handle };
    await feed(ctx, { ...common, events: warmUp, label: "server-timed ingest: warm-up" });
    timed.take();
    const stats = await feed(ctx, {
      ...common,
      events,
      label: "server-timed ingest into the big workspace",
      afterEach: () => perEvent.push(timed.take()),
    });
    const work = summarize(perEvent.map((t) => t.statementsMs));
    const commit = summarize(perEvent.map((t) => t.commitMs));
    const byKind: Record<string, number> = {};
    for (const t of perEvent)
      for (const [k, ms] of Object.entries(t.byKind)) byKind[k] = (byKind[k] ?? 0) + ms / perEvent.length;
    // The facts: what the ledger hook sends (lock, its read, the ledger, rollup and trial-mark writes).
    const ledger = summarize(perEvent.map((t) => t.bySection.ledger ?? 0));
    const ledgerMs = ledger.mean;
    const slowest = perEvent.reduce<ServerTime["slowest"]>(
      (a, t) => (t.slowest && (!a || t.slowest.ms > a.ms) ? t.slowest : a),
      null,
    );
    ctx.rows.push({
      name: "ingest-one-event DB time (big ws)",
      n: perEvent.length,
      p50: round(work.p50, 3),
      p95: round(work.p95, 3),
      p99: round(work.p99, 3),
      throughput: null,
      notes: `the server's own time per event (parse + bind + execute of every statement, from log_min_duration_statement = 0) after ${warmUp.length} warm-up events on the connection, ${customers.toLocaleString("en-US")}-customer workspace, ${round(stats.statements / perEvent.length, 1)} statements/event; the ledger hook's share (the facts: read, ledger, rollups, trial marks; the customer's lock is in the first statement) p50 ${round(ledger.p50, 3)} ms, p95 ${round(ledger.p95, 3)} ms, mean ${round(ledgerMs, 3)} of ${round(work.mean, 3)} ms; COMMIT (WAL flush) on top: p50 ${round(commit.p50, 3)} ms; wall p50 ${round(summarize(stats.latencies).p50)} ms; slowest phase ${slowest ? `${slowest.kind} ${round(slowest.ms, 3)} ms` : "–"}; outcomes ${JSON.stringify(stats.outcomes)}`,
      extra: {
        outcomes: stats.outcomes,
        meanMs: round(work.mean, 4),
        ledgerMeanMs: round(ledgerMs, 4),
        ledger: { p50: round(ledger.p50, 4), p95: round(ledger.p95, 4), p99: round(ledger.p99, 4) },
        commit: { p50: round(commit.p50, 4), p95: round(commit.p95, 4) },
        byKindMeanMs: Object.fromEntries(Object.entries(byKind).map(([k, v]) => [k, round(v, 4)])),
        phasesPerEvent: round(perEvent.reduce((a, t) => a + t.phases, 0) / perEvent.length, 2),
        wallP50Ms: round(summarize(stats.latencies).p50),
        medianEventTrace: [...perEvent].sort((a, b) => a.statementsMs - b.statementsMs)[perEvent.length >> 1]?.trace,
      },
    });
  } finally {
    await timed.handle.close();
  }
}

export async function httpRead(ctx: BenchContext): Promise<void> {
  const server = ctx.server;
  const names = [
    ...(need(ctx, "read-metrics") ? ["read-metrics"] : []),
    ...(need(ctx, "read-movements") ? ["read-movements"] : []),
  ];
  if (!state) return;
  if (!server) {
    for (const n of names) ctx.rows.push(skipped(`${n} (HTTP)`, "no production server (see above)"));
    return;
  }
  const { seeded, token } = state;
  const slug = seeded.workspace.slug;
  const paths: Record<string, string> = {
    "read-metrics": `/api/v1/workspaces/${slug}/metrics?date=${AS_OF}`,
    "read-movements": `/api/v1/workspaces/${slug}/mrr-movements?from=${FROM_24M}&to=${AS_OF}&interval=month`,
  };
  for (const name of names) {
    const url = `${server.url}${paths[name]}`;
    let status = 0;
    let bytes = 0;
    const samples = await loop(ctx, `${name} HTTP`, async () => {
      const res = await fetch(url, {
        headers: { authorization: `Bearer ${token}` },
        signal: AbortSignal.timeout(120_000),
      });
      const body = await res.text();
      status = res.status;
      bytes = body.length;
      if (res.status !== 200) throw new Error(`${name}: HTTP ${res.status}: ${body.slice(0, 300)}`);
    });
    const s = summarize(samples);
    ctx.rows.push({
      name: `${name} (HTTP)`,
      n: samples.length,
      p50: round(s.p50),
      p95: round(s.p95),
      p99: round(s.p99),
      throughput: s.mean ? round(1000 / s.mean, 2) : null,
      unit: "req/s",
      notes: `GET ${paths[name]!.replace(slug, "<slug>")} → ${status}, ${bytes} bytes; ${seeded.customers.toLocaleString("en-US")} customers, derived tables seeded directly; sequential, after ${WARMUP} warm-ups${coldNote(`${name} HTTP`)}`,
    });
  }
}
