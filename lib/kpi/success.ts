/**
 * The customer-success dashboard's numbers (metrics.md §4.3, §4.5): surveys, tickets, usage, health and expansion.
 * Records and billing facts are read once; every KPI, the comparison and the trend come from lib/metrics.
 */
import type { Executor } from "@/db/client";
import { listIngestRecords } from "@/lib/ingest/load";
import type { HealthRow } from "@/lib/metrics/health";
import type { KpiPeriod, TicketRecord } from "@/lib/metrics/kpi-inputs";
import { computeSuccessKpis, type SuccessKpiKey } from "@/lib/metrics/marketing-cs-kpis";
import { computeCsat, computeNps } from "@/lib/metrics/success";
import { computeFirstResponseTime, computeResolutionTime, computeSupportTickets } from "@/lib/metrics/support";
import { addDays, comparisonPeriod, minDay, resolvePeriod, type Interval, type ReportPeriod } from "@/lib/metrics/time";
import type { Day } from "@/lib/metrics/types";
import type { Workspace } from "@/lib/workspaces/context";
import { loadBillingFacts, toExpansionFacts, toMetricSettings, type PayingCustomerFacts } from "./billing-facts";
import { listTrendPeriods, type KpiSet } from "./marketing";
import { getMetricConfig, type MetricConfig } from "./settings";

export type SuccessTrendPoint = {
  start: Day;
  end: Day;
  nps: number | null;
  promoters: number;
  passives: number;
  detractors: number;
  csat: number | null;
  supportTickets: number;
  firstResponseTimeMedian: number | null;
  resolutionTimeMedian: number | null;
};

/** A health row with what a table shows beside it. */
export type AccountRow = HealthRow & { name: string | null; email: string | null; facts: PayingCustomerFacts | null };

export type SuccessDashboard = {
  period: ReportPeriod;
  previousPeriod: ReportPeriod;
  kpis: KpiSet<SuccessKpiKey>;
  previous: KpiSet<SuccessKpiKey>;
  trend: SuccessTrendPoint[];
  /** Paying customers not in the green band at D, by MRR (largest first): red ones make up atRiskMrr. */
  atRisk: AccountRow[];
  /** The finance movement total `expansionMrr` of P and of the comparison period (shared with finance, §4.3). */
  expansionMrr: { current: number; previous: number };
  /** Customers with expansion in P, largest first. */
  expanded: { customerId: string; name: string | null; expansion: number }[];
};

const upTo = <T extends { day: Day }>(records: readonly T[], end: Day): T[] => records.filter((r) => r.day <= end);

/**
 * Every customer-success KPI of P and of its comparison period (§1.2), stocks as of each period's end, plus the
 * trend of the last periods and the at-risk accounts. Reads: NPS responses from 180 days before the comparison
 * period's end (health) or the trend's start; CSAT from the trend's start; ticket events from the first one (open
 * tickets count old openings); product activity from 30 days before the comparison period's end.
 */
export async function loadSuccessKpis(
  workspace: Workspace,
  db: Executor,
  opts: { asOf: Day; interval: Interval; config?: MetricConfig },
): Promise<SuccessDashboard> {
  const period = resolvePeriod(opts.asOf, opts.interval);
  const previousPeriod = comparisonPeriod(period, opts.interval);
  const trendPeriods = listTrendPeriods(opts.asOf, opts.interval);
  const config = opts.config ?? (await getMetricConfig(workspace.id, db));
  const settings = toMetricSettings(config.settings);
  const tz = workspace.timezone;
  const trendStart = trendPeriods[0]?.start ?? period.start;
  const range = (from: Day | undefined) => ({ ...(from ? { from } : {}), to: opts.asOf, timeZone: tz });
  const [surveys, csat, ticketGroups, usage, billing] = await Promise.all([
    listIngestRecords(
      workspace.id,
      db,
      ["nps_response"],
      range(minDay(trendStart, previousPeriod.start, addDays(previousPeriod.end, -179))),
    ),
    listIngestRecords(workspace.id, db, ["csat_response"], range(minDay(trendStart, previousPeriod.start))),
    listIngestRecords(
      workspace.id,
      db,
      ["ticket_opened", "ticket_first_response", "ticket_resolved"],
      range(undefined),
    ),
    listIngestRecords(workspace.id, db, ["product_activity"], range(addDays(previousPeriod.end, -29))),
    loadBillingFacts(workspace, db, {
      asOf: opts.asOf,
      stockDays: [opts.asOf, previousPeriod.end],
      policy: config.policy,
    }),
  ]);
  const records = {
    npsResponses: surveys.nps_response,
    csatResponses: csat.csat_response,
    tickets: [
      ...ticketGroups.ticket_opened,
      ...ticketGroups.ticket_first_response,
      ...ticketGroups.ticket_resolved,
    ] as TicketRecord[],
    activity: usage.product_activity,
  };

  const kpisFor = (p: KpiPeriod): KpiSet<SuccessKpiKey> => {
    const { expansionMrrS, startMrrS } = toExpansionFacts(billing.ledger, p);
    return computeSuccessKpis({
      period: { start: p.start, end: p.end },
      settings,
      customers: billing.customers,
      payingCustomers: billing.payingByDay.get(p.end) ?? [],
      expansionMrrS,
      startMrrS,
      npsResponses: upTo(records.npsResponses, p.end),
      csatResponses: upTo(records.csatResponses, p.end),
      tickets: upTo(records.tickets, p.end),
      activity: upTo(records.activity, p.end),
    });
  };
  const kpis = kpisFor(period);
  const previous = kpisFor(previousPeriod);

  const trend = trendPeriods.map((p): SuccessTrendPoint => {
    const nps = computeNps({ responses: records.npsResponses, period: p });
    const tickets = upTo(records.tickets, p.end);
    return {
      start: p.start,
      end: p.end,
      nps: nps.value,
      promoters: nps.breakdown.promoters,
      passives: nps.breakdown.passives,
      detractors: nps.breakdown.detractors,
      csat: computeCsat({ responses: records.csatResponses, period: p, settings }).value,
      supportTickets: computeSupportTickets({ tickets, period: p }).value,
      firstResponseTimeMedian: computeFirstResponseTime({ tickets, period: p }).value.median,
      resolutionTimeMedian: computeResolutionTime({ tickets, period: p }).value.median,
    };
  });

  const facts = new Map((billing.payingByDay.get(opts.asOf) ?? []).map((f) => [f.customerId, f]));
  const health = (kpis.healthScore.breakdown as { customers: HealthRow[] }).customers;
  const atRisk = health
    .filter((row) => row.band !== "green")
    .sort((a, b) => b.mrr - a.mrr || a.customerId.localeCompare(b.customerId))
    .map((row) => ({
      ...row,
      name: billing.names.get(row.customerId)?.name ?? null,
      email: billing.names.get(row.customerId)?.email ?? null,
      facts: facts.get(row.customerId) ?? null,
    }));
  const expansion = toExpansionFacts(billing.ledger, period);
  const expanded = expansion.expanded.map((e) => ({
    ...e,
    name: billing.names.get(e.customerId)?.name ?? billing.names.get(e.customerId)?.email ?? null,
  }));
  return {
    period,
    previousPeriod,
    kpis,
    previous,
    trend,
    atRisk,
    expansionMrr: {
      current: expansion.expansionMrr,
      previous: toExpansionFacts(billing.ledger, previousPeriod).expansionMrr,
    },
    expanded,
  };
}
