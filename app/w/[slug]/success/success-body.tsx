import Link from "next/link";
import { getDb } from "@/db/client";
import { formatCount, formatDay, formatMoney, formatPercent, formatPeriodLabel, type ValueUnit } from "@/lib/format";
import type { KpiView } from "@/lib/kpi/marketing";
import { loadSuccessKpis } from "@/lib/kpi/success";
import { computeChange } from "@/lib/metrics/headline";
import type { SuccessKpiKey } from "@/lib/metrics/marketing-cs-kpis";
import type { NpsBreakdown } from "@/lib/metrics/success";
import type { Workspace } from "@/lib/workspaces/context";
import { EmptyRange } from "@/app/_components/empty-state";
import { KpiCard } from "@/app/_components/kpi-card";
import { CountBarChart, DurationBarChart, NpsBarChart, RatioBarChart } from "@/app/_components/charts";
import { DurationCard } from "@/app/_components/mcs-duration-card";
import { AtRiskTable } from "./at-risk-table";

type Tile = {
  key: SuccessKpiKey;
  title: string;
  unit: ValueUnit | "points";
  hint: string;
  lowerIsBetter?: boolean;
};

// Titles and one-line definitions from metrics.md §4.3.
const SUPPORT_TILES: Tile[] = [
  {
    key: "supportTickets",
    title: "Support tickets",
    unit: "count",
    hint: "Tickets opened in the period.",
    lowerIsBetter: true,
  },
  {
    key: "openTickets",
    title: "Open tickets",
    unit: "count",
    hint: "Opened and not resolved by the as-of day.",
    lowerIsBetter: true,
  },
  {
    key: "firstContactResolutionRate",
    title: "First contact resolution",
    unit: "ratio",
    hint: "Tickets resolved at first contact ÷ tickets resolved.",
  },
];
const USAGE_TILES: Tile[] = [
  { key: "dau", title: "Daily active users", unit: "count", hint: "Distinct users active on the as-of day." },
  { key: "wau", title: "Weekly active users", unit: "count", hint: "Distinct users over the last 7 days." },
  { key: "mau", title: "Monthly active users", unit: "count", hint: "Distinct users over the last 30 days." },
  { key: "stickiness", title: "Stickiness", unit: "ratio", hint: "Average daily users ÷ monthly active users." },
  { key: "engagementScore", title: "Engagement score", unit: "points", hint: "Mean over paying customers, 0–100." },
  { key: "healthScore", title: "Health score", unit: "points", hint: "Mean over paying customers, 0–100." },
  {
    key: "atRiskMrr",
    title: "At-risk MRR",
    unit: "money",
    hint: "MRR of customers in the red band.",
    lowerIsBetter: true,
  },
  {
    key: "expansionRate",
    title: "Expansion rate",
    unit: "ratio",
    hint: "Expansion of customers paying at the start ÷ their start MRR.",
  },
  {
    key: "crc",
    title: "Customer retention cost",
    unit: "money",
    hint: "Retention costs ÷ paying customers.",
    lowerIsBetter: true,
  },
];

const num = (v: unknown): number | null => (typeof v === "number" ? v : null);
const card = "rounded-lg border border-gray-200 bg-white p-4";

