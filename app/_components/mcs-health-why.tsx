import { formatPoints } from "./mcs-format";

type Why = { value: number; weight: number; points: number };
const LABELS: Record<string, string> = {
  usage: "Usage (engagement)",
  nps: "NPS",
  tickets: "Tickets (30 days)",
  payments: "Payments",
  mrrTrend: "MRR trend (90 days)",
};
const BAND_STYLE: Record<string, string> = {
  green: "bg-emerald-100 text-emerald-900",
  yellow: "bg-amber-100 text-amber-900",
  red: "bg-rose-100 text-rose-900",
};

/** A health band as a coloured badge; the word is always there, so colour is never the only signal. */
export function HealthBadge({ band, score }: { band: string; score: number }) {
  return (
    <span
      className={`inline-block rounded px-2 py-0.5 text-xs font-medium tabular-nums ${BAND_STYLE[band] ?? ""}`}
      data-testid="health-band"
    >
      {score} · {band}
    </span>
  );
}

/**
 * The "why" of a health score (metrics.md §4.5): each component's value 0–100, weight and points. A native
 * <details> disclosure: the summary is focusable and opens with Enter or Space, and its title gives the same sums
 * on hover.
 */
export function HealthWhy({ score, components }: { score: number; components: Record<string, Why> }) {
  const entries = Object.entries(components);
  const sum = entries.map(
    ([k, c]) =>
      `${LABELS[k] ?? k} ${formatPoints(c.value, { digits: 2 })} × ${c.weight} = ${formatPoints(c.points, { digits: 2 })}`,
  );
  return (
    <details className="inline-block text-left" data-testid="health-why">
      <summary
        className="cursor-pointer list-none rounded text-xs text-blue-700 underline focus:outline-none focus-visible:ring-2 focus-visible:ring-blue-500"
        title={`${sum.join("; ")} → ${score}`}
      >
        Why {score}?
      </summary>
      {/* In the flow, not absolute: the table scrolls horizontally and would clip a floating panel. */}
      <div className="mt-2 w-80 rounded-md border border-gray-200 bg-white p-3 text-left shadow-sm">
        <table className="w-full text-xs">
          <thead>
            <tr className="text-gray-500">
              <th scope="col" className="py-1 text-left font-medium">
                Component
              </th>
              <th scope="col" className="py-1 text-right font-medium">
                Value
              </th>
              <th scope="col" className="py-1 text-right font-medium">
                Weight
              </th>
              <th scope="col" className="py-1 text-right font-medium">
                Points
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-gray-100">
            {entries.map(([key, c]) => (
              <tr key={key} data-testid={`why-${key}`}>
                <th scope="row" className="py-1 text-left font-normal">
                  {LABELS[key] ?? key}
                </th>
                <td className="py-1 text-right tabular-nums">{formatPoints(c.value, { digits: 2 })}</td>
                <td className="py-1 text-right tabular-nums">{c.weight}</td>
                <td className="py-1 text-right tabular-nums">{formatPoints(c.points, { digits: 2 })}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr className="font-medium">
              <th scope="row" className="pt-1 text-left">
                Score (rounded)
              </th>
              <td colSpan={3} className="pt-1 text-right tabular-nums">
                {score}
              </td>
            </tr>
          </tfoot>
        </table>
      </div>
    </details>
  );
}
