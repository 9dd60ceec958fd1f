// Small helpers shared by the benchmark scenarios: arguments, percentiles, progress lines, time budgets.
import net from "node:net";
import os from "node:os";

export type Scale = "small" | "full";

export type Row = {
  name: string;
  n: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  /** Operations per second (events/s, requests/s, objects/s), when it means something. */
  throughput: number | null;
  unit?: string;
  notes: string;
  skipped?: boolean;
  extra?: Record<string, unknown>;
};

export const SCENARIOS = [
  "webhook",
  "ingest-db-work",
  "read-metrics",
  "read-movements",
  "policy-recompute",
  "finance-page",
  "backfill",
] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export function parseArgs(argv: readonly string[]): { only: Set<ScenarioName>; scale: Scale } {
  let only: Set<ScenarioName> = new Set(SCENARIOS);
  let scale: Scale = "small";
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.includes("=")
      ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)]
      : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    if (flag === "--only") {
      const names = value()
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean);
      for (const n of names)
        if (!(SCENARIOS as readonly string[]).includes(n))
          throw new UsageError(`unknown scenario "${n}" (one of ${SCENARIOS.join(", ")})`);
      only = new Set(names as ScenarioName[]);
    } else if (flag === "--scale") {
      const v = value();
      if (v !== "small" && v !== "full") throw new UsageError(`--scale must be small or full`);
      scale = v;
    } else if (flag === "--help" || flag === "-h") {
      throw new UsageError("usage: npm run bench -- [--only name,…] [--scale small|full]");
    } else {
      throw new UsageError(`unknown flag ${arg}`);
    }
  }
  return { only, scale };
}

export class UsageError extends Error {}

export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx]!;
}

export function summarize(samples: readonly number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const sum = sorted.reduce((s, x) => s + x, 0);
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    mean: sorted.length ? sum / sorted.length : null,
    min: sorted[0] ?? null,
    max: sorted.at(-1) ?? null,
  };
}

export const round = (x: number | null | undefined, digits = 2) =>
  x === null || x === undefined || !Number.isFinite(x) ? null : Math.round(x * 10 ** digits) / 10 ** digits;

export function progress(line: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
}

/** A progress reporter that prints at most every `everyMs`. */
export function throttled(everyMs = 2000) {
  let last = 0;
  return (line: string, force = false) => {
    const now = Date.now();
    if (!force && now - last < everyMs) return;
    last = now;
    progress(line);
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export function loadavg(): number[] {
  return os.loadavg().map((x) => Math.round(x * 100) / 100);
}

/** Milliseconds of this process's CPU (user + system) since `start`. */
export function cpuMs(start: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1000;
}

export function formatTable(rows: readonly Row[]): string {
  const header = ["name", "n", "p50", "p95", "p99", "throughput", "notes"];
  const fmt = (x: number | null, unit?: string) =>
    x === null ? "–" : `${x < 10 ? x.toFixed(2) : x < 100 ? x.toFixed(1) : Math.round(x)}${unit ?? ""}`;
  const body = rows.map((r) => [
    r.name,
    r.skipped ? "–" : String(r.n),
    fmt(r.p50, " ms"),
    fmt(r.p95, " ms"),
    fmt(r.p99, " ms"),
    r.throughput === null ? "–" : `${fmt(r.throughput)}${r.unit ? ` ${r.unit}` : "/s"}`,
    r.notes,
  ]);
  const widths = header.map((h, i) =>
    Math.min(i === 6 ? 200 : 40, Math.max(h.length, ...body.map((b) => b[i]!.length))),
  );
  const line = (cells: string[]) => cells.map((c, i) => (i === 6 ? c : c.padEnd(widths[i]!))).join("  ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...body.map(line)].join("\n");
}
