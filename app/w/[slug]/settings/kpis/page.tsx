import Link from "next/link";
import { getDb } from "@/db/client";
import { requireAccess } from "@/lib/auth/access";
import { formatMinorDecimal } from "@/lib/format";
import { getMetricConfig } from "@/lib/kpi/settings";
import { KpiSettingsForm } from "./kpi-settings-form";
import { RETENTION_COST_CATEGORIES } from "./schemas";

export const metadata = { title: "KPI settings" };

export default async function KpiSettingsPage({ params }: PageProps<"/w/[slug]/settings/kpis">) {
  const { workspace } = await requireAccess((await params).slug, "policies.write");
  const { settings: s } = await getMetricConfig(workspace.id, await getDb());
  const values: Record<string, string> = {
    attribution: s.attribution,
    overheadChannels: s.overheadChannels.join(", "),
    roiHorizonMonths: String(s.roiHorizonMonths),
    activationWindowDays: String(s.activationWindowDays),
    pqlMinActiveDays: String(s.pqlMinActiveDays),
    pqlWindowDays: String(s.pqlWindowDays),
    pqlRequiredActions: s.pqlRequiredActions.join(", "),
    "csatPositiveMin.5": String(s.csatPositiveMin[5]),
    "csatPositiveMin.10": String(s.csatPositiveMin[10]),
    "engagementWeights.frequency": String(s.engagementWeights.frequency),
    "engagementWeights.breadth": String(s.engagementWeights.breadth),
    "engagementWeights.keyActions": String(s.engagementWeights.keyActions),
    engagementTargetActiveDays: String(s.engagementTargetActiveDays),
    keyActions: s.keyActions.join(", "),
    "healthWeights.usage": String(s.healthWeights.usage),
    "healthWeights.nps": String(s.healthWeights.nps),
    "healthWeights.tickets": String(s.healthWeights.tickets),
    "healthWeights.payments": String(s.healthWeights.payments),
    "healthWeights.mrrTrend": String(s.healthWeights.mrrTrend),
    "healthBands.green": String(s.healthBands.green),
    "healthBands.red": String(s.healthBands.red),
    ...Object.fromEntries(
      RETENTION_COST_CATEGORIES.map((c) => {
        const amount = s.retentionCosts[c];
        return [`retentionCosts.${c}`, amount === undefined ? "" : formatMinorDecimal(amount, workspace.currency)];
      }),
    ),
  };
  return (
    <div className="max-w-5xl space-y-6">
      <div>
        <h1 className="text-xl font-semibold" data-testid="kpi-settings-title">
          KPI settings
        </h1>
        <p className="text-sm text-gray-600">
          The rules behind the marketing and customer-success numbers. They don&apos;t change MRR; gross margin (used by
          channel ROI) and the LTV window are on{" "}
          <Link href={`/w/${workspace.slug}/settings/metrics`} className="text-blue-700 underline">
            Metric policies
          </Link>{" "}
          (gross margin now {s.grossMargin}).
        </p>
      </div>
      <KpiSettingsForm slug={workspace.slug} values={values} currency={workspace.currency} />
    </div>
  );
}
