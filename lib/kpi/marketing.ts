/**
 * The marketing dashboard's numbers (metrics.md §4.2): the records are read once, then every KPI, the comparison
 * period and the trend series come from the pure functions of lib/metrics.
 */
import { z } from "zod";
import type { Executor } from "@/db/client";
import { listIngestRecords } from "@/lib/ingest/load";
import { buildRateTable, flowConverter } from "@/lib/metrics/fx";
import type { KpiOutput, KpiPeriod } from "@/lib/metrics/kpi-inputs";
import { computeLeads, computeMarketingSpend, computeSignups, computeUniqueVisitors } from "@/lib/metrics/marketing";
import { computeMarketingKpis, type MarketingKpiKey } from "@/lib/metrics/marketing-cs-kpis";
import {
  addDays,
  comparisonPeriod,
  listPeriods,
  minDay,
  resolvePeriod,
  startOfPeriod,
  type Interval,
  type ReportPeriod,
} from "@/lib/metrics/time";
import type { Day } from "@/lib/metrics/types";
import type { Workspace } from "@/lib/workspaces/context";
import { loadBillingFacts, toAcquisitionFacts, toMetricSettings } from "./billing-facts";
import { getMetricConfig, type MetricConfig } from "./settings";
import { todayIn } from "./today";

/** How many periods the trend charts show, the current one included. */
export const TREND_PERIODS = 12;

export type KpiSet<K extends string> = Record<K, KpiOutput<unknown, unknown>>;

export type MarketingTrendPoint = {
  start: Day;
  end: Day;
  uniqueVisitors: number;
  signups: number;
  leads: number;
  leadsBySource: Record<string, number>;
  spend: number;
  spendByChannel: Record<string, number>;
  newCustomers: number;
};

/** One row of the channel table: spend, leads, attributed new customers, CAC and ROI of one channel in P. */
export type ChannelRow = {
  channel: string;
  spend: number;
  leads: number;
  newCustomers: number;
  newMrr: number;
  /** Spend > 0 in P and not an overhead channel (metrics.md §4.2 cacPaid). */
  paid: boolean;
  cac: number | null;
  roi: number | null;
};

export type MarketingDashboard = {
  period: ReportPeriod;
  previousPeriod: ReportPeriod;
  kpis: KpiSet<MarketingKpiKey>;
  previous: KpiSet<MarketingKpiKey>;
  trend: MarketingTrendPoint[];
  channels: ChannelRow[];
  /** missing_fx_rate / stale_fx_rate warnings of the spend in P (§1.1). */
  warnings: string[];
  incomplete: boolean;
  unconverted: Record<string, number>;
  /** The settings the channel table depends on, to say so beside it. */
  settings: { attribution: "firstTouch" | "lastTouch"; roiHorizonMonths: number; overheadChannels: string[] };
};

export const kpiViewIntervals = ["week", "month", "quarter", "year"] as const;
export type KpiViewInterval = (typeof kpiViewIntervals)[number];
export type KpiView = { date: Day; interval: KpiViewInterval };

// The marketing and success views keep their state in the URL; a bad value falls back to the default instead of
// failing the page, so a hand-edited link still shows something sensible.
const kpiViewSchema = z.object({
  date: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .refine((d) => !Number.isNaN(Date.parse(d)))
    .optional()
    .catch(undefined),
  interval: z.enum(kpiViewIntervals).catch("month").default("month"),
});

/** Parses `?date=YYYY-MM-DD&interval=…`: the date defaults to today in the workspace zone and never passes it. */
export function parseKpiView(sp: Record<string, string | string[] | undefined>, timeZone: string): KpiView {
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const raw = kpiViewSchema.parse({ date: first(sp.date), interval: first(sp.interval) });
  const today = todayIn(timeZone);
  return { date: raw.date && raw.date <= today ? raw.date : today, interval: raw.interval };
}

/** The last `count` periods of `interval` up to `asOf`, the last one cut at `asOf`. */
export function listTrendPeriods(asOf: Day, interval: Interval, count = TREND_PERIODS): KpiPeriod[] {
  let start = startOfPeriod(asOf, interval);
  for (let i = 1; i < count; i++) start = startOfPeriod(addDays(start, -1), interval);
  return listPeriods(start, asOf, interval);
}

const upTo = <T extends { day: Day }>(records: readonly T[], end: Day): T[] => records.filter((r) => r.day <= end);

/**
 * Every marketing KPI of P (the `interval` period containing `asOf`, cut at it) and of its comparison period
 * (§1.2), the trend of the last TREND_PERIODS periods and the channel table. Reads: visits and spend from the
 * earliest period shown; signups, leads and lifecycle stages from the first event (first touch and stage reaches
 * need their whole history); product activity from `pqlWindowDays` before the comparison period (PQLs, activation).
 */
