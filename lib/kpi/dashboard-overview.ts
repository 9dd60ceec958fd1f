import type { Executor } from "@/db/client";
import { listNewMovements } from "@/db/queries/mrr";
import { can, type Role } from "@/lib/auth/permissions";
import { listIngestRecords } from "@/lib/ingest/load";
import { computeCacBlended } from "@/lib/metrics/cac";
import { createCustomerLinker } from "@/lib/metrics/customer-linking";
import { buildRateTable, convertFlow } from "@/lib/metrics/fx";
import { computeChange } from "@/lib/metrics/headline";
import { computeHeadlineFromTotals } from "@/lib/metrics/headline-totals";
import { computeSignups } from "@/lib/metrics/marketing";
import { computeNps } from "@/lib/metrics/success";
import {
  addMonths,
  comparisonPeriod,
  listPeriods,
  minDay,
  resolvePeriod,
  startOfPeriod,
  type ReportPeriod,
} from "@/lib/metrics/time";
import type { Day } from "@/lib/metrics/types";
import type { Workspace } from "@/lib/workspaces/context";
import { loadPeriodPoints, type PeriodPoint } from "./dashboard";
import { loadTotalsInput, loadViewSums } from "./finance";
import { getMetricConfig } from "./settings";

export type OverviewTileKey =
  "mrr" | "arr" | "netNewMrr" | "customerChurnRate" | "nrr" | "nps" | "signups" | "cacBlended";

export type OverviewTile = {
  key: OverviewTileKey;
  label: string;
  unit: "money" | "ratio" | "count" | "points";
  value: number | null;
  previous: number | null;
  change: number | null;
  changeRate: number | null;
  /** True when a rise is bad news (churn, CAC): the change badge colours by it. */
  lowerIsBetter: boolean;
  spark: { label: string; value: number | null }[];
  /** The dashboard the tile belongs to (and the drill-down it links to). */
  area: "finance" | "marketing" | "success";
};

export type Overview = { asOf: Day; period: ReportPeriod; previousPeriod: ReportPeriod; tiles: OverviewTile[] };

const SPARK_MONTHS = 12;

/**
 * The executive overview (metrics.md §4.4): the period is the month containing today, compared with the same
 * number of days of the previous month (§1.2); sparklines are the last 12 months. Each tile appears only if the
 * role may see its home dashboard, and only its data is loaded.
 */
