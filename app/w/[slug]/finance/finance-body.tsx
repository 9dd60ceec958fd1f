import { getDb } from "@/db/client";
import { formatBillingInterval, formatDay, formatMoney, formatPeriodLabel, type ValueUnit } from "@/lib/format";
import { loadFinanceDashboard } from "@/lib/kpi/dashboard";
import { formatCountry, toFinanceQuery, type FinanceParams } from "@/lib/kpi/dashboard-params";
import { financeCatalog } from "@/lib/metrics/catalog";
import { computeChange } from "@/lib/metrics/headline";
import type { FinanceKey } from "@/lib/metrics/finance";
import type { Workspace } from "@/lib/workspaces/context";
import { MoneyAreaChart, MoneyBarList, MoneyDonut, MovementsChart, RatioLineChart } from "@/app/_components/charts";
import { EmptyRange } from "@/app/_components/empty-state";
import { KpiCard } from "@/app/_components/kpi-card";
import { PolicyNote } from "@/app/_components/policy-note";
import { RangeControls } from "@/app/_components/range-controls";
import { CohortTable, MovementsTable, RetentionTable } from "./finance-tables";

type Tile = { key: FinanceKey; unit?: ValueUnit; href?: string; lowerIsBetter?: boolean };

const CHART_KINDS = [
  ["New", "new"],
  ["Expansion", "expansion"],
  ["Reactivation", "reactivation"],
  ["Contraction", "contraction"],
  ["Churn", "churn"],
] as const;

