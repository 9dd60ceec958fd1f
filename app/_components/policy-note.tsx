import Link from "next/link";

const LABELS: Record<string, string> = {
  intervalFactors: "Interval factors",
  metered: "Metered usage",
  discounts: "Discounts",
  trials: "Trials",
  pastDue: "Past due",
  pastDueChurnDays: "Past-due churn days",
  unpaid: "Unpaid",
  paused: "Paused",
  churnRecognition: "Churn counted",
  fxRate: "FX rate",
  arr: "ARR basis",
  reactivationWindowDays: "Reactivation window",
  churnRateBasis: "Churn-rate basis",
  taxes: "Taxes",
  oneTimeFees: "One-time fees",
  refunds: "Refunds",
};

/** The active metric policies beside the numbers they shape, with a link to change them. */
export function PolicyNote({
  policies,
  settingsHref,
  canEdit,
}: {
  policies: Record<string, string | number | null>;
  settingsHref: string;
  canEdit: boolean;
}) {
  return (
    <details className="rounded-lg border border-gray-200 bg-white p-4 text-sm" data-testid="policy-note">
      <summary className="cursor-pointer font-medium text-gray-800">
        Metric policies: discounts {String(policies.discounts)}, past due {String(policies.pastDue)}, churn{" "}
        {String(policies.churnRecognition)}
      </summary>
      <dl className="mt-3 grid grid-cols-2 gap-x-6 gap-y-1 md:grid-cols-4">
        {Object.entries(policies).map(([key, value]) => (
          <div key={key} className="flex justify-between gap-2 border-b border-gray-100 py-1">
            <dt className="text-gray-600">{LABELS[key] ?? key}</dt>
            <dd className="font-mono text-xs text-gray-900" data-testid={`policy-${key}`}>
              {value === null ? "unlimited" : String(value)}
            </dd>
          </div>
        ))}
      </dl>
      <p className="mt-3 text-xs text-gray-500">
        {canEdit ? (
          <Link href={settingsHref} className="text-blue-700 underline">
            Change metric policies
          </Link>
        ) : (
          "An owner, admin or finance member can change these."
        )}
      </p>
    </details>
  );
}
