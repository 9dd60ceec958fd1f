/**
 * Lifecycle-stage KPIs of metrics.md §4.2 and the stage rule of §4.5: a contact reaches stage s at the earliest
 * `occurredAt` among its events at s or any later stage, so skipping a stage still counts as reaching it, and moving
 * back is ignored.
 */
import type { CustomerLinker } from "./customer-linking";
import {
  isInPeriod,
  type KpiPeriod,
  type KpiOutput,
  type LifecycleStage,
  type LifecycleStageRecord,
  type NewCustomer,
  type RatioBreakdown,
} from "./kpi-inputs";
import { diffDays, medianR, roundR, toRatio, toRational } from "./kpi-math";
import type { Day } from "./types";

export const LIFECYCLE_STAGE_ORDER: readonly LifecycleStage[] = [
  "visitor",
  "subscriber",
  "lead",
  "qualified_lead",
  "opportunity",
  "customer",
  "evangelist",
];
const STAGE_INDEX = new Map(LIFECYCLE_STAGE_ORDER.map((stage, i) => [stage, i]));

type Reach = { at: number; day: Day };
/** contactId → reach of each stage (index = stage order), or undefined when never reached. */
export type StageReaches = Map<string, (Reach | undefined)[]>;

/** Computes every contact's reach of every stage from its `lifecycle_stage` records on or before `asOf`. */
export function toStageReaches(records: readonly LifecycleStageRecord[], asOf: Day): StageReaches {
  const earliestAt = new Map<string, (Reach | undefined)[]>();
  for (const record of records) {
    if (record.day > asOf) continue;
    const i = STAGE_INDEX.get(record.stage);
    if (i === undefined) continue;
    let row = earliestAt.get(record.contactId);
    if (!row) earliestAt.set(record.contactId, (row = new Array(LIFECYCLE_STAGE_ORDER.length).fill(undefined)));
    const current = row[i];
    if (!current || record.occurredAt < current.at) row[i] = { at: record.occurredAt, day: record.day };
  }
  // Reaching a later stage implies reaching every earlier one: a suffix minimum over the stage order.
  for (const row of earliestAt.values()) {
    for (let i = row.length - 2; i >= 0; i--) {
      const later = row[i + 1];
      const own = row[i];
      if (later && (!own || later.at < own.at)) row[i] = later;
    }
  }
  return earliestAt;
}

/**
 * `lifecycleFunnel`: for each stage s, #contacts whose first reach of s falls in P. Pass all lifecycle records up to
 * D (earlier ones matter: a contact that reached a stage before P is not counted again). Empty → every stage 0.
 */
export function computeLifecycleFunnel(input: {
  stages: readonly LifecycleStageRecord[];
  period: KpiPeriod;
}): KpiOutput<Record<LifecycleStage, number>, Record<string, never>> {
  return { value: countReaches(toStageReaches(input.stages, input.period.end), input.period), breakdown: {} };
}

function countReaches(reaches: StageReaches, period: KpiPeriod): Record<LifecycleStage, number> {
  const funnel = Object.fromEntries(LIFECYCLE_STAGE_ORDER.map((stage) => [stage, 0])) as Record<LifecycleStage, number>;
  for (const row of reaches.values()) {
    LIFECYCLE_STAGE_ORDER.forEach((stage, i) => {
      const reach = row[i];
      if (reach && isInPeriod(reach.day, period)) funnel[stage] += 1;
    });
  }
  return funnel;
}

/**
 * `stageConversion`, keyed "<from>__<to>" for each consecutive pair: #(contacts that reached `from` in P and reached
 * `to` by D) ÷ funnel[from]. D is `period.end`. funnel[from] = 0 → null for that pair.
 */
export function computeStageConversion(input: {
  stages: readonly LifecycleStageRecord[];
  period: KpiPeriod;
}): KpiOutput<Record<string, number | null>, Record<string, RatioBreakdown>> {
  const reaches = toStageReaches(input.stages, input.period.end);
  const value: Record<string, number | null> = {};
  const breakdown: Record<string, RatioBreakdown> = {};
  for (let i = 0; i + 1 < LIFECYCLE_STAGE_ORDER.length; i++) {
    const key = `${LIFECYCLE_STAGE_ORDER[i]}__${LIFECYCLE_STAGE_ORDER[i + 1]}`;
    const pair = convertBetween(reaches, i, i + 1, input.period);
    value[key] = toRatio(pair.numerator, pair.denominator);
    breakdown[key] = pair;
  }
  return { value, breakdown };
}

