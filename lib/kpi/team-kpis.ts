// The marketing and customer-success KPIs for the read API: `/metrics?include=marketing,success` puts each KPI's
// value under its key beside the finance ones (interfaces.md: more KPIs go in the same object). They are asked for,
// not always there: their loaders read the period's ingested records and the billing facts of every customer, work
// that grows with the workspace, where the finance answer reads the rollups.
import type { Executor } from "@/db/client";
import type { Interval } from "@/lib/metrics/time";
import type { Day } from "@/lib/metrics/types";
import type { Workspace } from "@/lib/workspaces/context";
import { loadMarketingKpis } from "./marketing";
import { loadSuccessKpis } from "./success";

export const TEAM_KPI_SETS = ["marketing", "success"] as const;
export type TeamKpiSet = (typeof TEAM_KPI_SETS)[number];

/** The value of every KPI of the sets asked for, over the `interval` period containing `asOf` (cut at it). */
export async function loadTeamKpiValues(
  workspace: Workspace,
  db: Executor,
  opts: { asOf: Day; interval: Interval; include: readonly TeamKpiSet[] },
): Promise<Record<string, unknown>> {
  const view = { asOf: opts.asOf, interval: opts.interval };
  const [marketing, success] = await Promise.all([
    opts.include.includes("marketing") ? loadMarketingKpis(workspace, db, view) : null,
    opts.include.includes("success") ? loadSuccessKpis(workspace, db, view) : null,
  ]);
  const values = (kpis: Record<string, { value: unknown }> | undefined) =>
    Object.fromEntries(Object.entries(kpis ?? {}).map(([key, kpi]) => [key, kpi.value]));
  return { ...values(marketing?.kpis), ...values(success?.kpis) };
}