export async function loadMarketingKpis(
  workspace: Workspace,
  db: Executor,
  opts: { asOf: Day; interval: Interval; config?: MetricConfig },
): Promise<MarketingDashboard> {
  const period = resolvePeriod(opts.asOf, opts.interval);
  const previousPeriod = comparisonPeriod(period, opts.interval);
  const trendPeriods = listTrendPeriods(opts.asOf, opts.interval);
  const config = opts.config ?? (await getMetricConfig(workspace.id, db));
  const settings = toMetricSettings(config.settings);
  const tz = workspace.timezone;
  const flowsFrom = minDay(
    trendPeriods[0]?.start ?? period.start,
    previousPeriod.start,
    `${previousPeriod.end.slice(0, 7)}-01`,
  );
  const [flows, touches, usage, billing] = await Promise.all([
    listIngestRecords(workspace.id, db, ["visit", "marketing_spend"], { from: flowsFrom, to: opts.asOf, timeZone: tz }),
    listIngestRecords(workspace.id, db, ["signup", "lead", "lifecycle_stage"], { to: opts.asOf, timeZone: tz }),
    listIngestRecords(workspace.id, db, ["product_activity"], {
      from: addDays(previousPeriod.start, -settings.pqlWindowDays),
      to: opts.asOf,
      timeZone: tz,
    }),
    loadBillingFacts(workspace, db, { asOf: opts.asOf, stockDays: [], policy: config.policy }),
  ]);

  const { convert, staleWarnings } = flowConverter(buildRateTable(config.fxRates, workspace.currency));
  const records = {
    visits: flows.visit,
    spend: flows.marketing_spend,
    signups: touches.signup,
    leads: touches.lead,
    stages: touches.lifecycle_stage,
    activity: usage.product_activity,
  };
  const kpisFor = (p: ReportPeriod): KpiSet<MarketingKpiKey> => {
    const comparison = comparisonPeriod(p, opts.interval);
    return computeMarketingKpis({
      period: { start: p.start, end: p.end },
      previousPeriod: { start: comparison.start, end: comparison.end },
      reportingCurrency: workspace.currency,
      convert,
      settings,
      customers: billing.customers,
      mrrSeries: billing.mrrSeries,
      ...toAcquisitionFacts(billing.ledger, p),
      // Records after the period's end never change its answer (as-of, §1.2).
      visits: upTo(records.visits, p.end),
      signups: upTo(records.signups, p.end),
      leads: upTo(records.leads, p.end),
      stages: upTo(records.stages, p.end),
      spend: upTo(records.spend, p.end),
      activity: upTo(records.activity, p.end),
    });
  };
  const kpis = kpisFor(period);
  const previous = kpisFor(previousPeriod);

  const trend = trendPeriods.map((p): MarketingTrendPoint => {
    const leads = computeLeads({ leads: records.leads, period: p });
    const spend = computeMarketingSpend({
      spend: records.spend,
      period: p,
      reportingCurrency: workspace.currency,
      convert,
    });
    return {
      start: p.start,
      end: p.end,
      uniqueVisitors: computeUniqueVisitors({ visits: records.visits, period: p }).value,
      signups: computeSignups({ signups: records.signups, period: p }).value,
      leads: leads.value,
      leadsBySource: leads.breakdown.bySource,
      spend: spend.value,
      spendByChannel: spend.breakdown.byChannel,
      newCustomers: toAcquisitionFacts(billing.ledger, p).newCustomers.length,
    };
  });

  const spend = kpis.marketingSpend as ReturnType<typeof computeMarketingSpend>;
  return {
    period,
    previousPeriod,
    kpis,
    previous,
    trend,
    channels: toChannelRows(kpis),
    warnings: [...spend.breakdown.warnings, ...[...staleWarnings].sort()],
    incomplete: spend.breakdown.incomplete,
    unconverted: spend.breakdown.unconverted,
    settings: {
      attribution: settings.attribution,
      roiHorizonMonths: settings.roiHorizonMonths,
      overheadChannels: settings.overheadChannels,
    },
  };
}

type CacRows = { rows: { channel: string; spend: number; customers: number; newMrr: number; paid: boolean }[] };

/** The channel table from the pure outputs: cacByChannel's rows joined with leadsBySource and channelRoi. */
function toChannelRows(kpis: KpiSet<MarketingKpiKey>): ChannelRow[] {
  const cac = kpis.cacByChannel as KpiOutput<Record<string, number | null>, CacRows>;
  const roi = kpis.channelRoi.value as Record<string, number | null>;
  const leads = kpis.leadsBySource.value as Record<string, number>;
  const rows = new Map<string, ChannelRow>();
  for (const row of cac.breakdown.rows) {
    rows.set(row.channel, {
      channel: row.channel,
      spend: row.spend,
      leads: leads[row.channel] ?? 0,
      newCustomers: row.customers,
      newMrr: row.newMrr,
      paid: row.paid,
      cac: cac.value[row.channel] ?? null,
      roi: roi[row.channel] ?? null,
    });
  }
  for (const [channel, count] of Object.entries(leads)) {
    if (rows.has(channel)) continue;
    // A source with leads but neither spend nor new customers in P is not a row of cacByChannel: no CAC or ROI.
    rows.set(channel, {
      channel,
      spend: 0,
      leads: count,
      newCustomers: 0,
      newMrr: 0,
      paid: false,
      cac: null,
      roi: null,
    });
  }
  return [...rows.values()].sort(
    (a, b) =>
      b.spend - a.spend || b.newCustomers - a.newCustomers || b.leads - a.leads || a.channel.localeCompare(b.channel),
  );
}
