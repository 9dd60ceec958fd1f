import Link from "next/link";
import { formatPercent, formatValue, type ValueUnit } from "@/lib/format";
import { Sparkline } from "./charts";

export type KpiCardProps = {
  testId: string;
  title: string;
  value: number | null;
  unit: ValueUnit | "points";
  currency: string;
  /** One line under the value: what the number means (catalogue definition) or where it comes from. */
  hint?: string;
  /** The list of customers or movements behind the number. */
  href?: string;
  comparison?: {
    previous: number | null;
    change: number | null;
    changeRate: number | null;
    lowerIsBetter?: boolean;
    label: string;
  };
  spark?: { label: string; value: number | null }[];
};

function display(value: number | null, unit: KpiCardProps["unit"], currency: string, signed = false) {
  if (unit === "points") return value === null ? "—" : `${signed && value > 0 ? "+" : ""}${value.toFixed(1)}`;
  return formatValue(value, unit, currency, { signed });
}

/** A KPI tile: the value, its change against the comparison period, an optional sparkline, and a drill-down link. */
export function KpiCard({ testId, title, value, unit, currency, hint, href, comparison, spark }: KpiCardProps) {
  const body = (
    <>
      <p className="text-sm text-gray-600">{title}</p>
      <p className="mt-1 text-2xl font-semibold tabular-nums text-gray-900" data-testid={`${testId}-value`}>
        {display(value, unit, currency)}
      </p>
      {spark && spark.length > 1 ? <Sparkline data={spark} testId={`${testId}-spark`} /> : null}
      {comparison ? <ChangeLine {...comparison} unit={unit} currency={currency} /> : null}
      {hint ? <p className="mt-2 text-xs text-gray-500">{hint}</p> : null}
    </>
  );
  const cls = "block rounded-lg border border-gray-200 bg-white p-4 shadow-sm";
  return href ? (
    <Link
      href={href}
      className={`${cls} hover:border-blue-300 focus:outline-none focus-visible:ring-2 focus-visible:ring-blue-500`}
      data-testid={testId}
    >
      {body}
    </Link>
  ) : (
    <div className={cls} data-testid={testId}>
      {body}
    </div>
  );
}

function ChangeLine({
  previous,
  change,
  changeRate,
  lowerIsBetter,
  label,
  unit,
  currency,
}: NonNullable<KpiCardProps["comparison"]> & { unit: KpiCardProps["unit"]; currency: string }) {
  if (change === null)
    return (
      <p className="mt-1 text-xs text-gray-500">
        No comparison ({label}: {display(previous, unit, currency)})
      </p>
    );
  const good = change === 0 ? null : change > 0 !== Boolean(lowerIsBetter);
  const color = good === null ? "text-gray-600" : good ? "text-emerald-700" : "text-rose-700";
  const arrow = change > 0 ? "▲" : change < 0 ? "▼" : "■";
  // Ratios change in percentage points; "+25%" of a churn rate would be ambiguous.
  const delta =
    unit === "ratio"
      ? `${change > 0 ? "+" : ""}${(change * 100).toFixed(1)} pts`
      : display(change, unit, currency, true);
  return (
    <p className={`mt-1 text-xs ${color}`} data-testid="kpi-change">
      <span aria-hidden="true">{arrow} </span>
      {delta}
      {changeRate !== null && unit !== "ratio" ? ` (${formatPercent(changeRate, { digits: 1, signed: true })})` : ""}
      <span className="text-gray-500"> vs {label}</span>
    </p>
  );
}
