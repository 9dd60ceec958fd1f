import Papa from "papaparse";
import { getDb } from "@/db/client";
import { listCustomerPage, type CustomerSort } from "@/db/queries/customers";
import { listMovementRows, type MovementSort } from "@/db/queries/dashboard";
import { checkAccess } from "@/lib/auth/check";
import { auth } from "@/lib/auth/config";
import type { Permission } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";
import { formatMinorDecimal } from "@/lib/format";
import { listViewCustomers, loadPeriodPoints } from "@/lib/kpi/dashboard";
import { parseFinanceParams, parseListParams } from "@/lib/kpi/dashboard-params";
import { getMetricConfig } from "@/lib/kpi/settings";
import { log } from "@/lib/log";

const MAX_ROWS = 100_000;
const BATCH = 5_000;
const NEEDS: Record<string, Permission[]> = {
  movements: ["finance.read", "customers.read"],
  periods: ["finance.read"],
  customers: ["customers.read"],
};

// GET /w/[slug]/finance/export?type=movements|periods|customers&… – the table behind a view, as CSV
export async function GET(req: Request, ctx: RouteContext<"/w/[slug]/finance/export">) {
  const { slug } = await ctx.params;
  const url = new URL(req.url);
  const sp = Object.fromEntries(url.searchParams);
  const type = sp.type ?? "movements";
  const needs = NEEDS[type];
  if (!needs) return new Response("unknown export type", { status: 400 });
  const db = await getDb();
  const session = await auth();
  let access;
  try {
    for (const permission of needs) access = await checkAccess(session?.user?.id, slug, permission, db);
  } catch (err) {
    // Strangers get the same 404 as a missing workspace: existence never leaks.
    if (err instanceof AppError) {
      const status = { UNAUTHENTICATED: 401, NOT_FOUND: 404, FORBIDDEN: 403 }[err.code as string] ?? 500;
      return new Response(err.message, { status });
    }
    throw err;
  }
  const workspace = access!.workspace;
  const view = parseFinanceParams(type === "customers" ? { ...sp, to: sp.to ?? sp.asOf } : sp, workspace.timezone);
  const cur = workspace.currency;
  let rows: Record<string, string | number>[] = [];

  if (type === "movements") {
    const list = parseListParams(sp, ["day", "amount", "customer", "kind"] as readonly MovementSort[], "day");
    for (let offset = 0; offset < MAX_ROWS; offset += BATCH) {
      const page = await listMovementRows(workspace.id, db, {
        from: view.from,
        to: view.to,
        kinds: list.kinds,
        filter: view.filter,
        sort: list.sort,
        dir: list.dir,
        limit: BATCH,
        offset,
      });
      rows.push(
        ...page.rows.map((r) => ({
          customer_id: r.customerId,
          customer_name: r.name ?? "",
          customer_email: r.email ?? "",
          day: r.day,
          kind: r.kind,
          amount: formatMinorDecimal(r.amount, cur),
          mrr_before: formatMinorDecimal(r.previousMrr, cur),
          mrr_after: formatMinorDecimal(r.mrr, cur),
          currency: cur,
          stripe_event_ids: r.eventIds.join(" "),
        })),
      );
      if (page.rows.length < BATCH) break;
    }
  } else if (type === "customers") {
    const list = parseListParams(sp, ["mrr", "name", "email", "created", "plan"] as readonly CustomerSort[], "mrr");
    for (let offset = 0; offset < MAX_ROWS; offset += BATCH) {
      const page = await listCustomerPage(workspace.id, db, {
        asOf: view.to,
        ...(list.q ? { q: list.q } : {}),
        status: list.status,
        filter: view.filter,
        ...(list.cohort ? { cohort: list.cohort } : {}),
        sort: list.sort,
        dir: list.dir,
        limit: BATCH,
        offset,
      });
      rows.push(
        ...page.rows.map((c) => ({
          customer_id: c.id,
          name: c.name ?? "",
          email: c.email ?? "",
          plan: c.plan ?? "",
          billing: c.billing ?? "",
          subscription_currency: c.currency ?? "",
          country: c.country ?? "",
          mrr: formatMinorDecimal(c.mrr, cur),
          currency: cur,
          as_of: view.to,
        })),
      );
      if (page.rows.length < BATCH) break;
    }
  } else {
    const [config, customers] = await Promise.all([
      getMetricConfig(workspace.id, db),
      listViewCustomers(workspace, db, view.filter),
    ]);
    const points = await loadPeriodPoints(workspace, db, { range: view, policy: config.policy, customers });
    rows = points.map((p) => ({
      start: p.start,
      end: p.end,
      start_mrr: formatMinorDecimal(p.startMrr, cur),
      new: formatMinorDecimal(p.new, cur),
      expansion: formatMinorDecimal(p.expansion, cur),
      reactivation: formatMinorDecimal(p.reactivation, cur),
      contraction: formatMinorDecimal(p.contraction, cur),
      churn: formatMinorDecimal(p.churn, cur),
      end_mrr: formatMinorDecimal(p.endMrr, cur),
      arr: formatMinorDecimal(p.arr, cur),
      customer_churn_rate: p.customerChurnRate ?? "",
      gross_revenue_churn_rate: p.grossRevenueChurnRate ?? "",
      nrr: p.nrr ?? "",
      grr: p.grr ?? "",
      currency: cur,
    }));
  }
  log.info("finance.export", { workspaceId: workspace.id, type, rows: rows.length });
  const csv = Papa.unparse(rows.length ? rows : [{ note: "no rows" }]);
  const name = `${workspace.slug}-${type}-${view.from}-${view.to}.csv`;
  return new Response(csv, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${name}"`,
      "cache-control": "private, no-store",
    },
  });
}
