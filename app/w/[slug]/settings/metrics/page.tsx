import { Suspense } from "react";
import { getDb } from "@/db/client";
import { requireAccess } from "@/lib/auth/access";
import { getEnv } from "@/lib/env";
import { getPolicyChangeStatus } from "@/lib/kpi/policy-change";
import { getMetricConfig } from "@/lib/kpi/settings";
import { todayIn } from "@/lib/kpi/today";
import { kpiSettingsSchema, metricPolicySchema, type KpiSettings, type MetricPolicy } from "@/lib/metrics/policy";
import { PolicyChangeSection } from "./policy-change-section";
import { policyChoices } from "./policy-options";
import { PolicyPreviewSection } from "./preview-section";

export const metadata = { title: "Metric policies" };

type SearchParams = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
const field = "mt-1 block w-full rounded-md border border-gray-300 bg-white px-2 py-1.5 text-sm";

/** The candidate in the URL (the preview form is a GET), validated by lib/metrics's own schemas. */
function parseCandidate(sp: SearchParams, policy: MetricPolicy, settings: KpiSettings) {
  const raw: Record<string, unknown> = { ...policy };
  for (const c of policyChoices) {
    const v = one(sp[c.key]);
    if (v !== undefined) raw[c.key] = v;
  }
  const days = one(sp.pastDueChurnDays);
  if (days !== undefined) raw.pastDueChurnDays = Number(days);
  const window = one(sp.reactivationWindowDays);
  if (window !== undefined) raw.reactivationWindowDays = window.trim() === "" ? null : Number(window);
  const margin = one(sp.grossMargin);
  const months = one(sp.ltvChurnWindowMonths);
  const p = metricPolicySchema.safeParse(raw);
  const s = kpiSettingsSchema.safeParse({
    ...settings,
    ...(margin !== undefined ? { grossMargin: Number(margin) } : {}),
    ...(months !== undefined ? { ltvChurnWindowMonths: Number(months) } : {}),
  });
  const errors = [...(p.success ? [] : p.error.issues), ...(s.success ? [] : s.error.issues)].map(
    (i) => `${i.path.join(".")}: ${i.message}`,
  );
  return p.success && s.success
    ? { ok: true as const, policy: p.data, settings: s.data }
    : { ok: false as const, errors };
}

