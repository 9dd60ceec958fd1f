// webhook: signed Stripe events POSTed to the production server (sequential and with concurrency 8), against a
// baseline: a bare node:http server in this process that verifies the same signature with the stripe package and,
// in ONE transaction, inserts the raw event (ON CONFLICT DO NOTHING) and upserts one projection row.
import http from "node:http";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { PGlite } from "@electric-sql/pglite";
import postgres from "postgres";
import Stripe from "stripe";
import { createConnection } from "@/lib/stripe/connections";
import type { StripeEvent } from "@/lib/stripe/event";
import { END_DATE, requireHandle, skipped, type BenchContext } from "../lib/context";
import { rawQuery } from "../lib/db";
import { loadStream } from "../lib/events";
import { ok2xx, runLoad, type LoadResult } from "../lib/load";
import { progress, round, summarize, type Row } from "../lib/util";
import { benchWorkspace } from "./base";

const stripe = new Stripe("sk_test_x");
const CONCURRENCIES = [1, 8] as const;
const SECRETS = { 1: "whsec_benchsequential", 8: "whsec_benchconcurrent8" } as const;

type Prepared = { slug: string; connections: Record<1 | 8, string>; bodies: string[]; source: string };
let prepared: Prepared | null = null;

const BASELINE_DDL = [
  `create table if not exists bench_baseline_events (connection_id text not null, id text not null, type text not null,
     api_version text, created timestamptz not null, payload jsonb not null, received_at timestamptz not null default now(),
     primary key (connection_id, id))`,
  `create table if not exists bench_baseline_objects (connection_id text not null, id text not null, type text not null,
     state jsonb not null, last_event_created timestamptz not null, last_event_id text not null, primary key (connection_id, id))`,
];

export async function prepareWebhook(ctx: BenchContext): Promise<void> {
  const handle = requireHandle(ctx);
  const customers = ctx.scale === "full" ? 120 : 40;
  const cap = ctx.scale === "full" ? 3000 : 1000;
  const stream = await loadStream({ seed: "northstar-bench-webhook", customers, months: 24, endDate: END_DATE });
  const bodies = stream.stripe.slice(0, cap).map((e: StripeEvent) => JSON.stringify(e));
  const ws = await benchWorkspace(ctx, "bench-webhook", "Bench webhook");
  const connections = {} as Record<1 | 8, string>;
  for (const c of CONCURRENCIES)
    connections[c] = (
      await createConnection({ db: handle.db, workspaceId: ws.id, webhookSecret: SECRETS[c], name: `bench c${c}` })
    ).id;
  if (handle.driver === "postgres") for (const ddl of BASELINE_DDL) await rawQuery(handle, ddl);
  prepared = { slug: ws.slug, connections, bodies, source: stream.source };
  progress(`webhook: ${bodies.length} events per run from ${stream.source}`);
}

const sign = (payload: string, secret: string) => stripe.webhooks.generateTestHeaderString({ payload, secret });

async function post(url: string, body: string, secret: string): Promise<number> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", "stripe-signature": sign(body, secret) },
    body,
    signal: AbortSignal.timeout(60_000),
  });
  await res.arrayBuffer();
  return res.status;
}

type Baseline = { url: string; close: () => Promise<void>; label: string };

