import { Suspense } from "react";
import { getDb } from "@/db/client";
import { countIngestEvents } from "@/db/queries/ingest-events";
import { requireAccess } from "@/lib/auth/access";
import { can } from "@/lib/auth/permissions";
import { getEnv } from "@/lib/env";
import { parseKpiView } from "@/lib/kpi/marketing";
import { todayIn } from "@/lib/kpi/today";
import { LoadingPanel } from "@/app/_components/loading-panel";
import { NoIngestEventsEmptyState } from "@/app/_components/mcs-empty-state";
import { McsViewControls } from "@/app/_components/mcs-view-controls";
import { MarketingBody } from "./marketing-body";

export const metadata = { title: "Marketing" };

export default async function MarketingPage({ params, searchParams }: PageProps<"/w/[slug]/marketing">) {
  const { workspace, role } = await requireAccess((await params).slug, "marketing.read");
  const view = parseKpiView(await searchParams, workspace.timezone);
  const events = await countIngestEvents(workspace.id, await getDb());
  const base = `/w/${workspace.slug}/marketing`;
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h1 className="text-2xl font-semibold" data-testid="marketing-title">
          Marketing
        </h1>
        <p className="text-sm text-gray-600">
          {workspace.currency.toUpperCase()} · days end at midnight {workspace.timezone}
        </p>
      </div>
      {events === 0 ? (
        <NoIngestEventsEmptyState
          slug={workspace.slug}
          what="marketing"
          types={["visit", "signup", "lead", "lifecycle_stage", "marketing_spend"]}
          canImport={can(role, "imports.write")}
          canCreateTokens={can(role, "apikeys.manage")}
          appUrl={getEnv().APP_URL}
        />
      ) : (
        <>
          <McsViewControls
            action={base}
            date={view.date}
            interval={view.interval}
            today={todayIn(workspace.timezone)}
            {...(can(role, "policies.write") ? { settingsHref: `/w/${workspace.slug}/settings/kpis` } : {})}
          />
          {/* The key makes a new view show the fallback instead of the stale numbers while it computes. */}
          <Suspense
            key={`${view.date}|${view.interval}`}
            fallback={<LoadingPanel label="Computing marketing KPIs…" blocks={8} />}
          >
            <MarketingBody workspace={workspace} view={view} />
          </Suspense>
        </>
      )}
    </div>
  );
}
