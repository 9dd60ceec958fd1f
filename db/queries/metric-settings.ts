import { asc, eq, sql } from "drizzle-orm";
import { rowsOf, type Executor } from "../client";
import { fxRates, metricSettings } from "../schema";
import { configShared } from "./config-lock";

/** The stored partial policy and settings objects (empty when the workspace never changed them). */
export async function findMetricSettingsRow(workspaceId: string, db: Executor) {
  const [row] = await db.select().from(metricSettings).where(eq(metricSettings.workspaceId, workspaceId));
  return row;
}

export async function listFxRates(workspaceId: string, db: Executor) {
  return db
    .select({ currency: fxRates.currency, rateDate: fxRates.rateDate, rate: fxRates.rate })
    .from(fxRates)
    .where(eq(fxRates.workspaceId, workspaceId))
    .orderBy(asc(fxRates.currency), asc(fxRates.rateDate));
}

/** What recomputing a workspace's ledger reads about it, as stored (lib/kpi/settings.ts parses it). */
export type LedgerContextRow = {
  timezone: string | null;
  currency: string | null;
  policy: Record<string, unknown> | null;
  settings: Record<string, unknown> | null;
  fx: { currency: string; rateDate: string; rate: string }[] | null;
  /** The policy change being applied (ADR 0017), as stored: `{ jobId, policy }`. */
  pending: Record<string, unknown> | null;
};

/**
 * The workspace's ledger context in one round trip, read under the workspace's configuration lock (shared; ADR
 * 0016), which the caller's transaction holds from then on; undefined for an unknown workspace.
 */
export async function findLedgerContextRow(workspaceId: string, db: Executor) {
  const [row] = rowsOf<LedgerContextRow>(await db.execute(sql`select * from ${configShared(workspaceId, true)} as c`));
  return row && row.timezone !== null ? row : undefined;
}