export async function FinanceBody({
  workspace,
  view,
  presets,
  canEditPolicies,
}: {
  workspace: Workspace;
  view: FinanceParams;
  presets: { label: string; href: string }[];
  canEditPolicies: boolean;
}) {
  const d = await loadFinanceDashboard(workspace, await getDb(), view);
  const cur = workspace.currency;
  const w = `/w/${workspace.slug}`;
  const { period } = d;
  const movements = (from: string, to: string, kind?: string) =>
    `${w}/finance/movements${toFinanceQuery({ filter: view.filter }, { from, to, kind })}`;
  const customers = (extra: Record<string, string | undefined>) =>
    `${w}/customers${toFinanceQuery({ filter: view.filter }, { asOf: view.to, ...extra })}`;
  const compareLabel = d.previousPeriod
    ? `${formatDay(d.previousPeriod.start)} – ${formatDay(d.previousPeriod.end)}`
    : "";

  const tiles: Tile[] = [
    { key: "mrr", href: customers({ status: "paying", sort: "mrr" }) },
    { key: "arr", href: customers({ status: "paying", sort: "mrr" }) },
    { key: "netNewMrr", href: movements(period.start, period.end) },
    { key: "payingCustomers", href: customers({ status: "paying" }) },
    { key: "newMrr", href: movements(period.start, period.end, "new") },
    { key: "expansionMrr", href: movements(period.start, period.end, "expansion") },
    { key: "contractionMrr", href: movements(period.start, period.end, "contraction") },
    { key: "churnedMrr", href: movements(period.start, period.end, "churn"), lowerIsBetter: false },
    { key: "customerChurnRate", href: movements(period.start, period.end, "churn"), lowerIsBetter: true },
    {
      key: "grossRevenueChurnRate",
      href: movements(period.start, period.end, "contraction,churn"),
      lowerIsBetter: true,
    },
    { key: "nrr", href: movements(period.start, period.end) },
    { key: "grr", href: movements(period.start, period.end, "contraction,churn") },
    { key: "arpa", href: customers({ status: "paying", sort: "mrr" }) },
    { key: "ltv" },
    { key: "ltvToCac", unit: "multiple" },
    { key: "cacPaybackMonths", lowerIsBetter: true },
    { key: "quickRatio", unit: "multiple", href: movements(period.start, period.end) },
    { key: "cashCollected" },
    { key: "cmrr", href: customers({ status: "paying", sort: "mrr" }) },
    { key: "carr", href: customers({ status: "paying", sort: "mrr" }) },
    { key: "trialConversionRate" },
    { key: "failedPaymentRecoveryRate" },
  ];

  const chartRows = d.points.map((p) => ({
    period: formatPeriodLabel(p.start, view.interval),
    MRR: p.endMrr,
    ARR: p.arr,
  }));
  const mrrLinks = Object.fromEntries(
    d.points.map((p) => [
      formatPeriodLabel(p.start, view.interval),
      { "*": `${w}/customers${toFinanceQuery({ filter: view.filter }, { asOf: p.end, status: "paying" })}` },
    ]),
  );
  const waterfall = d.points.map((p) => ({
    period: formatPeriodLabel(p.start, view.interval),
    New: p.new,
    Expansion: p.expansion,
    Reactivation: p.reactivation,
    Contraction: p.contraction,
    Churn: p.churn,
  }));
  const waterfallLinks = Object.fromEntries(
    d.points.map((p) => [
      formatPeriodLabel(p.start, view.interval),
      Object.fromEntries(CHART_KINDS.map(([label, kind]) => [label, movements(p.start, p.end, kind)])),
    ]),
  );
  const retentionRows = d.points.map((p) => ({
    period: formatPeriodLabel(p.start, view.interval),
    "Logo churn": p.customerChurnRate,
    "Revenue churn": p.grossRevenueChurnRate,
    NRR: p.nrr,
    GRR: p.grr,
  }));
  const anyMovement = d.points.some((p) => p.new || p.expansion || p.contraction || p.churn || p.reactivation);

  return (
    <div className="space-y-6">
      <RangeControls
        action={`${w}/finance`}
        values={{ from: view.from, to: view.to, interval: view.interval, ...view.filter, compare: view.compare }}
        options={{ ...d.options, countries: d.options.countries.map((c) => ({ value: c, label: formatCountry(c) })) }}
        presets={presets}
      />
      <PolicyNote policies={d.headline.policies} settingsHref={`${w}/settings/metrics`} canEdit={canEditPolicies} />
      {d.headline.incomplete ? (
        <p className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="fx-warning">
          Some amounts have no FX rate and are left out (load rates with <code>npm run admin -- load-fx-rates</code>):{" "}
          {Object.entries(d.headline.unconverted)
            .map(([c, a]) => formatMoney(a, c))
            .join(", ")}
          .
        </p>
      ) : null}

      <section aria-labelledby="kpis">
        <h2 id="kpis" className="mb-2 text-sm font-medium text-gray-700">
          {formatPeriodLabel(period.start, view.interval)}
          {period.partial ? ` to date (${period.daysElapsed} of ${period.daysInPeriod} days)` : ""}, as of{" "}
          {formatDay(view.to)}
        </h2>
        <div className="grid grid-cols-2 gap-4 md:grid-cols-4" data-testid="finance-kpis">
          {tiles.map((t) => {
            const entry = financeCatalog[t.key];
            const value = d.headline.values[t.key] as number | null;
            const previous = d.previous ? (d.previous.values[t.key] as number | null) : null;
            const unit: ValueUnit =
              t.unit ??
              (entry.unit === "money" || entry.unit === "ratio" || entry.unit === "months" || entry.unit === "count"
                ? entry.unit
                : "count");
            return (
              <KpiCard
                key={t.key}
                testId={`kpi-${t.key}`}
                title={entry.label}
                value={value}
                unit={unit}
                currency={cur}
                hint={entry.definition}
                {...(t.href ? { href: t.href } : {})}
                {...(d.previous && !(t.key === "cmrr" || t.key === "carr")
                  ? {
                      comparison: {
                        previous,
                        ...computeChange(value, previous),
                        lowerIsBetter: t.lowerIsBetter ?? false,
                        label: compareLabel,
                      },
                    }
                  : {})}
              />
            );
          })}
        </div>
        {d.marketingSpend === null ? (
          <p className="mt-2 text-xs text-gray-500">
            LTV : CAC and CAC payback need marketing spend: send <code>marketing_spend</code> events through the ingest
            API.
          </p>
        ) : null}
      </section>

      <section className="grid gap-6 lg:grid-cols-2">
        <div className="rounded-lg border border-gray-200 bg-white p-4">
          <h2 className="font-medium">MRR</h2>
          <p className="text-xs text-gray-500">At the end of each period. Click a point for its paying customers.</p>
          <MoneyAreaChart
            data={chartRows}
            index="period"
            categories={["MRR"]}
            currency={cur}
            links={mrrLinks}
            testId="chart-mrr"
          />
        </div>
        <div className="rounded-lg border border-gray-200 bg-white p-4">
          <h2 className="font-medium">MRR movements</h2>
          <p className="text-xs text-gray-500">
            Gains above zero, losses below. Click a bar for the customers behind it.
          </p>
          {anyMovement ? (
            <MovementsChart data={waterfall} currency={cur} links={waterfallLinks} testId="chart-movements" />
          ) : (
            <EmptyRange what="MRR movements" testId="movements-empty" />
          )}
        </div>
      </section>

      <MovementsTable
        points={d.points}
        interval={view.interval}
        currency={cur}
        link={movements}
        exportHref={`${w}/finance/export${toFinanceQuery(view, { type: "periods" })}`}
      />

      <section className="grid gap-6 lg:grid-cols-2">
        <div className="rounded-lg border border-gray-200 bg-white p-4">
          <h2 className="font-medium">Churn and retention</h2>
          <p className="text-xs text-gray-500">
            Per period, over the customers paying at its start ({String(d.headline.policies.churnRateBasis)} basis).
          </p>
          <RatioLineChart
            data={retentionRows}
            index="period"
            categories={["Logo churn", "Revenue churn", "NRR", "GRR"]}
            testId="chart-retention"
          />
        </div>
        <RetentionTable points={d.points} interval={view.interval} link={movements} />
      </section>

      <section className="grid gap-6 lg:grid-cols-2" aria-label="Revenue breakdown">
        <div className="rounded-lg border border-gray-200 bg-white p-4">
          <h2 className="mb-2 font-medium">MRR by plan</h2>
          {d.breakdown.plan.length ? (
            <MoneyBarList
              data={d.breakdown.plan.map((s) => ({
                name: `${s.label} (${s.customers})`,
                value: s.mrr,
                href: customers({ status: "paying", plan: s.key || undefined }),
              }))}
              currency={cur}
              testId="by-plan"
            />
          ) : (
            <EmptyRange what="paying customers" />
          )}
        </div>
        <div className="rounded-lg border border-gray-200 bg-white p-4">
          <h2 className="mb-2 font-medium">MRR by billing interval</h2>
          <MoneyDonut
            data={d.breakdown.billing.map((s) => ({ name: formatBillingInterval(s.key), value: s.mrr }))}
            currency={cur}
            testId="by-billing"
          />
          <MoneyBarList
            data={d.breakdown.billing.map((s) => ({
              name: `${formatBillingInterval(s.key)} (${s.customers})`,
              value: s.mrr,
              href: customers({ status: "paying", billing: s.key || undefined }),
            }))}
            currency={cur}
            color="emerald"
          />
        </div>
        <div className="rounded-lg border border-gray-200 bg-white p-4">
          <h2 className="mb-2 font-medium">MRR by currency</h2>
          <p className="mb-2 text-xs text-gray-500">
            The subscription&apos;s currency; amounts in {cur.toUpperCase()}.
          </p>
          <MoneyBarList
            data={d.breakdown.currency.map((s) => ({
              name: `${s.label} (${s.customers})`,
              value: s.mrr,
              href: customers({ status: "paying", currency: s.key || undefined }),
            }))}
            currency={cur}
            color="violet"
            testId="by-currency"
          />
        </div>
        <div className="rounded-lg border border-gray-200 bg-white p-4">
          <h2 className="mb-2 font-medium">MRR by country</h2>
          <p className="mb-2 text-xs text-gray-500">
            The customer&apos;s billing address, else its shipping address; customers with neither are listed as
            unknown.
          </p>
          {d.breakdown.country.length ? (
            <MoneyBarList
              data={d.breakdown.country.map((s) => ({
                name: `${formatCountry(s.key)} (${s.customers})`,
                value: s.mrr,
                href: customers({ status: "paying", country: s.key }),
              }))}
              currency={cur}
              color="cyan"
              testId="by-country"
            />
          ) : (
            <EmptyRange what="paying customers" testId="by-country-empty" />
          )}
        </div>
      </section>

      <CohortTable
        rows={d.headline.values.cohortRetention ?? []}
        link={(cohort) => customers({ cohort, status: "all" })}
      />
    </div>
  );
}
