/**
 * Customer-success KPIs of metrics.md §4.3 (surveys, retention cost, expansion rate) and `enps` (§4.4).
 * Tickets are in support.ts, engagement and active users in engagement.ts, health in health.ts.
 */
import {
  isInPeriod,
  type CsatResponseRecord,
  type KpiPeriod,
  type KpiOutput,
  type KpiSettings,
  type NpsResponseRecord,
  type RatioBreakdown,
  type RetentionCostCategory,
} from "./kpi-inputs";
import {
  addR,
  daysInMonthOf,
  divR,
  listDays,
  monthOf,
  roundR,
  sumR,
  toRational,
  toRatio,
  type Rational,
} from "./kpi-math";

export type NpsBreakdown = {
  responses: number;
  promoters: number;
  passives: number;
  detractors: number;
  promoterShare: number | null;
  passiveShare: number | null;
  detractorShare: number | null;
  /** Comments of the counted responses, latest first (qualitative feedback is listed, not scored). */
  comments: { respondentId: string; score: number; comment: string; day: string }[];
};

/** The latest record per key by `occurredAt` (ties: the later one in input order). */
function toLatestBy<T extends { occurredAt: number }>(records: readonly T[], keyOf: (r: T) => string): T[] {
  const latest = new Map<string, T>();
  for (const record of records) {
    const key = keyOf(record);
    const known = latest.get(key);
    if (!known || record.occurredAt >= known.occurredAt) latest.set(key, record);
  }
  return [...latest.values()];
}

/**
 * The exact NPS of a set of 0–10 scores, counting each respondent's latest answer only: 100 × (promoters −
 * detractors) ÷ responses. Promoters 9–10, passives 7–8, detractors 0–6. No responses → null.
 */
export function toNpsExact(responses: readonly Pick<NpsResponseRecord, "respondentId" | "score" | "occurredAt">[]): {
  nps: Rational | null;
  promoters: number;
  passives: number;
  detractors: number;
  responses: number;
} {
  const latest = toLatestBy(responses, (r) => r.respondentId);
  const promoters = latest.filter((r) => r.score >= 9).length;
  const detractors = latest.filter((r) => r.score <= 6).length;
  return {
    nps: divR(100 * (promoters - detractors), latest.length),
    promoters,
    passives: latest.length - promoters - detractors,
    detractors,
    responses: latest.length,
  };
}

function computeNpsFor(
  records: readonly NpsResponseRecord[],
  period: KpiPeriod,
  audience: NpsResponseRecord["audience"],
): KpiOutput<number | null, NpsBreakdown> {
  const inScope = records.filter((r) => r.audience === audience && isInPeriod(r.day, period));
  const exact = toNpsExact(inScope);
  const counted = toLatestBy(inScope, (r) => r.respondentId);
  const comments = counted
    .filter((r) => r.comment)
    .sort((a, b) => b.occurredAt - a.occurredAt)
    .map((r) => ({ respondentId: r.respondentId, score: r.score, comment: r.comment ?? "", day: r.day }));
  return {
    value: exact.nps === null ? null : roundR(exact.nps, 4),
    breakdown: {
      responses: exact.responses,
      promoters: exact.promoters,
      passives: exact.passives,
      detractors: exact.detractors,
      promoterShare: toRatio(exact.promoters, exact.responses),
      passiveShare: toRatio(exact.passives, exact.responses),
      detractorShare: toRatio(exact.detractors, exact.responses),
      comments,
    },
  };
}

/**
 * `nps` = 100 × (promoters − detractors) ÷ responses, −100 … 100 to 4 decimals, over the latest customer-audience
 * response of each respondent in P (§4.7). Employee responses never count here. No responses → null.
 */
export function computeNps(input: { responses: readonly NpsResponseRecord[]; period: KpiPeriod }) {
  return computeNpsFor(input.responses, input.period, "customer");
}

/** `enps`: the nps formula over `audience: "employee"` responses only (§4.4). No responses → null. */
export function computeEnps(input: { responses: readonly NpsResponseRecord[]; period: KpiPeriod }) {
  return computeNpsFor(input.responses, input.period, "employee");
}

/**
 * `csat` = positive ÷ responses in P, where positive is a score ≥ `csatPositiveMin[scale]` (default 4 of 5, 8 of 10).
 * Each respondent's latest response counts once; responses without `respondentId` each count. Also per `touchpoint`
 * (responses without one count only in the total). No responses → null.
 */