export default async function MetricPoliciesPage({ params, searchParams }: PageProps<"/w/[slug]/settings/metrics">) {
  const { workspace } = await requireAccess((await params).slug, "policies.write");
  const sp = await searchParams;
  const db = await getDb();
  const [config, change] = await Promise.all([
    getMetricConfig(workspace.id, db),
    getPolicyChangeStatus(db, workspace.id),
  ]);
  const previewing = one(sp.preview) === "1";
  const candidate = previewing ? parseCandidate(sp, config.policy, config.settings) : null;
  const shown = candidate?.ok ? candidate : { policy: config.policy, settings: config.settings };
  const today = todayIn(workspace.timezone);
  const base = `/w/${workspace.slug}/settings/metrics`;
  return (
    <div className="max-w-4xl space-y-6">
      <div>
        <h1 className="text-xl font-semibold" data-testid="policies-title">
          Metric policies
        </h1>
        <p className="text-sm text-gray-600">
          The choices behind every number. Preview a change first: saving recomputes the whole MRR history, before the
          save answers in a workspace of up to {getEnv().POLICY_BACKGROUND_ABOVE.toLocaleString("en-US")} customers, in
          the background in a larger one.
        </p>
      </div>
      {change ? <PolicyChangeSection slug={workspace.slug} change={change} inForce={config.policy} /> : null}
      <form
        method="get"
        action={base}
        className="space-y-4 rounded-lg border border-gray-200 bg-white p-6"
        data-testid="policies-form"
      >
        <input type="hidden" name="preview" value="1" />
        <div className="grid gap-4 md:grid-cols-2">
          {policyChoices.map((c) => (
            <label key={c.key} className="block text-sm">
              <span className="font-medium text-gray-800">{c.label}</span>
              <select
                name={c.key}
                defaultValue={String(shown.policy[c.key])}
                className={field}
                data-testid={`policy-input-${c.key}`}
              >
                {c.options.map((o) => (
                  <option key={o.value} value={o.value}>
                    {o.label}
                  </option>
                ))}
              </select>
              <span className="mt-1 block text-xs text-gray-500">{c.explain}</span>
            </label>
          ))}
          <label className="block text-sm">
            <span className="font-medium text-gray-800">Past-due churn days</span>
            <input
              type="number"
              min={1}
              max={90}
              name="pastDueChurnDays"
              defaultValue={shown.policy.pastDueChurnDays}
              className={field}
            />
            <span className="mt-1 block text-xs text-gray-500">Used only with “Churn after N days” (1–90).</span>
          </label>
          <label className="block text-sm">
            <span className="font-medium text-gray-800">Reactivation window (days)</span>
            <input
              type="number"
              min={0}
              max={3650}
              name="reactivationWindowDays"
              defaultValue={shown.policy.reactivationWindowDays ?? ""}
              placeholder="unlimited"
              className={field}
            />
            <span className="mt-1 block text-xs text-gray-500">
              A return after more days of zero MRR counts as new; empty means always a reactivation.
            </span>
          </label>
          <label className="block text-sm">
            <span className="font-medium text-gray-800">Trials</span>
            <input value="Excluded (fixed)" readOnly className={`${field} bg-gray-50`} />
            <span className="mt-1 block text-xs text-gray-500">
              A trialing subscription contributes 0; MRR starts when it converts.
            </span>
          </label>
        </div>
        <h2 className="pt-2 font-medium">Finance KPI settings</h2>
        <div className="grid gap-4 md:grid-cols-2">
          <label className="block text-sm">
            <span className="font-medium text-gray-800">Gross margin (0–1)</span>
            <input
              type="number"
              step="0.0001"
              min={0}
              max={1}
              name="grossMargin"
              defaultValue={shown.settings.grossMargin}
              className={field}
              data-testid="setting-grossMargin"
            />
            <span className="mt-1 block text-xs text-gray-500">
              LTV and CAC payback multiply by it; 1 keeps them revenue-based.
            </span>
          </label>
          <label className="block text-sm">
            <span className="font-medium text-gray-800">LTV churn window (months)</span>
            <input
              type="number"
              min={1}
              max={24}
              name="ltvChurnWindowMonths"
              defaultValue={shown.settings.ltvChurnWindowMonths}
              className={field}
            />
            <span className="mt-1 block text-xs text-gray-500">
              Complete months pooled for LTV&apos;s churn rate (1–24).
            </span>
          </label>
        </div>
        <p className="text-xs text-gray-500">
          Fixed rules: taxes excluded, one-time fees excluded, refunds affect cash only.
        </p>
        <button
          type="submit"
          className="rounded-md bg-blue-700 px-4 py-2 text-sm font-medium text-white hover:bg-blue-800"
          data-testid="preview-policies"
        >
          Preview the change
        </button>
      </form>

      {candidate && !candidate.ok ? (
        <div className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-800" data-testid="policies-invalid">
          {candidate.errors.join("; ")}
        </div>
      ) : null}

      {candidate?.ok ? (
        <Suspense
          fallback={
            <section
              className="rounded-lg border border-blue-200 bg-blue-50/40 p-6 text-sm text-gray-700"
              data-testid="policy-preview-pending"
            >
              Working out the preview: every customer&apos;s MRR history under the new choices. In a large workspace
              this takes a few seconds.
            </section>
          }
        >
          <PolicyPreviewSection workspace={workspace} config={config} candidate={candidate} today={today} />
        </Suspense>
      ) : null}
    </div>
  );
}
