// The benchmark's own database: a scratch Postgres database `northstar_bench_<pid>` on BENCH_DATABASE_URL (or
// DATABASE_URL), dropped at the end, or an embedded PGlite in a temp dir. Plus a statement-counting drizzle instance
// on the same connection and the SQL that replicates a seeded workspace into a bigger one.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import { openDb, rowsOf, type Db, type DbHandle } from "@/db/client";
import { preparingClient } from "@/db/prepared";
import * as schema from "@/db/schema";
import { progress } from "./util";

export type Target =
  | { driver: "postgres"; serverUrl: string; url: string; dbName: string; tmpDir: string }
  | { driver: "pglite"; dataDir: string; tmpDir: string };

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

function assertLocal(url: string) {
  const host = new URL(url).hostname;
  if (!["127.0.0.1", "localhost", "::1", "[::1]"].includes(host))
    throw new Error(
      `BENCH_DATABASE_URL must point at 127.0.0.1 (the benchmark only talks to this machine), got ${host}`,
    );
}

/**
 * The migrations of this run, copied at its start: the bench and the server it starts apply the same set even if
 * someone regenerates db/migrations in the shared tree meanwhile (a squash would make the server re-run 0000).
 */
export function migrationsDir(target: Target): string {
  return path.join(target.tmpDir, "app", "db", "migrations");
}

export async function createTarget(serverUrl: string | null): Promise<Target> {
  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), "northstar-bench-"));
  fs.cpSync(path.join(process.cwd(), "db", "migrations"), path.join(tmpDir, "app", "db", "migrations"), {
    recursive: true,
  });
  if (!serverUrl) return { driver: "pglite", dataDir: path.join(tmpDir, "data"), tmpDir };
  assertLocal(serverUrl);
  const dbName = `northstar_bench_${process.pid}`;
  const admin = postgres(serverUrl, { onnotice: () => {}, max: 1 });
  try {
    await admin.unsafe(`drop database if exists ${dbName} with (force)`);
    await admin.unsafe(`create database ${dbName}`);
  } finally {
    await admin.end({ timeout: 5 });
  }
  return { driver: "postgres", serverUrl, url: withDatabase(serverUrl, dbName), dbName, tmpDir };
}

export async function dropTarget(target: Target): Promise<void> {
  if (target.driver === "postgres" && process.env.BENCH_KEEP_DB === "1") {
    process.stderr.write(`[bench] BENCH_KEEP_DB=1: kept database ${target.dbName}\n`);
    return;
  }
  if (target.driver === "postgres") {
    const admin = postgres(target.serverUrl, { onnotice: () => {}, max: 1 });
    try {
      await admin.unsafe(`drop database if exists ${target.dbName} with (force)`);
    } finally {
      await admin.end({ timeout: 5 });
    }
  }
  fs.rmSync(target.tmpDir, { recursive: true, force: true });
}

/** Opens the target from the bench process (PGlite: takes the data dir lock; close it before `next start`). */
export async function openTarget(target: Target): Promise<DbHandle> {
  const handle =
    target.driver === "postgres"
      ? await openDb({ kind: "postgres", url: target.url, max: 10 })
      : await openDb({ kind: "pglite", dataDir: target.dataDir, role: "cli" });
  const migrationsFolder = migrationsDir(target);
  if (handle.driver === "postgres") await migratePostgres(handle.db as never, { migrationsFolder });
  else await migratePglite(handle.db as never, { migrationsFolder });
  return handle;
}

export type Counter = {
  statements: number;
  byKind: Map<string, number>;
  capture: { sql: string; params: unknown[] }[] | null;
};

export function newCounter(): Counter {
  return { statements: 0, byKind: new Map(), capture: null };
}

/** `insert mrr_changes`, `select subscription_versions`, … : the verb and the first table a statement names. */
export function classify(query: string): string {
  const q = query.trim().replace(/\s+/g, " ").toLowerCase();
  const verb = q.split(" ")[0] ?? "?";
  const table =
    verb === "insert"
      ? /insert into "?([a-z_]+)"?/.exec(q)?.[1]
      : verb === "update"
        ? /update "?([a-z_]+)"?/.exec(q)?.[1]
        : verb === "delete"
          ? /delete from "?([a-z_]+)"?/.exec(q)?.[1]
          : /from "?([a-z_]+)"?/.exec(q)?.[1];
  return `${verb} ${table ?? "?"}`;
}

/** A drizzle instance on the handle's own connection(s) that counts (and optionally captures) every statement. */
export function countingDb(handle: DbHandle, counter: Counter): Db {
  const logger = {
    logQuery(query: string, params: unknown[]) {
      counter.statements++;
      const kind = classify(query);
      counter.byKind.set(kind, (counter.byKind.get(kind) ?? 0) + 1);
      counter.capture?.push({ sql: query, params });
    },
  };
  if (handle.driver === "postgres")
    return drizzlePostgres(preparingClient(handle.sql!), { schema, casing: "snake_case", logger }) as unknown as Db;
  return drizzlePglite(handle.pglite!, { schema, casing: "snake_case", logger }) as unknown as Db;
}

