/**
 * Inputs of the marketing and customer-success KPIs. Records mirror the ingest events (lib/ingest/schemas.ts) with
 * one addition, `day`: the local day of `occurredAt` in the workspace time zone, which the loader computes, because
 * lib/metrics never sees a time zone. Ingest events plus `day` are assignable to these types as they are.
 */
import type { Day, Instant } from "./types";

/** The period P, cut at D when partial: `end` is D then (metrics.md §1.2). */
export type KpiPeriod = { start: Day; end: Day };

/**
 * One number and the rows behind it. Assignable to the shared `KpiResult` (lib/metrics/kpi.ts), but keeps the
 * value's exact type, so a count is `number` and only ratios are `number | null`.
 */
export type KpiOutput<V, B> = { value: V; breakdown: B };

export type { RatioBreakdown } from "./kpi";

type RecordBase = { id: string; occurredAt: Instant; day: Day };

export type VisitRecord = RecordBase & { visitorId: string; source?: string };
export type SignupRecord = RecordBase & {
  userId: string;
  email?: string;
  customerId?: string;
  source?: string;
  referredBy?: string;
};
export type LeadRecord = RecordBase & { contactId: string; source: string; email?: string; customerId?: string };
export type LifecycleStage =
  "visitor" | "subscriber" | "lead" | "qualified_lead" | "opportunity" | "customer" | "evangelist";
export type LifecycleStageRecord = RecordBase & {
  contactId: string;
  stage: LifecycleStage;
  email?: string;
  customerId?: string;
};
export type SpendRecord = RecordBase & { channel: string; amount: number; currency: string };
export type NpsResponseRecord = RecordBase & {
  respondentId: string;
  score: number;
  audience: "customer" | "employee";
  customerId?: string;
  email?: string;
  comment?: string;
};
export type CsatResponseRecord = RecordBase & {
  respondentId?: string;
  score: number;
  scale: 5 | 10;
  customerId?: string;
  touchpoint?: string;
  comment?: string;
};
export type TicketRecord = RecordBase & {
  type: "ticket_opened" | "ticket_first_response" | "ticket_resolved";
  ticketId: string;
  customerId?: string;
  /** Present on `ticket_resolved`. */
  firstContactResolution?: boolean;
};
export type ProductActivityRecord = RecordBase & { userId: string; customerId: string; action?: string };

/** A Stripe customer as the linker needs it (metrics.md §1.4). */
export type LinkableCustomer = { customerId: string; email: string | null };

/** A customer with a `new` movement in P (the set N of metrics.md §4). */
export type NewCustomer = {
  customerId: string;
  /** The day of its `new` movement in P: the first paid day. */
  firstPaidDay: Day;
  /** The amount of that `new` movement, minor units of the reporting currency. */
  newMrr: number;
};

/**
 * Customer MRR history as change points: each entry's `mrr` (integer, reporting currency) holds from its `day`
 * until the next entry's day. Entries are sorted by day; before the first entry MRR is 0.
 */
export type MrrSeries = Readonly<Record<string, ReadonlyArray<{ day: Day; mrr: number }>>>;

/**
 * Converts a spend amount to the reporting currency at the rate for `day` (metrics.md §1.1), rounded; null when no
 * rate exists. Called only for currencies other than the reporting one.
 */
export type SpendConverter = (amount: number, currency: string, day: Day) => number | null;

export type RetentionCostCategory = "staff" | "tools" | "customerMarketing" | "training" | "loyalty";
/** A monthly amount (reporting currency, minor units) that applies from `fromMonth` ("YYYY-MM") until the next change. */
export type RetentionCostChange = { fromMonth: string; amount: number };

export type HealthComponent = "usage" | "nps" | "tickets" | "payments" | "mrrTrend";

/** The KPI settings of metrics.md §4.6 that these KPIs read. Ratios and weights are decimals with ≤ 4 places. */
export type KpiSettings = {
  grossMargin: number;
  attribution: "firstTouch" | "lastTouch";
  overheadChannels: string[];
  roiHorizonMonths: number;
  activationWindowDays: number;
  pqlMinActiveDays: number;
  pqlWindowDays: number;
  pqlRequiredActions: string[];
  csatPositiveMin: { 5: number; 10: number };
  engagementWeights: { frequency: number; breadth: number; keyActions: number };
  engagementTargetActiveDays: number;
  keyActions: string[];
  healthWeights: Record<HealthComponent, number>;
  healthBands: { green: number; red: number };
  retentionCosts: Partial<Record<RetentionCostCategory, RetentionCostChange[]>>;
};

export const DEFAULT_KPI_SETTINGS: KpiSettings = {
  grossMargin: 1,
  attribution: "firstTouch",
  overheadChannels: [],
  roiHorizonMonths: 12,
  activationWindowDays: 7,
  pqlMinActiveDays: 3,
  pqlWindowDays: 14,
  pqlRequiredActions: [],
  csatPositiveMin: { 5: 4, 10: 8 },
  engagementWeights: { frequency: 0.5, breadth: 0.5, keyActions: 0 },
  engagementTargetActiveDays: 20,
  keyActions: [],
  healthWeights: { usage: 0.3, nps: 0.2, tickets: 0.15, payments: 0.2, mrrTrend: 0.15 },
  healthBands: { green: 70, red: 40 },
  retentionCosts: {},
};

/** Fills a workspace's stored settings with the defaults. */
export function toKpiSettings(partial: Partial<KpiSettings> = {}): KpiSettings {
  return { ...DEFAULT_KPI_SETTINGS, ...partial };
}

/** Whether a local day lies in P (both ends inclusive; `YYYY-MM-DD` strings compare in calendar order). */
export const isInPeriod = (day: Day, period: KpiPeriod): boolean => day >= period.start && day <= period.end;
