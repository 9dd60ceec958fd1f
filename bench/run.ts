// `npm run bench -- [--only name,…] [--scale small|full]`: Northstar's benchmarks (docs/performance.md).
// Real Postgres when BENCH_DATABASE_URL (or DATABASE_URL) is set — in a scratch database northstar_bench_<pid> that
// is dropped at the end — else an embedded PGlite in a temp dir. Talks only to 127.0.0.1. Prints a table and writes
// bench/results/<ISO timestamp>.json and bench/results/latest.json.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createTarget, describeTarget, dropTarget, openTarget, rawQuery, type Target } from "./lib/db";
import { need, skipped, type BenchContext } from "./lib/context";
import { buildMissing, snapshotApp, startServer, type AppServer } from "./lib/server";
import { formatTable, freePort, loadavg, parseArgs, progress, UsageError } from "./lib/util";

let args: ReturnType<typeof parseArgs>;
try {
  args = parseArgs(process.argv.slice(2));
} catch (err) {
  if (err instanceof UsageError) {
    console.error(`error: ${err.message}`);
    process.exit(1);
  }
  throw err;
}

// Secrets for this run only. The bench process seals connection secrets with the same key the server gets.
const encryptionKey = randomBytes(32).toString("base64");
const authSecret = randomBytes(32).toString("base64url");
process.env.ENCRYPTION_KEY = encryptionKey;
process.env.AUTH_SECRET = authSecret;
const serverUrl = process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL || null;
delete process.env.DATABASE_URL; // the bench chooses its own database (and lib/env must not see the caller's)

const HARD_LIMIT_MS = (args.scale === "full" ? 90 : 30) * 60_000;
let target: Target | null = null;
let server: AppServer | null = null;
let cleaning: Promise<void> | null = null;

function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    await server?.stop().catch(() => undefined);
    if (target) await dropTarget(target).catch((err: Error) => progress(`cleanup: ${err.message}`));
  })();
  return cleaning;
}
for (const sig of ["SIGINT", "SIGTERM"] as const)
  process.on(sig, () => {
    progress(`${sig}: cleaning up`);
    void cleanup().finally(() => process.exit(130));
  });
const hardStop = setTimeout(() => {
  progress(`hard time limit of ${HARD_LIMIT_MS / 60_000} min reached: stopping`);
  void cleanup().finally(() => process.exit(3));
}, HARD_LIMIT_MS);
hardStop.unref();

function gitInfo() {
  try {
    const head = execFileSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8" }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain"], { encoding: "utf8" }).trim().length > 0;
    return { head, dirty };
  } catch {
    return null;
  }
}

