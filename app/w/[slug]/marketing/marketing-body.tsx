import { getDb } from "@/db/client";
import { formatCount, formatDay, formatMoney, formatPercent, formatPeriodLabel, type ValueUnit } from "@/lib/format";
import { loadMarketingKpis, type KpiView } from "@/lib/kpi/marketing";
import { LIFECYCLE_STAGE_ORDER } from "@/lib/metrics/funnel";
import { computeChange } from "@/lib/metrics/headline";
import type { MarketingKpiKey } from "@/lib/metrics/marketing-cs-kpis";
import type { Workspace } from "@/lib/workspaces/context";
import { TableShell } from "@/app/_components/data-table";
import { EmptyRange } from "@/app/_components/empty-state";
import { KpiCard } from "@/app/_components/kpi-card";
import { CountBarChart, FunnelChart, MoneyBarChart } from "@/app/_components/charts";
import { formatChannel } from "@/app/_components/mcs-format";

type Tile = { key: MarketingKpiKey; title: string; unit: ValueUnit; hint: string; lowerIsBetter?: boolean };

// Titles and one-line definitions from metrics.md §4.2.
const TILES: Tile[] = [
  {
    key: "muv",
    title: "Monthly unique visitors",
    unit: "count",
    hint: "Distinct visitors this calendar month, to date.",
  },
  { key: "signups", title: "Signups", unit: "count", hint: "Signup events in the period." },
  { key: "leads", title: "Leads", unit: "count", hint: "Lead events in the period." },
  { key: "visitorToSignupRate", title: "Visitor → signup", unit: "ratio", hint: "Signups ÷ unique visitors." },
  {
    key: "signupToPaidRate",
    title: "Signup → paid",
    unit: "ratio",
    hint: "Signups whose customer paid by the as-of day ÷ signups.",
  },
  {
    key: "cacBlended",
    title: "Blended CAC",
    unit: "money",
    hint: "All spend ÷ new paying customers.",
    lowerIsBetter: true,
  },
  {
    key: "cacPaid",
    title: "Paid CAC",
    unit: "money",
    hint: "Paid-channel spend ÷ new customers attributed to paid channels.",
    lowerIsBetter: true,
  },
  {
    key: "leadVelocityRate",
    title: "Lead velocity rate",
    unit: "ratio",
    hint: "Growth of newly qualified leads over the previous period.",
  },
  { key: "pqls", title: "Product-qualified leads", unit: "count", hint: "Accounts whose PQL day falls in the period." },
  {
    key: "pqlConversionRate",
    title: "PQL conversion",
    unit: "ratio",
    hint: "PQLs paying after their PQL day ÷ PQLs.",
  },
  {
    key: "viralCoefficient",
    title: "Viral coefficient (k)",
    unit: "multiple",
    hint: "New customers won by referral ÷ customers paying at the start.",
  },
  {
    key: "salesCycleDays",
    title: "Sales cycle",
    unit: "days",
    hint: "Median days from first reaching lead to first payment.",
    lowerIsBetter: true,
  },
  { key: "marketingSpend", title: "Marketing spend", unit: "money", hint: "Spend in the period, converted." },
  {
    key: "activationRate",
    title: "Activation rate",
    unit: "ratio",
    hint: "Signups active within the window ÷ signups.",
  },
  {
    key: "trafficRoi",
    title: "Paid traffic ROI",
    unit: "ratio",
    hint: "(New MRR × horizon × margin − spend) ÷ spend, paid channels.",
  },
  { key: "qualifiedLeads", title: "Qualified leads", unit: "count", hint: "Contacts first qualified in the period." },
];

const STAGE_LABELS: Record<string, string> = {
  visitor: "Visitor",
  subscriber: "Subscriber",
  lead: "Lead",
  qualified_lead: "Qualified lead",
  opportunity: "Opportunity",
  customer: "Customer",
  evangelist: "Evangelist",
};

const num = (v: unknown): number | null => (typeof v === "number" ? v : null);

