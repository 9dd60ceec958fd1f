// GET /api/v1/workspaces/[slug]/metrics?date=YYYY-MM-DD&period=month – headline KPIs as of the end of that day
import { z } from "zod";
import { getDb } from "@/db/client";
import { apiRoute, isoDay, parseQuery } from "@/lib/auth/api";
import { checkApiKey } from "@/lib/auth/check";
import { computeMetricsAnswer, toMetricsBody } from "@/lib/kpi/finance";
import { loadTeamKpiValues, TEAM_KPI_SETS } from "@/lib/kpi/team-kpis";
import { todayIn } from "@/lib/kpi/today";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const querySchema = z.strictObject({
  date: isoDay.optional(),
  period: z.enum(["day", "week", "month", "quarter", "year"]).default("month"),
  /** Comma-separated: `marketing`, `success`. */
  include: z
    .string()
    .transform((s) => [...new Set(s.split(","))])
    .pipe(z.array(z.enum(TEAM_KPI_SETS, { error: "expected marketing or success, comma-separated" })))
    .optional(),
});

export const GET = apiRoute(async (req: Request, { params }: RouteContext<"/api/v1/workspaces/[slug]/metrics">) => {
  const db = await getDb();
  const { workspace } = await checkApiKey(req, (await params).slug, "metrics:read", db);
  const query = parseQuery(req, querySchema);
  const asOf = query.date ?? todayIn(workspace.timezone);
  const [{ headline }, team] = await Promise.all([
    computeMetricsAnswer(workspace, db, { asOf, interval: query.period }),
    query.include ? loadTeamKpiValues(workspace, db, { asOf, interval: query.period, include: query.include }) : {},
  ]);
  return Response.json(toMetricsBody(workspace, asOf, headline, team), {
    headers: { "cache-control": "private, no-store", vary: "authorization" },
  });
});
