import { formatDuration } from "./mcs-format";

/**
 * A KPI tile for durations (first response and resolution times), which KpiCard's units don't cover; same look.
 * Lower is better, so a shorter time shows green.
 */
export function DurationCard({
  testId,
  title,
  value,
  previous,
  compareLabel,
  hint,
}: {
  testId: string;
  title: string;
  value: number | null;
  previous: number | null;
  compareLabel: string;
  hint?: string;
}) {
  const change = value === null || previous === null ? null : value - previous;
  const color = change === null || change === 0 ? "text-gray-600" : change < 0 ? "text-emerald-700" : "text-rose-700";
  return (
    <div className="rounded-lg border border-gray-200 bg-white p-4 shadow-sm" data-testid={testId}>
      <p className="text-sm text-gray-600">{title}</p>
      <p className="mt-1 text-2xl font-semibold tabular-nums text-gray-900" data-testid={`${testId}-value`}>
        {formatDuration(value)}
      </p>
      {change === null ? (
        <p className="mt-1 text-xs text-gray-500">
          No comparison ({compareLabel}: {formatDuration(previous)})
        </p>
      ) : (
        <p className={`mt-1 text-xs ${color}`} data-testid="kpi-change">
          <span aria-hidden="true">{change > 0 ? "▲ " : change < 0 ? "▼ " : "■ "}</span>
          {change > 0 ? "+" : change < 0 ? "−" : ""}
          {formatDuration(Math.abs(change))}
          <span className="text-gray-500"> vs {compareLabel}</span>
        </p>
      )}
      {hint ? <p className="mt-2 text-xs text-gray-500">{hint}</p> : null}
    </div>
  );
}
