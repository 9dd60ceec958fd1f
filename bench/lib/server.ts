// The production server under test: `next start` from a snapshot of the current `.next` (so a colleague's rebuild
// in the shared tree cannot swap the build under a running benchmark), bound to 127.0.0.1 on a free port.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { progress, sleep } from "./util";

const ROOT = process.cwd();
/** The tree whose `.next` is served: this one, or BENCH_APP_DIR (a separate checkout with its own production build). */
const APP_SOURCE = process.env.BENCH_APP_DIR ? path.resolve(process.env.BENCH_APP_DIR) : ROOT;

export type AppServer = { url: string; port: number; pid: number; logFile: string; stop: () => Promise<void> };

/** Why the server cannot run, or null. Waits up to `waitMs` for a build in progress (no BUILD_ID yet). */
export async function buildMissing(waitMs = 300_000): Promise<string | null> {
  const nextDir = path.join(APP_SOURCE, ".next");
  if (!fs.existsSync(nextDir)) return `no ${nextDir}: run \`npx next build\` first`;
  const deadline = Date.now() + waitMs;
  let said = false;
  while (!fs.existsSync(path.join(nextDir, "BUILD_ID"))) {
    if (Date.now() > deadline)
      return ".next has no BUILD_ID (no complete production build): run `npx next build` first";
    if (!said) progress(".next has no BUILD_ID yet (a build may be running); waiting up to 5 min");
    said = true;
    await sleep(2000);
  }
  return null;
}

/** Copies `.next` (without its cache) into a temp project dir that links back to node_modules and the migrations. */
export function snapshotApp(tmpDir: string): { dir: string; buildId: string; builtAt: string; source: string } {
  const dir = path.join(tmpDir, "app");
  fs.mkdirSync(path.join(dir, "db"), { recursive: true });
  fs.cpSync(path.join(APP_SOURCE, ".next"), path.join(dir, ".next"), {
    recursive: true,
    verbatimSymlinks: true,
    filter: (src) => !src.startsWith(path.join(APP_SOURCE, ".next", "cache")),
  });
  for (const name of ["node_modules", "package.json", "next.config.js", "public"])
    if (fs.existsSync(path.join(ROOT, name))) fs.symlinkSync(path.join(ROOT, name), path.join(dir, name));
  // db/migrations is already there: the copy taken when the run started (bench/lib/db.ts, migrationsDir).
  const buildId = fs.readFileSync(path.join(dir, ".next", "BUILD_ID"), "utf8").trim();
  const builtAt = fs.statSync(path.join(dir, ".next", "BUILD_ID")).mtime.toISOString();
  return { dir, buildId, builtAt, source: APP_SOURCE };
}

export async function startServer(args: {
  appDir: string;
  port: number;
  env: Record<string, string>;
  logFile: string;
  timeoutMs?: number;
}): Promise<AppServer> {
  const { appDir, port, logFile } = args;
  const out = fs.openSync(logFile, "a");
  // BENCH_SERVER_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") runs the server under node with those flags.
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? "").split(/\s+/).filter(Boolean);
  const startArgs = ["start", "-H", "127.0.0.1", "-p", String(port)];
  const [bin, argv] = nodeArgs.length
    ? [process.execPath, [...nodeArgs, path.join(ROOT, "node_modules", "next", "dist", "bin", "next"), ...startArgs]]
    : [path.join(ROOT, "node_modules", ".bin", "next"), startArgs];
  const child: ChildProcess = spawn(bin, argv, {
    cwd: appDir,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      ...args.env,
      PORT: String(port),
    } as unknown as NodeJS.ProcessEnv,
    stdio: ["ignore", out, out],
  });
  fs.closeSync(out);
  let exited: number | null = null;
  child.on("exit", (code) => (exited = code ?? -1));
  const url = `http://127.0.0.1:${port}`;
  const started = Date.now();
  const deadline = started + (args.timeoutMs ?? 90_000);
  for (;;) {
    if (exited !== null) throw new Error(`next start exited with code ${exited}; see ${logFile}:\n${tail(logFile)}`);
    if (Date.now() > deadline) {
      child.kill("SIGTERM");
      throw new Error(`next start did not answer /api/health within ${args.timeoutMs ?? 90_000} ms; see ${logFile}`);
    }
    try {
      const res = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(5000) });
      if (res.ok) break;
    } catch {
      // not up yet
    }
    await sleep(250);
  }
  progress(`server up at ${url} (pid ${child.pid}) after ${Date.now() - started} ms`);
  const stop = async () => {
    if (exited !== null || child.pid === undefined) return;
    child.kill("SIGTERM");
    for (let i = 0; i < 50 && exited === null; i++) await sleep(100);
    if (exited === null) child.kill("SIGKILL");
    for (let i = 0; i < 20 && exited === null; i++) await sleep(100);
  };
  return { url, port, pid: child.pid!, logFile, stop };
}

function tail(file: string, lines = 15): string {
  try {
    return fs.readFileSync(file, "utf8").split("\n").slice(-lines).join("\n");
  } catch {
    return "";
  }
}