/** The bare ingester: verify, then one transaction with the raw insert and one projection upsert. */
async function startBaseline(ctx: BenchContext): Promise<Baseline> {
  let close: () => Promise<void>;
  let ingest: (conn: string, event: StripeEvent, body: string) => Promise<void>;
  let label: string;
  if (ctx.target.driver === "postgres") {
    const sql = postgres(ctx.target.url, { onnotice: () => {}, max: 10, prepare: true });
    label = "postgres.js pool of 10 on the same scratch database";
    ingest = async (conn, event, body) => {
      const object = event.data.object;
      await sql.begin(async (tx) => {
        const inserted =
          await tx`insert into bench_baseline_events (connection_id, id, type, api_version, created, payload)
          values (${conn}, ${event.id}, ${event.type}, ${event.api_version ?? null}, to_timestamp(${event.created}), ${body}::jsonb)
          on conflict do nothing returning 1`;
        if (inserted.length === 0) return;
        await tx`insert into bench_baseline_objects (connection_id, id, type, state, last_event_created, last_event_id)
          values (${conn}, ${String(object.id)}, ${String(object.object ?? event.type)}, ${JSON.stringify(object)}::jsonb, to_timestamp(${event.created}), ${event.id})
          on conflict (connection_id, id) do update set state = excluded.state, type = excluded.type,
            last_event_created = excluded.last_event_created, last_event_id = excluded.last_event_id
          where bench_baseline_objects.last_event_created <= excluded.last_event_created`;
      });
    };
    close = () => sql.end({ timeout: 5 });
  } else {
    // PGlite is one process per data dir and the app server owns its dir: the baseline gets its own PGlite.
    const pg = await PGlite.create(path.join(ctx.target.tmpDir, "baseline-pglite"));
    for (const ddl of BASELINE_DDL) await pg.exec(ddl);
    label = "its own embedded PGlite in this process (the server owns the app's)";
    ingest = async (conn, event, body) => {
      const object = event.data.object;
      await pg.transaction(async (tx) => {
        const inserted = await tx.query(
          `insert into bench_baseline_events (connection_id, id, type, api_version, created, payload)
           values ($1, $2, $3, $4, to_timestamp($5), $6::jsonb) on conflict do nothing returning 1`,
          [conn, event.id, event.type, event.api_version ?? null, event.created, body],
        );
        if (inserted.rows.length === 0) return;
        await tx.query(
          `insert into bench_baseline_objects (connection_id, id, type, state, last_event_created, last_event_id)
           values ($1, $2, $3, $4::jsonb, to_timestamp($5), $6)
           on conflict (connection_id, id) do update set state = excluded.state, type = excluded.type,
             last_event_created = excluded.last_event_created, last_event_id = excluded.last_event_id
           where bench_baseline_objects.last_event_created <= excluded.last_event_created`,
          [
            conn,
            String(object.id),
            String(object.object ?? event.type),
            JSON.stringify(object),
            event.created,
            event.id,
          ],
        );
      });
    };
    close = () => pg.close();
  }
  const secrets: Record<string, string> = { c1: SECRETS[1], c8: SECRETS[8] };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const conn = (req.url ?? "").split("/").pop() ?? "";
      const secret = secrets[conn];
      if (req.method !== "POST" || !secret) return void res.writeHead(404).end();
      const body = Buffer.concat(chunks).toString("utf8");
      let event: StripeEvent;
      try {
        event = stripe.webhooks.constructEvent(
          body,
          String(req.headers["stripe-signature"] ?? ""),
          secret,
          300,
        ) as unknown as StripeEvent;
      } catch {
        return void res.writeHead(400).end("bad signature");
      }
      ingest(conn, event, body).then(
        () => res.writeHead(200, { "content-type": "text/plain" }).end("ok"),
        (err: Error) => res.writeHead(503).end(err.message),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    label,
    close: async () => {
      await new Promise<void>((r) => server.close(() => r()));
      await close();
    },
  };
}

function row(name: string, r: LoadResult, note: string): Row {
  const s = summarize(r.latencies);
  const good = ok2xx(r.statuses);
  return {
    name,
    n: r.sent,
    p50: round(s.p50),
    p95: round(s.p95),
    p99: round(s.p99),
    throughput: round((r.sent / r.elapsedMs) * 1000, 1),
    unit: "events/s",
    notes: `${good}/${r.sent} 2xx${good < r.sent ? ` (statuses ${JSON.stringify(r.statuses)}${r.errors.length ? `; ${r.errors[0]}` : ""})` : ""}${r.stoppedByBudget ? "; stopped by the time budget" : ""}; ${note}`,
    extra: { statuses: r.statuses, elapsedMs: round(r.elapsedMs, 0) },
  };
}

export async function httpWebhook(ctx: BenchContext): Promise<void> {
  if (!prepared) return;
  const budgetMs = ctx.scale === "full" ? 180_000 : 90_000;
  const app: Record<number, LoadResult> = {};
  if (!ctx.server) {
    ctx.rows.push(skipped("webhook (app)", "no production server (see above)"));
  } else {
    for (const c of CONCURRENCIES) {
      const url = `${ctx.server.url}/api/webhooks/stripe/${prepared.connections[c]}`;
      await post(url, prepared.bodies[0]!, SECRETS[c]); // warm the route (compiles nothing in prod, but opens caches)
      app[c] = await runLoad({
        label: `webhook app c${c}`,
        items: prepared.bodies.slice(1),
        concurrency: c,
        budgetMs,
        send: (b) => post(url, b, SECRETS[c]),
      });
      ctx.rows.push(
        row(`webhook app c${c}`, app[c], `next start, POST /api/webhooks/stripe/<id>, ${ctx.target.driver}`),
      );
    }
  }
  const baseline = await startBaseline(ctx);
  try {
    for (const c of CONCURRENCIES) {
      const url = `${baseline.url}/c${c}`;
      await post(url, prepared.bodies[0]!, SECRETS[c]);
      const r = await runLoad({
        label: `webhook baseline c${c}`,
        items: prepared.bodies.slice(1),
        concurrency: c,
        budgetMs,
        send: (b) => post(url, b, SECRETS[c]),
      });
      const a = app[c];
      const ratio = a
        ? `app/baseline: ${round(a.sent / a.elapsedMs / (r.sent / r.elapsedMs), 2)}× throughput, ${round((summarize(a.latencies).p50 ?? 0) / (summarize(r.latencies).p50 ?? 1), 1)}× p50 latency`
        : "no app run to compare";
      ctx.rows.push(
        row(`webhook baseline c${c}`, r, `bare node:http + 1 tx (raw insert + 1 upsert), ${baseline.label}; ${ratio}`),
      );
    }
  } finally {
    await baseline.close();
  }
  ctx.extra.webhook = { events: prepared.bodies.length - 1, source: prepared.source };
}
