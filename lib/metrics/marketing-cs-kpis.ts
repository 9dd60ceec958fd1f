/**
 * Every marketing and customer-success KPI key (metrics.md §4.2, §4.3 and `enps`) from one input each, so a route
 * or page loads the records once and gets every key, present as a value or null (§1.3).
 */
import {
  computeAttribution,
  computeCacBlended,
  computeCacByChannel,
  computeCacPaid,
  computeChannelRoi,
  computeTrafficRoi,
  type AcquisitionInput,
} from "./cac";
import { createCustomerLinker, createMrrLookup } from "./customer-linking";
import { computeActiveUsers, computeEngagementScores, computeStickiness, toEngagementRows } from "./engagement";
import {
  computeLeadConversionRate,
  computeLeadVelocityRate,
  computeLifecycleFunnel,
  computeQualifiedLeads,
  computeSalesCycleDays,
  computeStageConversion,
} from "./funnel";
import { computeAtRiskMrr, computeHealthDistribution, computeHealthScores, type HealthCustomer } from "./health";
import type {
  CsatResponseRecord,
  KpiOutput,
  KpiPeriod,
  KpiSettings,
  LeadRecord,
  LifecycleStageRecord,
  LinkableCustomer,
  MrrSeries,
  NewCustomer,
  NpsResponseRecord,
  ProductActivityRecord,
  SignupRecord,
  SpendConverter,
  SpendRecord,
  TicketRecord,
  VisitRecord,
} from "./kpi-inputs";
import {
  computeActivationRate,
  computeLeads,
  computeMarketingSpend,
  computeMuv,
  computeSignups,
  computeSignupToPaidRate,
  computeUniqueVisitors,
  computeViralCoefficient,
  computeVisitorToSignupRate,
} from "./marketing";
import { computePqlConversionRate, computePqls } from "./pql";
import { computeCrc, computeCsat, computeEnps, computeExpansionRate, computeNps } from "./success";
import {
  computeFirstContactResolutionRate,
  computeFirstResponseTime,
  computeOpenTickets,
  computeResolutionTime,
  computeSupportTickets,
} from "./support";

type AnyKpi = KpiOutput<unknown, unknown>;

export type MarketingKpiInput = {
  /** P, cut at D (`end`) when partial. */
  period: KpiPeriod;
  /** The comparison period of §1.2, for lead velocity. */
  previousPeriod: KpiPeriod;
  reportingCurrency: string;
  convert?: SpendConverter;
  settings: KpiSettings;
  /** Every Stripe customer of the workspace (for linking, §1.4). */
  customers: readonly LinkableCustomer[];
  /** Customer MRR change points up to D. */
  mrrSeries: MrrSeries;
  /** N: customers with a `new` movement in P. */
  newCustomers: readonly NewCustomer[];
  /** #S: customers paying at the start of P. */
  startPayingCustomers: number;
  /** Records up to D. Visits and spend may be limited to P; the others reach back (first touch, stages, PQLs). */
  visits: readonly VisitRecord[];
  signups: readonly SignupRecord[];
  leads: readonly LeadRecord[];
  stages: readonly LifecycleStageRecord[];
  spend: readonly SpendRecord[];
  activity: readonly ProductActivityRecord[];
};

export const MARKETING_KPI_KEYS = [
  "muv",
  "uniqueVisitors",
  "signups",
  "leads",
  "leadsBySource",
  "qualifiedLeads",
  "leadVelocityRate",
  "lifecycleFunnel",
  "stageConversion",
  "leadConversionRate",
  "visitorToSignupRate",
  "signupToPaidRate",
  "activationRate",
  "marketingSpend",
  "marketingSpendByChannel",
  "cacBlended",
  "cacPaid",
  "cacByChannel",
  "channelRoi",
  "trafficRoi",
  "attribution",
  "viralCoefficient",
  "pqls",
  "pqlConversionRate",
  "salesCycleDays",
] as const;
export type MarketingKpiKey = (typeof MARKETING_KPI_KEYS)[number];

/** Computes every marketing key of §4.2. Reads every marketing setting of §4.6. */
export function computeMarketingKpis(input: MarketingKpiInput): Record<MarketingKpiKey, AnyKpi> {
  const { period, settings } = input;
  const linker = createCustomerLinker(input.customers);
  const mrr = createMrrLookup(input.mrrSeries);
  const acquisition: AcquisitionInput = { ...input, linker };
  const pql = { signups: input.signups, activity: input.activity, period, linker, mrr, settings };
  const leads = computeLeads({ leads: input.leads, period });
  const spend = computeMarketingSpend(input);
  return {
    muv: computeMuv({ visits: input.visits, asOf: period.end }),
    uniqueVisitors: computeUniqueVisitors({ visits: input.visits, period }),
    signups: computeSignups({ signups: input.signups, period }),
    leads,
    leadsBySource: { value: leads.breakdown.bySource, breakdown: {} },
    qualifiedLeads: computeQualifiedLeads({ stages: input.stages, period }),
    leadVelocityRate: computeLeadVelocityRate(input),
    lifecycleFunnel: computeLifecycleFunnel({ stages: input.stages, period }),
    stageConversion: computeStageConversion({ stages: input.stages, period }),
    leadConversionRate: computeLeadConversionRate({ stages: input.stages, period }),
    visitorToSignupRate: computeVisitorToSignupRate(input),
    signupToPaidRate: computeSignupToPaidRate({ signups: input.signups, period, linker, mrr }),
    activationRate: computeActivationRate({ ...input, linker }),
    marketingSpend: spend,
    marketingSpendByChannel: {
      value: spend.breakdown.byChannel,
      breakdown: { incomplete: spend.breakdown.incomplete },
    },
    cacBlended: computeCacBlended(acquisition),
    cacPaid: computeCacPaid(acquisition),
    cacByChannel: computeCacByChannel(acquisition),
    channelRoi: computeChannelRoi(acquisition),
    trafficRoi: computeTrafficRoi(acquisition),
    attribution: computeAttribution(acquisition),
    viralCoefficient: computeViralCoefficient({ ...input, linker }),
    pqls: computePqls(pql),
    pqlConversionRate: computePqlConversionRate(pql),
    salesCycleDays: computeSalesCycleDays({ ...input, linker, asOf: period.end }),
  };
}