export async function MarketingBody({ workspace, view }: { workspace: Workspace; view: KpiView }) {
  const d = await loadMarketingKpis(workspace, await getDb(), { asOf: view.date, interval: view.interval });
  const cur = workspace.currency;
  const { period, previousPeriod } = d;
  const compareLabel = `${formatDay(previousPeriod.start)} – ${formatDay(previousPeriod.end)}`;
  const label = (start: string) =>
    view.interval === "year" ? start.slice(0, 4) : formatPeriodLabel(start, view.interval);

  const funnel = d.kpis.lifecycleFunnel.value as Record<string, number>;
  const conversion = d.kpis.stageConversion.value as Record<string, number | null>;
  const conversionParts = d.kpis.stageConversion.breakdown as Record<
    string,
    { numerator: number; denominator: number }
  >;
  const funnelRows = LIFECYCLE_STAGE_ORDER.map((stage) => ({
    stage: STAGE_LABELS[stage] ?? stage,
    Contacts: funnel[stage] ?? 0,
  }));
  const anyFunnel = funnelRows.some((r) => r.Contacts > 0);

  const sources = [...new Set(d.trend.flatMap((p) => Object.keys(p.leadsBySource)))].sort();
  const channels = [...new Set(d.trend.flatMap((p) => Object.keys(p.spendByChannel)))].sort();
  const signupRows = d.trend.map((p) => ({
    period: label(p.start),
    Signups: p.signups,
    "New customers": p.newCustomers,
  }));
  const leadRows = d.trend.map((p) => ({
    period: label(p.start),
    ...Object.fromEntries(sources.map((s) => [formatChannel(s), p.leadsBySource[s] ?? 0])),
  }));
  const spendRows = d.trend.map((p) => ({
    period: label(p.start),
    ...Object.fromEntries(channels.map((c) => [formatChannel(c), p.spendByChannel[c] ?? 0])),
  }));

  return (
    <div className="space-y-6">
      {d.incomplete || d.warnings.length > 0 ? (
        <p className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="fx-warning">
          {d.incomplete
            ? `Some spend has no FX rate and is left out: ${Object.entries(d.unconverted)
                .map(([c, a]) => `${c.toUpperCase()} ${formatMoney(a, c)}`)
                .join(", ")}. `
            : ""}
          {d.warnings.join(", ")}
        </p>
      ) : null}

      <section aria-labelledby="marketing-kpis">
        <h2 id="marketing-kpis" className="mb-2 text-sm font-medium text-gray-700" data-testid="period-label">
          {label(period.start)}
          {period.partial ? ` to date (${period.daysElapsed} of ${period.daysInPeriod} days)` : ""}, as of{" "}
          {formatDay(view.date)}
        </h2>
        <div className="grid grid-cols-2 gap-4 md:grid-cols-4" data-testid="marketing-kpi-grid">
          {TILES.map((t) => {
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
          })}
        </div>
      </section>

      <section className="grid gap-6 lg:grid-cols-[3fr_2fr]" aria-labelledby="funnel-title">
        <div className="rounded-lg border border-gray-200 bg-white p-4">
          <h2 id="funnel-title" className="font-medium">
            Lifecycle funnel
          </h2>
          <p className="text-xs text-gray-500">
            Contacts whose first reach of each stage falls in the period (reaching a later stage counts as reaching the
            earlier ones).
          </p>
          {anyFunnel ? <FunnelChart data={funnelRows} testId="chart-funnel" /> : <EmptyRange what="lifecycle stages" />}
        </div>
        <div className="rounded-lg border border-gray-200 bg-white p-4">
          <h2 className="font-medium">Stage-to-stage conversion</h2>
          <p className="text-xs text-gray-500">
            Of the contacts reaching a stage in the period, those reaching the next by the as-of day.
          </p>
          <table className="mt-3 w-full text-sm" data-testid="stage-conversion">
            <tbody className="divide-y divide-gray-100">
              {LIFECYCLE_STAGE_ORDER.slice(0, -1).map((from, i) => {
                const to = LIFECYCLE_STAGE_ORDER[i + 1] ?? "";
                const key = `${from}__${to}`;
                const parts = conversionParts[key];
                return (
                  <tr key={key} data-testid={`conversion-${key}`}>
                    <th scope="row" className="py-1.5 text-left font-normal text-gray-700">
                      {STAGE_LABELS[from]} → {STAGE_LABELS[to]}
                    </th>
                    <td className="py-1.5 text-right tabular-nums">
                      {formatPercent(conversion[key] ?? null, { digits: 1 })}
                    </td>
                    <td className="py-1.5 pl-3 text-right text-xs tabular-nums text-gray-500">
                      {parts ? `${parts.numerator} of ${parts.denominator}` : ""}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <p className="mt-3 text-sm">
            Lead conversion (qualified → customer):{" "}
            <strong data-testid="lead-conversion">
              {formatPercent(num(d.kpis.leadConversionRate.value), { digits: 1 })}
            </strong>
          </p>
        </div>
      </section>

      <section className="grid gap-6 lg:grid-cols-3" aria-label="Trends">
        <div className="rounded-lg border border-gray-200 bg-white p-4">
          <h2 className="font-medium">Signups and new customers</h2>
          <p className="text-xs text-gray-500">
            Per {view.interval}, last {d.trend.length}.
          </p>
          <CountBarChart
            data={signupRows}
            index="period"
            categories={["Signups", "New customers"]}
            testId="chart-signups"
          />
        </div>
        <div className="rounded-lg border border-gray-200 bg-white p-4">
          <h2 className="font-medium">Leads by source</h2>
          <p className="text-xs text-gray-500">Lead events per {view.interval}, stacked by source.</p>
          {sources.length ? (
            <CountBarChart
              data={leadRows}
              index="period"
              categories={sources.map(formatChannel)}
              stack
              testId="chart-leads"
            />
          ) : (
            <EmptyRange what="leads" />
          )}
        </div>
        <div className="rounded-lg border border-gray-200 bg-white p-4">
          <h2 className="font-medium">Marketing spend</h2>
          <p className="text-xs text-gray-500">Converted at each day&apos;s rate, stacked by channel.</p>
          {channels.length ? (
            <MoneyBarChart
              data={spendRows}
              index="period"
              categories={channels.map(formatChannel)}
              currency={cur}
              testId="chart-spend"
            />
          ) : (
            <EmptyRange what="marketing spend" />
          )}
        </div>
      </section>

      <section aria-labelledby="channels-title" className="space-y-2">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="channels-title" className="font-medium">
            Channels
          </h2>
          <p className="text-xs text-gray-500">
            New customers by {d.settings.attribution === "firstTouch" ? "first" : "last"} touch; ROI counts{" "}
            {d.settings.roiHorizonMonths} months of new MRR
            {d.settings.overheadChannels.length
              ? `; overhead (${d.settings.overheadChannels.join(", ")}) counts in blended CAC only`
              : ""}
            .
          </p>
        </div>
        {d.channels.length ? (
          <TableShell testId="channel-table">
            <thead className="bg-gray-50">
              <tr>
                <th scope="col" className="px-3 py-2 text-left font-medium text-gray-700">
                  Channel
                </th>
                {["Spend", "Leads", "New customers", "New MRR", "CAC", "ROI"].map((h) => (
                  <th key={h} scope="col" className="px-3 py-2 text-right font-medium text-gray-700">
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="divide-y divide-gray-100">
              {d.channels.map((c) => (
                <tr key={c.channel} data-testid={`channel-${c.channel}`}>
                  <th scope="row" className="px-3 py-2 text-left font-normal">
                    {formatChannel(c.channel)}
                    {c.paid ? <span className="ml-2 rounded bg-blue-50 px-1.5 text-xs text-blue-800">paid</span> : null}
                  </th>
                  <td className="px-3 py-2 text-right tabular-nums">{formatMoney(c.spend, cur)}</td>
                  <td className="px-3 py-2 text-right tabular-nums">{formatCount(c.leads)}</td>
                  <td className="px-3 py-2 text-right tabular-nums">{formatCount(c.newCustomers)}</td>
                  <td className="px-3 py-2 text-right tabular-nums">{formatMoney(c.newMrr, cur)}</td>
                  <td className="px-3 py-2 text-right tabular-nums" data-testid={`channel-${c.channel}-cac`}>
                    {formatMoney(c.cac, cur)}
                  </td>
                  <td className="px-3 py-2 text-right tabular-nums" data-testid={`channel-${c.channel}-roi`}>
                    {formatPercent(c.roi, { digits: 1 })}
                  </td>
                </tr>
              ))}
            </tbody>
          </TableShell>
        ) : (
          <EmptyRange what="channels with spend, leads or new customers" testId="channels-empty" />
        )}
      </section>
    </div>
  );
}
