// GET /api/v1/workspaces/[slug]/mrr-movements?from&to&interval – MRR movements per period; start + Σ = end
import { z } from "zod";
import { getDb } from "@/db/client";
import { apiRoute, isoDay, parseQuery } from "@/lib/auth/api";
import { checkApiKey } from "@/lib/auth/check";
import { AppError } from "@/lib/errors";
import { computeMovementsAnswer } from "@/lib/kpi/finance";
import { todayIn } from "@/lib/kpi/today";
import { addMonths, startOfPeriod } from "@/lib/metrics/time";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const querySchema = z.strictObject({
  from: isoDay.optional(),
  to: isoDay.optional(),
  interval: z.enum(["day", "week", "month", "quarter"]).default("month"),
});

/** Periods per answer: 24 months of days is ~730; more than this is almost surely a mistake. */
const MAX_PERIODS = 3700;

export const GET = apiRoute(
  async (req: Request, { params }: RouteContext<"/api/v1/workspaces/[slug]/mrr-movements">) => {
    const db = await getDb();
    const { workspace } = await checkApiKey(req, (await params).slug, "metrics:read", db);
    const query = parseQuery(req, querySchema);
    const to = query.to ?? todayIn(workspace.timezone);
    const from = query.from ?? addMonths(startOfPeriod(to, "month"), -11);
    if (from > to)
      throw new AppError("VALIDATION", "from must be on or before to.", {
        details: [{ path: "from", message: "after to" }],
      });
    const days = (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1;
    if (query.interval === "day" && days > MAX_PERIODS)
      throw new AppError("VALIDATION", `At most ${MAX_PERIODS} daily periods per request.`, {
        details: [{ path: "from", message: "range too long" }],
      });
    const result = await computeMovementsAnswer(workspace, db, { from, to, interval: query.interval });
    return Response.json(
      {
        workspace: workspace.slug,
        currency: workspace.currency,
        from,
        to,
        interval: query.interval,
        periods: result.value,
        policies: result.policies,
        incomplete: result.incomplete,
        warnings: result.warnings,
      },
      { headers: { "cache-control": "private, no-store", vary: "authorization" } },
    );
  },
);
