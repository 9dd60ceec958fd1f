import Link from "next/link";
import { formatMoney, formatPercent, formatPeriodLabel } from "@/lib/format";
import type { PeriodPoint } from "@/lib/kpi/dashboard";
import type { CohortRow } from "@/lib/metrics/finance-retention";
import { TableShell } from "@/app/_components/data-table";

const KINDS = ["new", "expansion", "reactivation", "contraction", "churn"] as const;
const KIND_LABEL = {
  new: "New",
  expansion: "Expansion",
  reactivation: "Reactivation",
  contraction: "Contraction",
  churn: "Churn",
};
const th = "px-3 py-2 text-right font-medium text-gray-700";
const td = "px-3 py-2 text-right tabular-nums";

/** The waterfall as numbers: start + movements = end per period, each amount linking to its movements. */
export function MovementsTable({
  points,
  interval,
  currency,
  link,
  exportHref,
}: {
  points: PeriodPoint[];
  interval: string;
  currency: string;
  link: (from: string, to: string, kind?: string) => string;
  exportHref: string;
}) {
  return (
    <section className="space-y-2" aria-labelledby="movements-table">
      <div className="flex items-baseline justify-between">
        <h2 id="movements-table" className="font-medium">
          Movements per period
        </h2>
        <a href={exportHref} className="text-sm text-blue-700 underline" data-testid="export-periods">
          Export CSV
        </a>
      </div>
      <TableShell testId="movements-table">
        <thead className="bg-gray-50">
          <tr>
            <th scope="col" className="px-3 py-2 text-left font-medium text-gray-700">
              Period
            </th>
            <th scope="col" className={th}>
              Start MRR
            </th>
            {KINDS.map((k) => (
              <th key={k} scope="col" className={th}>
                {KIND_LABEL[k]}
              </th>
            ))}
            <th scope="col" className={th}>
              End MRR
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-gray-100">
          {points.map((p) => (
            <tr key={p.start} data-testid={`movements-row-${p.start}`}>
              <th scope="row" className="px-3 py-2 text-left font-normal">
                <Link href={link(p.start, p.end)} className="text-blue-700 hover:underline">
                  {formatPeriodLabel(p.start, interval)}
                </Link>
              </th>
              <td className={td}>{formatMoney(p.startMrr, currency)}</td>
              {KINDS.map((k) => (
                <td key={k} className={td} data-testid={`mv-${p.start}-${k}`}>
                  {p[k] === 0 ? (
                    <span className="text-gray-400">{formatMoney(0, currency)}</span>
                  ) : (
                    <Link
                      href={link(p.start, p.end, k)}
                      className={p[k] > 0 ? "text-emerald-700 hover:underline" : "text-rose-700 hover:underline"}
                    >
                      {formatMoney(p[k], currency, { signed: true })}
                    </Link>
                  )}
                </td>
              ))}
              <td className={`${td} font-medium`} data-testid={`mv-${p.start}-end`}>
                {formatMoney(p.endMrr, currency)}
              </td>
            </tr>
          ))}
        </tbody>
      </TableShell>
    </section>
  );
}

export function RetentionTable({
  points,
  interval,
  link,
}: {
  points: PeriodPoint[];
  interval: string;
  link: (from: string, to: string, kind?: string) => string;
}) {
  return (
    <TableShell testId="retention-table">
      <thead className="bg-gray-50">
        <tr>
          <th scope="col" className="px-3 py-2 text-left font-medium text-gray-700">
            Period
          </th>
          <th scope="col" className={th}>
            Logo churn
          </th>
          <th scope="col" className={th}>
            Revenue churn
          </th>
          <th scope="col" className={th}>
            NRR
          </th>
          <th scope="col" className={th}>
            GRR
          </th>
        </tr>
      </thead>
      <tbody className="divide-y divide-gray-100">
        {points.map((p) => (
          <tr key={p.start}>
            <th scope="row" className="px-3 py-2 text-left font-normal">
              <Link href={link(p.start, p.end)} className="text-blue-700 hover:underline">
                {formatPeriodLabel(p.start, interval)}
              </Link>
            </th>
            <td className={td}>
              <Link href={link(p.start, p.end, "churn")} className="hover:underline">
                {formatPercent(p.customerChurnRate)}
              </Link>
            </td>
            <td className={td}>
              <Link href={link(p.start, p.end, "contraction,churn")} className="hover:underline">
                {formatPercent(p.grossRevenueChurnRate)}
              </Link>
            </td>
            <td className={td}>{formatPercent(p.nrr)}</td>
            <td className={td}>{formatPercent(p.grr)}</td>
          </tr>
        ))}
      </tbody>
    </TableShell>
  );
}

const MAX_COHORTS = 12;
const MAX_AGE = 12;

/** Shade by retention so the table reads as a heat map; the number is always printed too. */
function shade(v: number | null): string {
  if (v === null) return "";
  if (v >= 0.9) return "bg-blue-200";
  if (v >= 0.7) return "bg-blue-100";
  if (v >= 0.5) return "bg-blue-50";
  return "bg-gray-50";
}

/** Signup (first-paid) month × months since: logo retention, with revenue retention beside it (§4.5). */
export function CohortTable({ rows, link }: { rows: CohortRow[]; link: (cohort: string) => string }) {
  const shown = rows.slice(-MAX_COHORTS);
  const ages = Math.min(MAX_AGE, Math.max(0, ...shown.map((r) => r.logo.length)));
  return (
    <section className="space-y-2" aria-labelledby="cohorts">
      <h2 id="cohorts" className="font-medium">
        Cohort retention
      </h2>
      <p className="text-xs text-gray-500">
        Each row is the month customers first paid. Cells: share of customers still paying · share of their first MRR
        kept (can exceed 100% with expansion), at the end of each month since.
      </p>
      {shown.length === 0 ? (
        <p className="text-sm text-gray-500">No cohorts yet: a cohort starts with a customer&apos;s first payment.</p>
      ) : (
        <TableShell testId="cohort-table">
          <thead className="bg-gray-50">
            <tr>
              <th scope="col" className="px-3 py-2 text-left font-medium text-gray-700">
                Cohort
              </th>
              <th scope="col" className={th}>
                Customers
              </th>
              {Array.from({ length: ages }, (_, k) => (
                <th key={k} scope="col" className={th}>
                  M{k}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-gray-100">
            {shown.map((r) => (
              <tr key={r.cohort} data-testid={`cohort-${r.cohort}`}>
                <th scope="row" className="whitespace-nowrap px-3 py-2 text-left font-normal">
                  <Link href={link(r.cohort)} className="text-blue-700 hover:underline">
                    {r.cohort}
                  </Link>
                </th>
                <td className={td}>{r.size}</td>
                {Array.from({ length: ages }, (_, k) => (
                  <td key={k} className={`${td} text-xs ${shade(r.logo[k] ?? null)}`}>
                    {k < r.logo.length
                      ? `${formatPercent(r.logo[k] ?? null, { digits: 0 })} · ${formatPercent(r.revenue[k] ?? null, { digits: 0 })}`
                      : ""}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </TableShell>
      )}
    </section>
  );
}