export async function loadOverview(workspace: Workspace, db: Executor, role: Role, asOf: Day): Promise<Overview> {
  const period = resolvePeriod(asOf, "month");
  const previousPeriod = comparisonPeriod(period, "month");
  const months = listPeriods(startOfPeriod(addMonths(asOf, -(SPARK_MONTHS - 1)), "month"), asOf, "month");
  const sparkFrom = months[0]?.start ?? period.start;
  const label = (p: { start: Day }) => p.start.slice(0, 7);
  const tiles: OverviewTile[] = [];
  const tile = (t: Omit<OverviewTile, "change" | "changeRate">): OverviewTile => ({
    ...t,
    ...computeChange(t.value, t.previous),
  });

  const needsFinance = can(role, "finance.read");
  const needsMarketing = can(role, "marketing.read");
  const config = needsFinance || needsMarketing ? await getMetricConfig(workspace.id, db) : null;

  if (needsFinance && config) {
    // The same totals as the finance page and /metrics (ADR 0009, 0010): no per-customer rows. One read of the
    // daily and cohort sums serves the month, the previous month and the sparklines.
    const sums = loadViewSums(workspace, db, { to: asOf, customers: null });
    // Its tiles do not show the trailing-year NRR, so neither month reads that window.
    const month = { interval: "month" as const, config, sums, trailingYear: false };
    const [now, then, points] = await Promise.all([
      loadTotalsInput(workspace, db, { ...month, asOf }).then(computeHeadlineFromTotals),
      loadTotalsInput(workspace, db, { ...month, asOf: previousPeriod.end }).then(computeHeadlineFromTotals),
      loadPeriodPoints(workspace, db, {
        range: { from: sparkFrom, to: asOf, interval: "month" },
        policy: config.policy,
        customers: null,
        sums,
      }),
    ]);
    const spark = (f: (p: PeriodPoint) => number | null) => points.map((p) => ({ label: label(p), value: f(p) }));
    const netNew = (p: PeriodPoint) => p.new + p.expansion + p.contraction + p.churn + p.reactivation;
    tiles.push(
      tile({
        key: "mrr",
        label: "MRR",
        unit: "money",
        value: now.values.mrr,
        previous: then.values.mrr,
        lowerIsBetter: false,
        spark: spark((p) => p.endMrr),
        area: "finance",
      }),
      tile({
        key: "arr",
        label: "ARR",
        unit: "money",
        value: now.values.arr,
        previous: then.values.arr,
        lowerIsBetter: false,
        spark: spark((p) => p.arr),
        area: "finance",
      }),
      tile({
        key: "netNewMrr",
        label: "Net new MRR",
        unit: "money",
        value: now.values.netNewMrr,
        previous: then.values.netNewMrr,
        lowerIsBetter: false,
        spark: spark(netNew),
        area: "finance",
      }),
      tile({
        key: "customerChurnRate",
        label: "Customer churn rate",
        unit: "ratio",
        value: now.values.customerChurnRate,
        previous: then.values.customerChurnRate,
        lowerIsBetter: true,
        spark: spark((p) => p.customerChurnRate),
        area: "finance",
      }),
      tile({
        key: "nrr",
        label: "Net revenue retention",
        unit: "ratio",
        value: now.values.nrr,
        previous: then.values.nrr,
        lowerIsBetter: false,
        spark: spark((p) => p.nrr),
        area: "finance",
      }),
    );
  }

  if (can(role, "success.read")) {
    const { nps_response: responses } = await listIngestRecords(workspace.id, db, ["nps_response"], {
      from: minDay(sparkFrom, previousPeriod.start),
      to: asOf,
      timeZone: workspace.timezone,
    });
    const nps = (p: { start: Day; end: Day }) => computeNps({ responses, period: p }).value as number | null;
    tiles.push(
      tile({
        key: "nps",
        label: "NPS",
        unit: "points",
        value: nps(period),
        previous: nps(previousPeriod),
        lowerIsBetter: false,
        spark: months.map((m) => ({ label: label(m), value: nps(m) })),
        area: "success",
      }),
    );
  }

  if (needsMarketing && config) {
    const [records, newRows] = await Promise.all([
      listIngestRecords(workspace.id, db, ["signup", "lead", "marketing_spend"], {
        to: asOf,
        timeZone: workspace.timezone,
      }),
      // N per period straight from the ledger: a `new` row's day is the customer's first paid day (§4).
      listNewMovements(workspace.id, db, {
        from: minDay(sparkFrom, previousPeriod.start),
        to: asOf,
      }),
    ]);
    const signups = (p: { start: Day; end: Day }) => computeSignups({ signups: records.signup, period: p }).value;
    const rates = buildRateTable(config.fxRates, workspace.currency);
    const linker = createCustomerLinker([]);
    const cac = (p: { start: Day; end: Day }) =>
      computeCacBlended({
        period: p,
        newCustomers: newRows
          .filter((r) => r.day >= p.start && r.day <= p.end)
          .map((r) => ({ customerId: r.customerId, firstPaidDay: r.day, newMrr: r.amount })),
        spend: records.marketing_spend,
        reportingCurrency: workspace.currency,
        convert: (amount, currency, day) => convertFlow(amount, currency, day, rates)?.amount ?? null,
        leads: records.lead,
        signups: records.signup,
        linker,
        settings: config.settings,
      }).value;
    tiles.push(
      tile({
        key: "signups",
        label: "Signups",
        unit: "count",
        value: signups(period),
        previous: signups(previousPeriod),
        lowerIsBetter: false,
        spark: months.map((m) => ({ label: label(m), value: signups(m) })),
        area: "marketing",
      }),
      tile({
        key: "cacBlended",
        label: "Blended CAC",
        unit: "money",
        value: cac(period),
        previous: cac(previousPeriod),
        lowerIsBetter: true,
        spark: months.map((m) => ({ label: label(m), value: cac(m) })),
        area: "marketing",
      }),
    );
  }
  return { asOf, period, previousPeriod, tiles };
}
