// What the scenarios share: the database target, the open handle of phase 1, the seeded workspaces, the result rows.
import type { DbHandle } from "@/db/client";
import type { Target } from "./db";
import type { AppServer } from "./server";
import type { Row, Scale, ScenarioName } from "./util";

export const END_DATE = "2026-11-30";
export const BENCH_EMAIL = "bench-owner@example.test";
export const BENCH_PASSWORD = "bench-password-2026";

export type BenchContext = {
  scale: Scale;
  only: Set<ScenarioName>;
  target: Target;
  /** Open in phase 1 only (before the server starts: PGlite allows one process per data dir). */
  handle: DbHandle | null;
  encryptionKey: string;
  authSecret: string;
  rows: Row[];
  extra: Record<string, unknown>;
  server: AppServer | null;
};

export function need(ctx: BenchContext, ...names: ScenarioName[]): boolean {
  return names.some((n) => ctx.only.has(n));
}

export function requireHandle(ctx: BenchContext): DbHandle {
  if (!ctx.handle) throw new Error("database handle not open (phase 1 only)");
  return ctx.handle;
}

export function skipped(name: string, reason: string): Row {
  return { name, n: 0, p50: null, p95: null, p99: null, throughput: null, notes: `skipped: ${reason}`, skipped: true };
}