function convertBetween(reaches: StageReaches, from: number, to: number, period: KpiPeriod): RatioBreakdown {
  let numerator = 0;
  let denominator = 0;
  for (const row of reaches.values()) {
    const start = row[from];
    if (!start || !isInPeriod(start.day, period)) continue;
    denominator += 1;
    const end = row[to];
    if (end && end.day <= period.end) numerator += 1;
  }
  return { numerator, denominator };
}

/**
 * `leadConversionRate`: the qualified_lead → customer conversion: #(contacts that first reached qualified_lead in P
 * and reached customer by D) ÷ #(contacts that first reached qualified_lead in P). None qualified → null.
 */
export function computeLeadConversionRate(input: {
  stages: readonly LifecycleStageRecord[];
  period: KpiPeriod;
}): KpiOutput<number | null, RatioBreakdown> {
  const reaches = toStageReaches(input.stages, input.period.end);
  const pair = convertBetween(
    reaches,
    STAGE_INDEX.get("qualified_lead") ?? 3,
    STAGE_INDEX.get("customer") ?? 5,
    input.period,
  );
  return { value: toRatio(pair.numerator, pair.denominator), breakdown: pair };
}

/** `qualifiedLeads` = QL(P): contacts whose first reach of qualified_lead falls in P. Empty → 0. */
export function computeQualifiedLeads(input: {
  stages: readonly LifecycleStageRecord[];
  period: KpiPeriod;
}): KpiOutput<number, Record<string, never>> {
  return { value: computeLifecycleFunnel(input).value.qualified_lead, breakdown: {} };
}

/**
 * `leadVelocityRate` = (QL(P) − QL(P−1)) ÷ QL(P−1). `previousPeriod` follows §1.2: the whole previous month for a
 * complete month, or its first `daysElapsed` days for a partial one. QL(P−1) = 0 → null. Reaches are computed as of
 * `period.end` for both periods.
 */
export function computeLeadVelocityRate(input: {
  stages: readonly LifecycleStageRecord[];
  period: KpiPeriod;
  previousPeriod: KpiPeriod;
}): KpiOutput<number | null, { current: number; previous: number; previousPeriod: KpiPeriod }> {
  const reaches = toStageReaches(input.stages, input.period.end);
  const current = countReaches(reaches, input.period).qualified_lead;
  const previous = countReaches(reaches, input.previousPeriod).qualified_lead;
  return {
    value: toRatio(current - previous, previous),
    breakdown: { current, previous, previousPeriod: input.previousPeriod },
  };
}

/**
 * `salesCycleDays`: the median, over customers in N with a linked contact, of the days from the contact's first
 * reach of `lead` to the customer's first paid day (4 decimals; the median of two middle values can be a half).
 * A contact is linked through any of its lifecycle records (customerId, then email, §1.4); with several contacts,
 * the earliest lead reach counts. A lead reach after the first paid day is left out. None → null.
 */
export function computeSalesCycleDays(input: {
  newCustomers: readonly NewCustomer[];
  stages: readonly LifecycleStageRecord[];
  linker: CustomerLinker;
  asOf: Day;
}): KpiOutput<number | null, { samples: { customerId: string; contactId: string; days: number }[] }> {
  const contactCustomer = new Map<string, string>();
  for (const record of input.stages) {
    if (contactCustomer.has(record.contactId)) continue;
    const customerId = input.linker.link(record);
    if (customerId !== null) contactCustomer.set(record.contactId, customerId);
  }
  const reaches = toStageReaches(input.stages, input.asOf);
  const leadIndex = STAGE_INDEX.get("lead") ?? 2;
  const earliestLead = new Map<string, { contactId: string; reach: Reach }>();
  for (const [contactId, customerId] of contactCustomer) {
    const reach = reaches.get(contactId)?.[leadIndex];
    const known = earliestLead.get(customerId);
    if (reach && (!known || reach.at < known.reach.at)) earliestLead.set(customerId, { contactId, reach });
  }
  const samples: { customerId: string; contactId: string; days: number }[] = [];
  for (const customer of input.newCustomers) {
    const lead = earliestLead.get(customer.customerId);
    if (!lead) continue;
    const days = diffDays(lead.reach.day, customer.firstPaidDay);
    if (days >= 0) samples.push({ customerId: customer.customerId, contactId: lead.contactId, days });
  }
  const median = medianR(samples.map((sample) => toRational(sample.days)));
  return { value: median === null ? null : roundR(median, 4), breakdown: { samples } };
}
