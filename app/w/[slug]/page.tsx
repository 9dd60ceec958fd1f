import { Suspense } from "react";
import { getDb } from "@/db/client";
import { findDataPresence } from "@/db/queries/dashboard";
import { requireAccess } from "@/lib/auth/access";
import { can, type Role } from "@/lib/auth/permissions";
import { formatDay } from "@/lib/format";
import { loadOverview } from "@/lib/kpi/dashboard-overview";
import { todayIn } from "@/lib/kpi/today";
import type { Workspace } from "@/lib/workspaces/context";
import { ConnectStripeEmptyState } from "@/app/_components/empty-state";
import { KpiCard } from "@/app/_components/kpi-card";
import { LoadingPanel } from "@/app/_components/loading-panel";

export const metadata = { title: "Overview" };

export default async function OverviewPage({ params }: PageProps<"/w/[slug]">) {
  const { workspace, role } = await requireAccess((await params).slug, "overview.read");
  const presence = await findDataPresence(workspace.id, await getDb());
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold" data-testid="overview-title">
          {workspace.name}
        </h1>
        <p className="mt-1 text-sm text-gray-600">
          Reporting in {workspace.currency.toUpperCase()}, days end at midnight {workspace.timezone}.
        </p>
      </div>
      {presence.ledgerRows === 0 && presence.events === 0 && can(role, "finance.read") ? (
        <ConnectStripeEmptyState slug={workspace.slug} canConnect={can(role, "connections.manage")} />
      ) : null}
      <Suspense fallback={<LoadingPanel label="Computing the overview…" />}>
        <OverviewTiles workspace={workspace} role={role} />
      </Suspense>
    </div>
  );
}

async function OverviewTiles({ workspace, role }: { workspace: Workspace; role: Role }) {
  const today = todayIn(workspace.timezone);
  const o = await loadOverview(workspace, await getDb(), role, today);
  const w = `/w/${workspace.slug}`;
  const href = {
    finance: can(role, "finance.read") ? `${w}/finance` : undefined,
    marketing: can(role, "marketing.read") ? `${w}/marketing` : undefined,
    success: can(role, "success.read") ? `${w}/success` : undefined,
  };
  const label = `${formatDay(o.previousPeriod.start)} – ${formatDay(o.previousPeriod.end)}`;
  if (o.tiles.length === 0)
    return (
      <p
        className="rounded-lg border border-gray-200 bg-white p-6 text-sm text-gray-600"
        data-testid="overview-no-tiles"
      >
        Your role sees no dashboards yet. An owner or admin can give you the finance, marketing or customer-success
        role.
      </p>
    );
  return (
    <section aria-labelledby="overview-period">
      <h2 id="overview-period" className="mb-2 text-sm font-medium text-gray-700">
        {formatDay(o.period.start)} – {formatDay(o.period.end)}
        {o.period.partial ? " (month to date)" : ""}
      </h2>
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-4" data-testid="overview-tiles">
        {o.tiles.map((t) => (
          <KpiCard
            key={t.key}
            testId={`tile-${t.key}`}
            title={t.label}
            value={t.value}
            unit={t.unit}
            currency={workspace.currency}
            spark={t.spark}
            comparison={{
              previous: t.previous,
              change: t.change,
              changeRate: t.changeRate,
              lowerIsBetter: t.lowerIsBetter,
              label,
            }}
            {...(href[t.area] ? { href: href[t.area] } : {})}
          />
        ))}
      </div>
    </section>
  );
}