async function main() {
  const startedAt = new Date();
  const load0 = loadavg();
  target = await createTarget(serverUrl);
  const driver = target.driver;
  progress(`database: ${describeTarget(target)}; scale ${args.scale}; scenarios ${[...args.only].join(", ")}`);
  const ctx: BenchContext = {
    scale: args.scale,
    only: args.only,
    target,
    handle: null,
    encryptionKey,
    authSecret,
    rows: [],
    extra: {},
    server: null,
  };
  const { prepareRead, httpRead } = await import("./scenarios/read");
  const { prepareWebhook, httpWebhook } = await import("./scenarios/webhook");
  const { prepareFinance, httpFinance } = await import("./scenarios/finance-page");
  const { runBackfillScenario } = await import("./scenarios/backfill");
  const { ensureBase } = await import("./scenarios/base");
  const timings: Record<string, number> = {};
  const timed = async (name: string, fn: () => Promise<void>) => {
    const a = performance.now();
    try {
      await fn();
    } catch (err) {
      progress(`${name} failed: ${(err as Error).stack ?? err}`);
      ctx.rows.push(skipped(name, `FAILED: ${(err as Error).message.split("\n")[0]!.slice(0, 200)}`));
    }
    timings[name] = Math.round(performance.now() - a);
  };

  // Phase 1: this process owns the database (PGlite allows one process per data dir).
  ctx.handle = await openTarget(target);
  let serverVersion: string | null = null;
  if (driver === "postgres")
    serverVersion = String((await rawQuery<{ v: string }>(ctx.handle, "select version() as v"))[0]?.v ?? "");
  if (need(ctx, "ingest-db-work")) await timed("ingest-db-work", async () => void (await ensureBase(ctx)));
  if (need(ctx, "read-metrics", "read-movements", "policy-recompute"))
    await timed("read (seed + in-process)", () => prepareRead(ctx));
  if (need(ctx, "finance-page")) await timed("finance-page (seed)", () => prepareFinance(ctx));
  if (need(ctx, "webhook")) await timed("webhook (seed)", () => prepareWebhook(ctx));
  if (need(ctx, "backfill")) await timed("backfill", () => runBackfillScenario(ctx));
  await ctx.handle.close();
  ctx.handle = null;

  // Phase 2: the production server owns the database; everything goes over HTTP.
  let build: { buildId: string; builtAt: string; source: string } | null = null;
  if (need(ctx, "webhook", "read-metrics", "read-movements", "finance-page")) {
    const missing = await buildMissing();
    if (missing) {
      progress(`server scenarios: ${missing}`);
      ctx.extra.serverSkipped = missing;
    } else {
      const snap = snapshotApp(target.tmpDir);
      build = { buildId: snap.buildId, builtAt: snap.builtAt, source: snap.source };
      const port = await freePort();
      const env: Record<string, string> = {
        NODE_ENV: "production",
        AUTH_SECRET: authSecret,
        AUTH_TRUST_HOST: "true",
        ENCRYPTION_KEY: encryptionKey,
        APP_URL: `http://127.0.0.1:${port}`,
        NEXT_TELEMETRY_DISABLED: "1",
        ...(target.driver === "postgres" ? { DATABASE_URL: target.url } : { DATA_DIR: target.dataDir }),
      };
      try {
        server = await startServer({ appDir: snap.dir, port, env, logFile: path.join(target.tmpDir, "server.log") });
        ctx.server = server;
      } catch (err) {
        progress(`server did not start: ${(err as Error).message}`);
        ctx.extra.serverSkipped = (err as Error).message.split("\n")[0];
      }
    }
    if (need(ctx, "webhook")) await timed("webhook", () => httpWebhook(ctx));
    if (need(ctx, "read-metrics", "read-movements")) await timed("read (HTTP)", () => httpRead(ctx));
    if (need(ctx, "finance-page")) await timed("finance-page", () => httpFinance(ctx));
    await server?.stop();
    if (server) {
      const log = fs.readFileSync(server.logFile, "utf8");
      const errors = log.split("\n").filter((l) => /"level":"error"|Error:|⨯/.test(l));
      if (errors.length) ctx.extra.serverErrors = errors.slice(0, 10);
    }
    server = null;
  }

  const finishedAt = new Date();
  const result = {
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    scale: args.scale,
    scenarios: [...args.only],
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? null,
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      platform: `${os.platform()} ${os.release()}`,
      node: process.version,
      driver,
      database: driver === "postgres" ? serverVersion : "PGlite (embedded)",
      loadavgAtStart: load0,
      loadavgAtEnd: loadavg(),
    },
    git: gitInfo(),
    build,
    phaseMs: timings,
    rows: ctx.rows,
    extra: ctx.extra,
  };
  const dir = path.join(process.cwd(), "bench", "results");
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${startedAt.toISOString().replace(/[:.]/g, "-")}.json`);
  fs.writeFileSync(file, JSON.stringify(result, null, 2));
  fs.writeFileSync(path.join(dir, "latest.json"), JSON.stringify(result, null, 2));

  console.log(
    `\nNorthstar bench — ${describeTarget(target).split(" (")[0]}, scale ${args.scale}, ${os.cpus().length} CPUs, node ${process.version}, load ${load0.join("/")} → ${loadavg().join("/")}`,
  );
  console.log(formatTable(ctx.rows));
  if (ctx.extra.serverSkipped) console.log(`\nserver scenarios: ${String(ctx.extra.serverSkipped)}`);
  console.log(`\nwrote ${path.relative(process.cwd(), file)} (and bench/results/latest.json)`);
}

main()
  .then(cleanup)
  .then(() => process.exit(0))
  .catch(async (err) => {
    console.error(`error: ${(err as Error).stack ?? err}`);
    await cleanup();
    process.exit(2);
  });
