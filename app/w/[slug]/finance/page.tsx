import { Suspense } from "react";
import { getDb } from "@/db/client";
import { findDataPresence } from "@/db/queries/dashboard";
import { requireAccess } from "@/lib/auth/access";
import { can } from "@/lib/auth/permissions";
import { parseFinanceParams, toFinanceQuery } from "@/lib/kpi/dashboard-params";
import { addMonths, startOfPeriod } from "@/lib/metrics/time";
import { ConnectStripeEmptyState } from "@/app/_components/empty-state";
import { LoadingPanel } from "@/app/_components/loading-panel";
import { FinanceBody } from "./finance-body";

export const metadata = { title: "Finance" };

export default async function FinancePage({ params, searchParams }: PageProps<"/w/[slug]/finance">) {
  const { workspace, role } = await requireAccess((await params).slug, "finance.read");
  const view = parseFinanceParams(await searchParams, workspace.timezone);
  const presence = await findDataPresence(workspace.id, await getDb());
  const base = `/w/${workspace.slug}/finance`;
  const presets = [
    {
      label: "Last 3 months",
      href: `${base}${toFinanceQuery({ ...view, from: startOfPeriod(addMonths(view.to, -2), "month") })}`,
    },
    {
      label: "Last 12 months",
      href: `${base}${toFinanceQuery({ ...view, from: startOfPeriod(addMonths(view.to, -11), "month") })}`,
    },
    { label: "Year to date", href: `${base}${toFinanceQuery({ ...view, from: `${view.to.slice(0, 4)}-01-01` })}` },
  ];
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h1 className="text-2xl font-semibold" data-testid="finance-title">
          Finance
        </h1>
        <p className="text-sm text-gray-600">
          {workspace.currency.toUpperCase()} · days end at midnight {workspace.timezone}
        </p>
      </div>
      {presence.ledgerRows === 0 && presence.events === 0 ? (
        <ConnectStripeEmptyState slug={workspace.slug} canConnect={can(role, "connections.manage")} />
      ) : (
        // The key makes a new view show the fallback instead of the stale numbers while it computes.
        <Suspense key={JSON.stringify(view)} fallback={<LoadingPanel label="Computing finance KPIs…" blocks={8} />}>
          <FinanceBody
            workspace={workspace}
            view={view}
            presets={presets}
            canEditPolicies={can(role, "policies.write")}
          />
        </Suspense>
      )}
    </div>
  );
}