export type SuccessKpiInput = {
  period: KpiPeriod;
  settings: KpiSettings;
  customers: readonly LinkableCustomer[];
  /** Customers paying at D, with their seats and billing facts (health, engagement). */
  payingCustomers: readonly (HealthCustomer & { seats: number })[];
  /** expansion_S and startMrr_S of P, from the movements engine. */
  expansionMrrS: number;
  startMrrS: number;
  /** NPS responses (both audiences) from D−179 up to D: P for nps/enps, 180 days for health. */
  npsResponses: readonly NpsResponseRecord[];
  csatResponses: readonly CsatResponseRecord[];
  /** Ticket events up to D (open tickets need old openings). */
  tickets: readonly TicketRecord[];
  /** Product activity of D−29…D at least. */
  activity: readonly ProductActivityRecord[];
};

export const SUCCESS_KPI_KEYS = [
  "nps",
  "enps",
  "csat",
  "supportTickets",
  "openTickets",
  "firstResponseTimeMedian",
  "firstResponseTimeP90",
  "firstResponseTimeMean",
  "resolutionTimeMedian",
  "resolutionTimeP90",
  "resolutionTimeMean",
  "firstContactResolutionRate",
  "crc",
  "dau",
  "wau",
  "mau",
  "stickiness",
  "engagementScore",
  "healthScore",
  "healthDistribution",
  "atRiskMrr",
  "expansionRate",
] as const;
export type SuccessKpiKey = (typeof SUCCESS_KPI_KEYS)[number];

/** Computes every customer-success key of §4.3 plus `enps`. Stocks (open tickets, users, health) are as of `period.end`. */
export function computeSuccessKpis(input: SuccessKpiInput): Record<SuccessKpiKey, AnyKpi> {
  const { period, settings } = input;
  const asOf = period.end;
  const linker = createCustomerLinker(input.customers);
  const frt = computeFirstResponseTime({ tickets: input.tickets, period });
  const resolution = computeResolutionTime({ tickets: input.tickets, period });
  const users = computeActiveUsers({ activity: input.activity, asOf });
  const engagementInput = { activity: input.activity, customers: input.payingCustomers, asOf, settings };
  const health = computeHealthScores({
    asOf,
    customers: input.payingCustomers,
    engagement: toEngagementRows(engagementInput),
    npsResponses: input.npsResponses,
    tickets: input.tickets,
    linker,
    settings,
  });
  const stat = (result: typeof frt, key: "median" | "p90" | "mean") => ({
    value: result.value[key],
    breakdown: result.breakdown,
  });
  return {
    nps: computeNps({ responses: input.npsResponses, period }),
    enps: computeEnps({ responses: input.npsResponses, period }),
    csat: computeCsat({ responses: input.csatResponses, period, settings }),
    supportTickets: computeSupportTickets({ tickets: input.tickets, period }),
    openTickets: computeOpenTickets({ tickets: input.tickets, asOf }),
    firstResponseTimeMedian: stat(frt, "median"),
    firstResponseTimeP90: stat(frt, "p90"),
    firstResponseTimeMean: stat(frt, "mean"),
    resolutionTimeMedian: stat(resolution, "median"),
    resolutionTimeP90: stat(resolution, "p90"),
    resolutionTimeMean: stat(resolution, "mean"),
    firstContactResolutionRate: computeFirstContactResolutionRate({ tickets: input.tickets, period }),
    crc: computeCrc({ period, payingCustomers: input.payingCustomers.length, settings }),
    dau: { value: users.value.dau, breakdown: {} },
    wau: { value: users.value.wau, breakdown: {} },
    mau: { value: users.value.mau, breakdown: {} },
    stickiness: computeStickiness({ activity: input.activity, asOf }),
    engagementScore: computeEngagementScores(engagementInput),
    healthScore: health,
    healthDistribution: computeHealthDistribution(health.breakdown.customers),
    atRiskMrr: computeAtRiskMrr(health.breakdown.customers),
    expansionRate: computeExpansionRate(input),
  };
}
