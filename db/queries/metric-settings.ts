import { and, asc, eq } from "drizzle-orm";
import type { Executor } from "../client";
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
