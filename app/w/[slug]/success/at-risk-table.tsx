import Link from "next/link";
import { formatMoney } from "@/lib/format";
import type { AccountRow } from "@/lib/kpi/success";
import { TableShell } from "@/app/_components/data-table";
import { EmptyRange } from "@/app/_components/empty-state";
import { formatPoints } from "@/app/_components/mcs-format";
import { HealthBadge, HealthWhy } from "@/app/_components/mcs-health-why";

/** The at-risk accounts (metrics.md §4.3): red and yellow paying customers by MRR, each with its health "why". */
export function AtRiskTable({
  rows,
  currency: cur,
  customerHref,
  healthMean,
  paying,
}: {
  rows: AccountRow[];
  currency: string;
  /** Links to the customer page, or null for roles without `customers.read`. */
  customerHref: ((customerId: string) => string) | null;
  healthMean: number | null;
  paying: number;
}) {
  return (
    <section aria-labelledby="at-risk-title" className="space-y-2">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="at-risk-title" className="font-medium">
          At-risk accounts
        </h2>
        <p className="text-xs text-gray-500">
          Paying customers in the red or yellow band, largest MRR first. Open “Why” for each component&apos;s value,
          weight and points.
        </p>
      </div>
      {rows.length ? (
        <TableShell testId="at-risk-table">
          <thead className="bg-gray-50">
            <tr>
              <th scope="col" className="px-3 py-2 text-left font-medium text-gray-700">
                Customer
              </th>
              <th scope="col" className="px-3 py-2 text-right font-medium text-gray-700">
                MRR
              </th>
              <th scope="col" className="px-3 py-2 text-left font-medium text-gray-700">
                Health
              </th>
              <th scope="col" className="px-3 py-2 text-left font-medium text-gray-700">
                Signals
              </th>
              <th scope="col" className="px-3 py-2 text-right font-medium text-gray-700">
                <span className="sr-only">Why</span>
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-gray-100">
            {rows.slice(0, 50).map((row) => (
              <tr key={row.customerId} data-testid="at-risk-row">
                <th scope="row" className="px-3 py-2 text-left font-normal">
                  {customerHref ? (
                    <Link
                      href={customerHref(row.customerId)}
                      className="text-blue-700 underline"
                      data-testid="at-risk-customer"
                    >
                      {row.name ?? row.email ?? row.customerId}
                    </Link>
                  ) : (
                    (row.name ?? row.email ?? row.customerId)
                  )}
                  <span className="block text-xs text-gray-500">{row.customerId}</span>
                </th>
                <td className="px-3 py-2 text-right tabular-nums">
                  {formatMoney(row.mrr, cur)}
                  {Object.entries(row.facts?.unconverted ?? {}).map(([currency, amount]) => (
                    <span key={currency} className="block text-xs text-amber-700" data-testid="at-risk-unconverted">
                      + {formatMoney(amount, currency)} without an FX rate
                    </span>
                  ))}
                </td>
                <td className="px-3 py-2">
                  <HealthBadge band={row.band} score={row.score} />
                </td>
                <td className="px-3 py-2 text-xs text-gray-600">{toSignals(row.facts).join(" · ") || "—"}</td>
                <td className="px-3 py-2 text-right">
                  <HealthWhy score={row.score} components={row.components} />
                </td>
              </tr>
            ))}
          </tbody>
        </TableShell>
      ) : (
        <EmptyRange what="paying customers outside the green band" testId="at-risk-empty" />
      )}
      {rows.length > 50 ? <p className="text-xs text-gray-500">Showing the 50 largest of {rows.length}.</p> : null}
      <p className="text-xs text-gray-500">
        Health score mean {formatPoints(healthMean)} over {paying} paying customers.
      </p>
    </section>
  );
}

/** The billing facts behind the payments and MRR-trend components, as short words. */
function toSignals(
  facts: {
    pastDueOrUnpaid: boolean;
    openFailedInvoice: boolean;
    failedAttemptInLast90Days: boolean;
    cancellationScheduled: boolean;
    mrr: number;
    mrr90DaysAgo: number;
  } | null,
): string[] {
  if (!facts) return [];
  const out: string[] = [];
  if (facts.pastDueOrUnpaid) out.push("past due");
  if (facts.openFailedInvoice) out.push("failed invoice open");
  else if (facts.failedAttemptInLast90Days) out.push("payment failed recently");
  if (facts.cancellationScheduled) out.push("cancellation scheduled");
  else if (facts.mrr90DaysAgo > 0 && facts.mrr < facts.mrr90DaysAgo) out.push("MRR down over 90 days");
  return out;
}
