import { and, asc, eq, sql } from "drizzle-orm";
import { rowsOf, type Executor } from "../client";
import { fxRates, metricSettings } from "../schema";

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

export async function deleteFxRate(workspaceId: string, db: Executor, key: { currency: string; rateDate: string }) {
  return db
    .delete(fxRates)
    .where(
      and(eq(fxRates.workspaceId, workspaceId), eq(fxRates.currency, key.currency), eq(fxRates.rateDate, key.rateDate)),
    )
    .returning({ currency: fxRates.currency });
}

/** What recomputing a workspace's ledger reads about it, as stored (lib/kpi/settings.ts parses it). */
export type LedgerContextRow = {
  timezone: string | null;
  currency: string | null;
  policy: Record<string, unknown> | null;
  settings: Record<string, unknown> | null;
  fx: { currency: string; rateDate: string; rate: string }[] | null;
};

/** The ledger context's columns; with `ledgerContextFrom`, one row (of nulls for an unknown workspace). */
export const ledgerContextColumns = sql`w.timezone, w.currency, ms.policy, ms.settings,
  (select json_agg(json_build_object('currency', f.currency, 'rateDate', f.rate_date::text, 'rate', f.rate)
                   order by f.currency, f.rate_date)
     from fx_rates f where f.workspace_id = w.id) as fx`;

export const ledgerContextFrom = (workspaceId: string) => sql`(select 1) as one
  left join workspaces w on w.id = ${workspaceId}
  left join metric_settings ms on ms.workspace_id = w.id`;

/** The workspace's ledger context in one round trip; undefined for an unknown workspace. */
export async function findLedgerContextRow(workspaceId: string, db: Executor) {
  const [row] = rowsOf<LedgerContextRow>(
    await db.execute(sql`select ${ledgerContextColumns} from ${ledgerContextFrom(workspaceId)}`),
  );
  return row && row.timezone !== null ? row : undefined;
}