/** Runs raw SQL with positional parameters on either driver; returns rows. */
export async function rawQuery<T = Record<string, unknown>>(
  handle: DbHandle,
  text: string,
  params: unknown[] = [],
): Promise<T[]> {
  if (handle.driver === "postgres") return (await handle.sql!.unsafe(text, params as never[])) as unknown as T[];
  return (await handle.pglite!.query<T>(text, params)).rows;
}

/** EXPLAIN ANALYZE a captured statement: the server's own execution time and the rows it returned. */
export async function explainAnalyze(handle: DbHandle, text: string, params: unknown[]) {
  const rows = await rawQuery<Record<string, unknown>>(
    handle,
    `explain (analyze, format json) ${text}`,
    params.map(normalizeParam),
  );
  const first = rows[0] ?? {};
  const raw = first["QUERY PLAN"] ?? Object.values(first)[0];
  const plan = (typeof raw === "string" ? JSON.parse(raw) : raw) as {
    "Execution Time": number;
    Plan: { "Actual Rows": number };
  }[];
  return { executionMs: plan[0]?.["Execution Time"] ?? null, rows: plan[0]?.Plan["Actual Rows"] ?? null };
}

export type ServerTime = {
  /** Server time of every phase (parse, bind, execute, simple statements) except COMMIT, in ms. */
  statementsMs: number;
  /** COMMIT alone: the WAL flush to disk. */
  commitMs: number;
  /** Phases reported, and the slowest phase's kind and time. */
  phases: number;
  slowest: { kind: string; ms: number } | null;
  /** Server ms by statement kind (`insert mrr_changes`, …), phases summed. */
  byKind: Record<string, number>;
  /** Server ms (COMMIT aside) by the section the client was in when it sent the statement (`section()`). */
  bySection: Record<string, number>;
  /** Every phase in order: `parse with customers 0.41`, … (the start of the text when the kind says little). */
  trace: string[];
};

const DURATION = /^duration: ([\d.]+) ms\s+(statement|parse|bind|execute)[^:]*:\s*([\s\S]*)$/;

/**
 * Postgres only: a one-connection handle on which the server itself reports how long it spent in each statement
 * (`log_min_duration_statement = 0` with `client_min_messages = log`: the duration of each parse, bind and execute
 * arrives as a LOG notice). `take()` returns and resets the time since the last call. This is the "database work"
 * of an event without the client's CPU or the network; it needs a superuser (the bench's scratch server is).
 */
export function serverTimedHandle(target: Target & { driver: "postgres" }): {
  handle: DbHandle;
  take: () => ServerTime;
  section: (name: string) => void;
} {
  const empty = (): ServerTime => ({
    statementsMs: 0,
    commitMs: 0,
    phases: 0,
    slowest: null,
    byKind: {},
    bySection: {},
    trace: [],
  });
  let acc = empty();
  let current = "other";
  const client = postgres(target.url, {
    max: 1,
    prepare: true,
    connection: { jit: "off", client_min_messages: "log", log_min_duration_statement: "0" },
    onnotice: (n) => {
      const m = DURATION.exec(String(n.message ?? ""));
      if (!m) return;
      const ms = Number(m[1]);
      const text = m[3]!.trim();
      acc.phases++;
      if (/^commit\b/i.test(text)) acc.commitMs += ms;
      else {
        acc.statementsMs += ms;
        acc.bySection[current] = (acc.bySection[current] ?? 0) + ms;
      }
      const kind = classify(text);
      acc.byKind[kind] = (acc.byKind[kind] ?? 0) + ms;
      acc.trace.push(`${current} ${m[2]} ${ms} ${text.replace(/\s+/g, " ").slice(0, 160)}`);
      if (!acc.slowest || ms > acc.slowest.ms) acc.slowest = { kind: `${m[2]} ${kind}`, ms };
    },
  });
  const db = drizzlePostgres(preparingClient(client), { schema, casing: "snake_case" }) as unknown as Db;
  return {
    handle: { db, driver: "postgres", sql: client, close: () => client.end({ timeout: 5 }) },
    // A statement's notices arrive before its result, so a section set between awaits gets exactly its statements.
    section(name) {
      current = name;
    },
    take() {
      const out = acc;
      acc = empty();
      return out;
    },
  };
}

function normalizeParam(p: unknown): unknown {
  if (p instanceof Date) return p.toISOString();
  return p;
}