export function computeCsat(input: {
  responses: readonly CsatResponseRecord[];
  period: KpiPeriod;
  settings: Pick<KpiSettings, "csatPositiveMin">;
}): KpiOutput<
  number | null,
  RatioBreakdown & { byTouchpoint: Record<string, number | null>; positiveMin: { 5: number; 10: number } }
> {
  const inPeriod = input.responses.filter((r) => isInPeriod(r.day, input.period));
  const counted = toLatestBy(inPeriod, (r) => (r.respondentId === undefined ? `\u0000${r.id}` : `r:${r.respondentId}`));
  const isPositive = (r: CsatResponseRecord) => r.score >= input.settings.csatPositiveMin[r.scale];
  const touchpoints = new Map<string, { positive: number; total: number }>();
  for (const r of counted) {
    if (!r.touchpoint) continue;
    const key = r.touchpoint.trim();
    const tally = touchpoints.get(key) ?? { positive: 0, total: 0 };
    tally.total += 1;
    if (isPositive(r)) tally.positive += 1;
    touchpoints.set(key, tally);
  }
  const numerator = counted.filter(isPositive).length;
  const byTouchpoint = Object.fromEntries([...touchpoints].map(([key, t]) => [key, toRatio(t.positive, t.total)]));
  return {
    value: toRatio(numerator, counted.length),
    breakdown: { numerator, denominator: counted.length, byTouchpoint, positiveMin: input.settings.csatPositiveMin },
  };
}

/** The monthly amount of one cost category in force in `month` ("YYYY-MM"): the latest change at or before it. */
function toMonthlyCost(changes: readonly { fromMonth: string; amount: number }[], month: string): number {
  let amount = 0;
  let from = "";
  for (const change of changes) {
    if (change.fromMonth <= month && change.fromMonth >= from) [amount, from] = [change.amount, change.fromMonth];
  }
  return amount;
}

/**
 * `crc` = retention costs for P ÷ payingCustomers at the end of P, in minor units. Costs are the `retentionCosts`
 * settings (staff, tools, customerMarketing, training, loyalty): a monthly amount per category from its month until
 * changed. Each day of P carries 1/daysInMonth of its month's amount, so a calendar month gets exactly the monthly
 * amount and other or partial periods are pro-rated by days. No costs configured, or 0 paying customers → null.
 */
export function computeCrc(input: {
  period: KpiPeriod;
  payingCustomers: number;
  settings: Pick<KpiSettings, "retentionCosts">;
}): KpiOutput<
  number | null,
  { costs: number | null; byCategory: Partial<Record<RetentionCostCategory, number>>; payingCustomers: number }
> {
  const categories = Object.entries(input.settings.retentionCosts).filter(
    ([, changes]) => changes && changes.length > 0,
  );
  if (categories.length === 0) {
    return { value: null, breakdown: { costs: null, byCategory: {}, payingCustomers: input.payingCustomers } };
  }
  const days = listDays(input.period.start, input.period.end);
  const byCategoryExact = new Map<string, Rational>();
  for (const [category, changes] of categories) {
    let total = toRational(0n);
    for (const day of days)
      total = addR(total, toRational(toMonthlyCost(changes ?? [], monthOf(day)), daysInMonthOf(day)));
    byCategoryExact.set(category, total);
  }
  const costs = sumR(byCategoryExact.values());
  const perCustomer = divR(costs, input.payingCustomers);
  return {
    value: perCustomer === null ? null : roundR(perCustomer),
    breakdown: {
      costs: roundR(costs),
      byCategory: Object.fromEntries([...byCategoryExact].map(([k, v]) => [k, roundR(v)])),
      payingCustomers: input.payingCustomers,
    },
  };
}

/**
 * `expansionRate` = expansion_S ÷ startMrr_S: expansion MRR of customers paying at the start of P, per unit of their
 * start MRR. Both come from the movements engine. startMrr_S = 0 → null.
 */
export function computeExpansionRate(input: {
  expansionMrrS: number;
  startMrrS: number;
}): KpiOutput<number | null, RatioBreakdown> {
  return {
    value: toRatio(input.expansionMrrS, input.startMrrS),
    breakdown: { numerator: input.expansionMrrS, denominator: input.startMrrS },
  };
}
