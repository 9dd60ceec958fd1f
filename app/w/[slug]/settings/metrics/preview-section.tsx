import Link from "next/link";
import { getDb } from "@/db/client";
import { formatMoney, formatPeriodLabel } from "@/lib/format";
import { computePolicyPreview } from "@/lib/kpi/dashboard-preview";
import type { MetricConfig } from "@/lib/kpi/settings";
import type { KpiSettings, MetricPolicy } from "@/lib/metrics/policy";
import type { Day } from "@/lib/metrics/types";
import type { Workspace } from "@/lib/workspaces/context";
import { TableShell } from "@/app/_components/data-table";
import { SavePoliciesForm } from "./save-form";

/**
 * The preview of a candidate policy and its save form. It recomputes every customer's history in memory, which
 * takes seconds in a large workspace, so the page streams it in after the form (the caller wraps it in Suspense).
 * The page has checked the member's access.
 */
export async function PolicyPreviewSection({
  workspace,
  config,
  candidate,
  today,
}: {
  workspace: Workspace;
  config: MetricConfig;
  candidate: { policy: MetricPolicy; settings: KpiSettings };
  today: Day;
}) {
  const db = await getDb();
  const preview = await computePolicyPreview(
    workspace,
    db,
    config,
    { policy: candidate.policy, settings: candidate.settings },
    today,
  );
  const cur = workspace.currency;
  return (
    <section className="space-y-3 rounded-lg border border-blue-200 bg-blue-50/40 p-6" data-testid="policy-preview">
      <h2 className="font-medium">Preview: as of today under the new choices</h2>
      <dl className="grid grid-cols-2 gap-3 text-sm md:grid-cols-4">
        {(
          [
            ["MRR", preview.current.mrr, preview.candidate.mrr],
            ["ARR", preview.current.arr, preview.candidate.arr],
            ["LTV", preview.current.ltv, preview.candidate.ltv],
          ] as const
        ).map(([label, a, b]) => (
          <div key={label} className="rounded-md bg-white p-3" data-testid={`preview-${label.toLowerCase()}`}>
            <dt className="text-gray-600">{label}</dt>
            <dd className="tabular-nums">
              {formatMoney(a, cur)} → <strong>{formatMoney(b, cur)}</strong>
            </dd>
          </div>
        ))}
        <div className="rounded-md bg-white p-3">
          <dt className="text-gray-600">Paying customers</dt>
          <dd className="tabular-nums">
            {preview.current.payingCustomers} → <strong>{preview.candidate.payingCustomers}</strong>
          </dd>
        </div>
      </dl>
      <TableShell testId="preview-movements">
        <thead className="bg-gray-50">
          <tr>
            <th className="px-3 py-2 text-left">Month</th>
            {["New", "Expansion", "Contraction", "Churn", "Reactivation", "End MRR"].map((h) => (
              <th key={h} className="px-3 py-2 text-right">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-gray-100">
          {preview.current.periods.map((p, i) => {
            const q = preview.candidate.periods[i];
            return (
              <tr key={p.start}>
                <th scope="row" className="px-3 py-2 text-left font-normal">
                  {formatPeriodLabel(p.start, "month")}
                </th>
                {(["new", "expansion", "contraction", "churn", "reactivation", "endMrr"] as const).map((k) => {
                  const changed = q && q[k] !== p[k];
                  return (
                    <td
                      key={k}
                      className={`px-3 py-2 text-right tabular-nums ${changed ? "bg-amber-50 font-medium" : "text-gray-600"}`}
                    >
                      {changed ? `${formatMoney(p[k], cur)} → ${formatMoney(q[k], cur)}` : formatMoney(p[k], cur)}
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </TableShell>
      {preview.customers.length ? (
        <p className="text-sm text-gray-700">
          Customers whose MRR changes most:{" "}
          {preview.customers.map((c) => (
            <Link
              key={c.customerId}
              href={`/w/${workspace.slug}/customers/${encodeURIComponent(c.customerId)}`}
              className="mr-3 text-blue-700 underline"
            >
              {c.customerId} ({formatMoney(c.current, cur)} → {formatMoney(c.candidate, cur)})
            </Link>
          ))}
        </p>
      ) : (
        <p className="text-sm text-gray-700">No customer&apos;s MRR changes today.</p>
      )}
      <SavePoliciesForm
        slug={workspace.slug}
        candidate={JSON.stringify({ policy: candidate.policy, settings: candidate.settings })}
      />
      <p className="text-xs text-gray-500" data-testid="save-policies-note">
        Saving recomputes every customer&apos;s MRR history under the new policies, then switches every number at once.
        Stripe events go on meanwhile and are counted under the new policies too. In a large workspace this runs in the
        background (under a minute for 50,000 customers) and this page shows how far it is; only during the final switch
        (seconds) do Stripe events wait, and any answered &ldquo;busy&rdquo; are delivered again.
      </p>
    </section>
  );
}