// ---------------------------------------------------------------------------------------------------------------
// Replication: copy a small, really-ingested workspace K times into a target workspace, with every per-customer id
// suffixed `_NNNN` and every date shifted back (k mod 28) days, so row counts, row shapes and ledger invariants are
// those of real ingestion at K times the size. Catalog rows (products, prices, coupons, FX, spend) are copied once.

const CATALOG_TABLES = [
  "products",
  "prices",
  "coupons",
  "promotion_codes",
  "fx_rates",
  "metric_settings",
  "ingest_events",
];
const CUSTOMER_TABLES = [
  "customers",
  "subscriptions",
  "subscription_items",
  "subscription_schedules",
  "subscription_versions",
  "discounts",
  "invoices",
  "invoice_lines",
  "invoice_payment_failures",
  "credit_notes",
  "charges",
  "refunds",
  "mrr_changes",
  "trial_marks",
];
/** Columns holding ids of per-customer objects: suffixed in each copy. */
const ID_COLUMNS = new Set(["id", "customer_id", "subscription_id", "invoice_id", "charge_id", "subscription_item_id"]);
const ID_EXEMPT: Record<string, Set<string>> = {};

type Column = { column_name: string; data_type: string };

export async function replicateWorkspace(
  handle: DbHandle,
  args: { from: string; to: string; copies: number; onProgress?: (line: string) => void },
): Promise<Record<string, number>> {
  const { from, to, copies } = args;
  const counts: Record<string, number> = {};
  const columnsOf = async (table: string) =>
    rawQuery<Column>(
      handle,
      `select column_name, data_type from information_schema.columns where table_schema = current_schema() and table_name = $1 order by ordinal_position`,
      [table],
    );
  for (const table of CATALOG_TABLES) {
    const cols = await columnsOf(table);
    if (cols.length === 0) continue;
    const names = cols.map((c) => `"${c.column_name}"`).join(", ");
    const exprs = cols.map((c) => (c.column_name === "workspace_id" ? `$2::text` : `"${c.column_name}"`)).join(", ");
    await rawQuery(handle, `delete from "${table}" where workspace_id = $1`, [to]);
    await rawQuery(
      handle,
      `insert into "${table}" (${names}) select ${exprs} from "${table}" where workspace_id = $1`,
      [from, to],
    );
  }
  // Batches of copies keep each statement (and PGlite's memory) bounded.
  const batch = Math.max(1, Math.min(copies, 50));
  for (const table of CUSTOMER_TABLES) {
    const cols = await columnsOf(table);
    if (cols.length === 0) continue;
    const suffix = `'_' || lpad(k::text, 4, '0')`;
    const shift = `((k % 28) * interval '1 day')`;
    const names = cols.map((c) => `"${c.column_name}"`).join(", ");
    const exprs = cols
      .map(({ column_name: c, data_type: t }) => {
        if (c === "workspace_id") return `$2::text`;
        if (ID_COLUMNS.has(c) && !ID_EXEMPT[table]?.has(c))
          return `case when "${c}" is null then null else "${c}" || ${suffix} end`;
        if (c === "state" && t === "jsonb")
          return `jsonb_set(jsonb_set("state", '{customerId}', to_jsonb(("state"->>'customerId') || ${suffix})), '{subscriptionId}', to_jsonb(("state"->>'subscriptionId') || ${suffix}))`;
        if (t === "timestamp with time zone") return `"${c}" - ${shift}`;
        if (t === "date") return `("${c}" - (k % 28))`;
        return `"${c}"`;
      })
      .join(", ");
    let inserted = 0;
    for (let start = 0; start < copies; start += batch) {
      const end = Math.min(copies, start + batch) - 1;
      const rows = await rawQuery<{ n: number | string }>(
        handle,
        `with ins as (insert into "${table}" (${names}) select ${exprs} from "${table}", generate_series(${start}::int, ${end}::int) as k where workspace_id = $1 returning 1) select count(*) as n from ins`,
        [from, to],
      );
      inserted += Number(rows[0]?.n ?? 0);
      args.onProgress?.(`replicate ${table}: ${inserted.toLocaleString("en-US")} rows (${end + 1}/${copies} copies)`);
    }
    counts[table] = inserted;
  }
  if (handle.driver === "postgres") await rawQuery(handle, "analyze");
  return counts;
}

export async function tableCounts(handle: DbHandle, workspaceId: string, tables: string[]) {
  const out: Record<string, number> = {};
  for (const t of tables)
    out[t] = Number(
      rowsOf<{ n: string }>(
        await rawQuery(handle, `select count(*) as n from "${t}" where workspace_id = $1`, [workspaceId]),
      )[0]?.n ?? 0,
    );
  return out;
}

export function describeTarget(target: Target): string {
  return target.driver === "postgres"
    ? `PostgreSQL (scratch database ${target.dbName} on ${new URL(target.serverUrl).host})`
    : `embedded PGlite (temp dir ${target.dataDir})`;
}

export { progress };
