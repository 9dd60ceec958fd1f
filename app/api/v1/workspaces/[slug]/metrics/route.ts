// GET /api/v1/workspaces/[slug]/metrics?date=YYYY-MM-DD&period=month – headline KPIs as of the end of that day
import { z } from "zod";
import { getDb } from "@/db/client";
import { apiRoute, isoDay, parseQuery } from "@/lib/auth/api";
import { checkApiKey } from "@/lib/auth/check";
import { computeMetricsAnswer, toMetricsBody } from "@/lib/kpi/finance";
import { todayIn } from "@/lib/kpi/today";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const querySchema = z.strictObject({
  date: isoDay.optional(),
  period: z.enum(["day", "week", "month", "quarter", "year"]).default("month"),
});

export const GET = apiRoute(async (req: Request, { params }: RouteContext<"/api/v1/workspaces/[slug]/metrics">) => {
  const db = await getDb();
  const { workspace } = await checkApiKey(req, (await params).slug, "metrics:read", db);
  const query = parseQuery(req, querySchema);
  const asOf = query.date ?? todayIn(workspace.timezone);
  const { headline } = await computeMetricsAnswer(workspace, db, { asOf, interval: query.period });
  return Response.json(toMetricsBody(workspace, asOf, headline), {
    headers: { "cache-control": "private, no-store", vary: "authorization" },
  });
});