export async function SuccessBody({
  workspace,
  view,
  canOpenCustomers,
}: {
  workspace: Workspace;
  view: KpiView;
  canOpenCustomers: boolean;
}) {
  const d = await loadSuccessKpis(workspace, await getDb(), { asOf: view.date, interval: view.interval });
  const cur = workspace.currency;
  const { period, previousPeriod } = d;
  const compareLabel = `${formatDay(previousPeriod.start)} – ${formatDay(previousPeriod.end)}`;
  const label = (start: string) =>
    view.interval === "year" ? start.slice(0, 4) : formatPeriodLabel(start, view.interval);
  const customerHref = (id: string) => `/w/${workspace.slug}/customers/${encodeURIComponent(id)}`;
  const tile = (t: Tile) => {
    const value = num(d.kpis[t.key].value);
    const previous = num(d.previous[t.key].value);
    return (
      <KpiCard
        key={t.key}
        testId={`kpi-${t.key}`}
        title={t.title}
        value={value}
        unit={t.unit}
        currency={cur}
        hint={t.hint}
        comparison={{
          previous,
          ...computeChange(value, previous),
          lowerIsBetter: t.lowerIsBetter ?? false,
          label: compareLabel,
        }}
      />
    );
  };

  const nps = d.kpis.nps.breakdown as NpsBreakdown;
  const csat = d.kpis.csat.breakdown as {
    numerator: number;
    denominator: number;
    byTouchpoint: Record<string, number | null>;
  };
  const distribution = d.kpis.healthDistribution.value as { green: number; yellow: number; red: number };
  const paying = distribution.green + distribution.yellow + distribution.red;
  const trendRows = d.trend.map((p) => ({
    period: label(p.start),
    NPS: p.nps,
    CSAT: p.csat,
    Tickets: p.supportTickets,
    "First response (median)": p.firstResponseTimeMedian,
    "Resolution (median)": p.resolutionTimeMedian,
  }));
  const duration = (key: SuccessKpiKey, title: string, hint: string) => (
    <DurationCard
      testId={`kpi-${key}`}
      title={title}
      value={num(d.kpis[key].value)}
      previous={num(d.previous[key].value)}
      compareLabel={compareLabel}
      hint={hint}
    />
  );

  return (
    <div className="space-y-6">
      <h2 className="text-sm font-medium text-gray-700" data-testid="period-label">
        {label(period.start)}
        {period.partial ? ` to date (${period.daysElapsed} of ${period.daysInPeriod} days)` : ""}, as of{" "}
        {formatDay(view.date)}
      </h2>

      <section className="grid gap-6 lg:grid-cols-3" aria-label="Surveys">
        <div className={`${card} lg:col-span-2`}>
          <div className="grid gap-4 md:grid-cols-2">
            <div>
              {tile({
                key: "nps",
                title: "Net Promoter Score",
                unit: "points",
                hint: "Latest answer per respondent, −100 to 100.",
              })}
              <dl className="mt-3 grid grid-cols-3 gap-2 text-center text-xs" data-testid="nps-split">
                {(
                  [
                    ["Promoters", nps.promoters, nps.promoterShare, "bg-emerald-50 text-emerald-900"],
                    ["Passives", nps.passives, nps.passiveShare, "bg-gray-50 text-gray-800"],
                    ["Detractors", nps.detractors, nps.detractorShare, "bg-rose-50 text-rose-900"],
                  ] as const
                ).map(([name, count, share, style]) => (
                  <div key={name} className={`rounded-md p-2 ${style}`} data-testid={`nps-${name.toLowerCase()}`}>
                    <dt>{name}</dt>
                    <dd className="text-base font-semibold tabular-nums">{formatPercent(share, { digits: 0 })}</dd>
                    <dd className="tabular-nums">{formatCount(count)}</dd>
                  </div>
                ))}
              </dl>
            </div>
            <div>
              <h3 className="text-sm font-medium">NPS per {view.interval}</h3>
              <NpsBarChart data={trendRows} index="period" testId="chart-nps" />
            </div>
          </div>
        </div>
        <div className={card} data-testid="nps-comments">
          <h3 className="font-medium">What respondents said</h3>
          <p className="text-xs text-gray-500">Comments of the answers counted in this period, latest first.</p>
          {nps.comments.length ? (
            <ul className="mt-3 max-h-72 space-y-3 overflow-y-auto pr-1 text-sm">
              {nps.comments.slice(0, 20).map((c) => (
                <li
                  key={`${c.respondentId}-${c.day}`}
                  className="border-l-4 border-gray-200 pl-3"
                  data-testid="nps-comment"
                >
                  <p className="text-gray-900">“{c.comment}”</p>
                  <p className="text-xs text-gray-500">
                    Score {c.score} · {c.respondentId} · {formatDay(c.day)}
                  </p>
                </li>
              ))}
            </ul>
          ) : (
            <p className="mt-3 text-sm text-gray-500">No comments in this period.</p>
          )}
        </div>
      </section>

      <section className="grid gap-6 lg:grid-cols-3" aria-label="Satisfaction">
        <div className="space-y-3">
          {tile({
            key: "csat",
            title: "Customer satisfaction (CSAT)",
            unit: "ratio",
            hint: "Positive answers ÷ answers.",
          })}
          <div className={card}>
            <h3 className="text-sm font-medium">CSAT by touchpoint</h3>
            {Object.keys(csat.byTouchpoint).length ? (
              <table className="mt-2 w-full text-sm" data-testid="csat-touchpoints">
                <tbody className="divide-y divide-gray-100">
                  {Object.entries(csat.byTouchpoint)
                    .sort(([a], [b]) => a.localeCompare(b))
                    .map(([touchpoint, value]) => (
                      <tr key={touchpoint}>
                        <th scope="row" className="py-1 text-left font-normal">
                          {touchpoint}
                        </th>
                        <td className="py-1 text-right tabular-nums">{formatPercent(value, { digits: 1 })}</td>
                      </tr>
                    ))}
                </tbody>
              </table>
            ) : (
              <p className="mt-2 text-sm text-gray-500">No answers with a touchpoint.</p>
            )}
          </div>
        </div>
        <div className={`${card} lg:col-span-2`}>
          <h3 className="font-medium">CSAT per {view.interval}</h3>
          <RatioBarChart data={trendRows} index="period" categories={["CSAT"]} testId="chart-csat" />
        </div>
      </section>

      <section aria-labelledby="support-title" className="space-y-3">
        <h2 id="support-title" className="font-medium">
          Support
        </h2>
        <div className="grid grid-cols-2 gap-4 md:grid-cols-4" data-testid="support-kpis">
          {SUPPORT_TILES.map(tile)}
          {duration("firstResponseTimeMedian", "First response (median)", "Opened → first response.")}
          {duration("firstResponseTimeP90", "First response (p90)", "9 in 10 answered within.")}
          {duration("resolutionTimeMedian", "Resolution (median)", "Opened → first resolution.")}
          {duration("resolutionTimeP90", "Resolution (p90)", "9 in 10 resolved within.")}
        </div>
        <div className="grid gap-6 lg:grid-cols-2">
          <div className={card}>
            <h3 className="font-medium">Tickets opened per {view.interval}</h3>
            <CountBarChart
              data={trendRows}
              index="period"
              categories={["Tickets"]}
              colors={["amber"]}
              testId="chart-tickets"
            />
          </div>
          <div className={card}>
            <h3 className="font-medium">Response and resolution times (median)</h3>
            <DurationBarChart
              data={trendRows}
              index="period"
              categories={["First response (median)", "Resolution (median)"]}
              testId="chart-durations"
            />
          </div>
        </div>
      </section>

      <section aria-labelledby="usage-title" className="space-y-3">
        <h2 id="usage-title" className="font-medium">
          Usage, health and expansion
        </h2>
        <div className="grid grid-cols-2 gap-4 md:grid-cols-4" data-testid="usage-kpis">
          {USAGE_TILES.map(tile)}
          <KpiCard
            testId="kpi-expansionMrr"
            title="Expansion MRR"
            value={d.expansionMrr.current}
            unit="money"
            currency={cur}
            hint="Upsell in the period, all customers (as on the finance page)."
            comparison={{
              previous: d.expansionMrr.previous,
              ...computeChange(d.expansionMrr.current, d.expansionMrr.previous),
              label: compareLabel,
            }}
          />
        </div>
        <div className="grid gap-6 lg:grid-cols-3">
          <div className={card} data-testid="health-distribution">
            <h3 className="font-medium">Health distribution</h3>
            <p className="text-xs text-gray-500">Paying customers by band as of {formatDay(view.date)}.</p>
            {paying ? (
              <>
                <div className="mt-3 flex h-4 overflow-hidden rounded-full bg-gray-100" aria-hidden="true">
                  <div className="bg-emerald-500" style={{ width: `${(100 * distribution.green) / paying}%` }} />
                  <div className="bg-amber-400" style={{ width: `${(100 * distribution.yellow) / paying}%` }} />
                  <div className="bg-rose-500" style={{ width: `${(100 * distribution.red) / paying}%` }} />
                </div>
                <dl className="mt-3 grid grid-cols-3 gap-2 text-center text-sm">
                  {(["green", "yellow", "red"] as const).map((band) => (
                    <div key={band} data-testid={`health-${band}`}>
                      <dt className="text-xs capitalize text-gray-600">{band}</dt>
                      <dd className="text-lg font-semibold tabular-nums">{distribution[band]}</dd>
                    </div>
                  ))}
                </dl>
              </>
            ) : (
              <EmptyRange what="paying customers" />
            )}
          </div>
          <div className={`${card} lg:col-span-2`} data-testid="expanded-customers">
            <h3 className="font-medium">Customers who expanded</h3>
            {d.expanded.length ? (
              <ul className="mt-2 divide-y divide-gray-100 text-sm">
                {d.expanded.slice(0, 10).map((e) => (
                  <li key={e.customerId} className="flex justify-between py-1.5">
                    {canOpenCustomers ? (
                      <Link href={customerHref(e.customerId)} className="text-blue-700 underline">
                        {e.name ?? e.customerId}
                      </Link>
                    ) : (
                      <span>{e.name ?? e.customerId}</span>
                    )}
                    <span className="tabular-nums text-emerald-700">+{formatMoney(e.expansion, cur)}</span>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="mt-2 text-sm text-gray-500">No expansion in this period.</p>
            )}
          </div>
        </div>
      </section>

      <AtRiskTable
        rows={d.atRisk}
        currency={cur}
        customerHref={canOpenCustomers ? customerHref : null}
        healthMean={num(d.kpis.healthScore.value)}
        paying={paying}
      />
    </div>
  );
}
