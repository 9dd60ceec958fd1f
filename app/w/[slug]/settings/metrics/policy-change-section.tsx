import { AutoRefresh } from "@/app/_components/auto-refresh";
import type { PolicyChangeStatus } from "@/lib/kpi/policy-change";
import type { MetricPolicy } from "@/lib/metrics/policy";
import { policyChoices } from "./policy-options";
import { DiscardPolicyChangeForm } from "./save-form";

const EXTRA_LABELS: Record<string, string> = {
  pastDueChurnDays: "Past-due churn days",
  reactivationWindowDays: "Reactivation window (days)",
};

function label(key: string): string {
  return policyChoices.find((c) => c.key === key)?.label ?? EXTRA_LABELS[key] ?? key;
}

const show = (v: unknown) => (v === null ? "unlimited" : String(v));
const count = (n: number) => n.toLocaleString("en-US");

function stage(change: PolicyChangeStatus): string {
  const p = change.progress;
  if (change.status === "failed")
    return `It stopped: ${(change.error ?? "unknown error").replace(/\.$/, "")}. Save the policies again to retry, or discard the change.`;
  if (change.status === "queued" || !p) return "Waiting for a worker to start it.";
  if (p.phase === "computing")
    return `Computing every customer's MRR history under the new policies: ${count(p.done)} of ${count(p.total)} customers.`;
  return `Switching over: writing the ${count(p.total)} customers whose history changes. Stripe events wait for this step.`;
}

/**
 * The policy change being applied in the background (ADR 0017): what it changes, how far it is, and a way to drop
 * it. The page refreshes itself until the change is in force.
 */
export function PolicyChangeSection({
  slug,
  change,
  inForce,
}: {
  slug: string;
  change: PolicyChangeStatus;
  inForce: MetricPolicy;
}) {
  const differences = Object.entries(change.pending.policy).filter(
    ([key, value]) => show(value) !== show(inForce[key as keyof MetricPolicy]),
  );
  const p = change.progress;
  const percent = p?.phase === "computing" && p.total > 0 ? Math.floor((100 * p.done) / p.total) : null;
  return (
    <section
      className="space-y-3 rounded-lg border border-amber-300 bg-amber-50/50 p-6 text-sm"
      data-testid="policy-change-pending"
    >
      {/* Also after a failure: the queue retries it twice. */}
      <AutoRefresh active />
      <h2 className="font-medium text-gray-900">A policy change is being applied</h2>
      <p className="text-gray-700">
        Every number follows the policies in force until the new MRR history is complete; then all of them switch at
        once.
        {change.pending.requestedAt ? ` Saved ${change.pending.requestedAt.slice(0, 16).replace("T", " ")} UTC.` : ""}
      </p>
      {differences.length > 0 ? (
        <ul className="list-disc pl-5 text-gray-800" data-testid="policy-change-differences">
          {differences.map(([key, value]) => (
            <li key={key}>
              {label(key)}: {show(inForce[key as keyof MetricPolicy])} → <strong>{show(value)}</strong>
            </li>
          ))}
        </ul>
      ) : (
        <p className="text-gray-700">It restores the policies in force.</p>
      )}
      <p className={change.status === "failed" ? "text-rose-800" : "text-gray-700"} data-testid="policy-change-stage">
        {stage(change)}
      </p>
      {percent !== null ? (
        <div className="h-2 w-full overflow-hidden rounded bg-amber-100" aria-hidden>
          <div className="h-2 bg-amber-500" style={{ width: `${percent}%` }} />
        </div>
      ) : null}
      <DiscardPolicyChangeForm slug={slug} jobId={change.pending.jobId} />
    </section>
  );
}
