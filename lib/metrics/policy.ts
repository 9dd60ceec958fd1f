/**
 * Per-workspace choices behind the numbers: the MRR policies of metrics.md §2.2 and the KPI settings of §4.6.
 * Both are stored as partial objects and merged over the defaults by the zod schemas below.
 */
import { z } from "zod";

/** The MRR policies of §2.2 (plus `reactivationWindowDays` and `churnRateBasis` from §3 and §4). */
export type MetricPolicy = {
  intervalFactors: "calendar" | "simple";
  metered: "excluded" | "trailing3MonthAverage";
  discounts: "applied" | "foreverOnly" | "ignored";
  trials: "excluded";
  pastDue: "included" | "churnAfterDays";
  /** 1–90; used only when `pastDue` is `churnAfterDays`, but always listed in `policies`. */
  pastDueChurnDays: number;
  unpaid: "churn" | "included";
  paused: "excluded" | "included";
  churnRecognition: "atEnd" | "atRequest";
  fxRate: "lastChange" | "daily";
  arr: "mrrTimes12" | "annualContractsOnly";
  /** Days of zero MRR after which a return counts as `new`; null = unlimited (always a reactivation). */
  reactivationWindowDays: number | null;
  churnRateBasis: "startCohort" | "movements";
};

/** The defaults of §2.2. */
export const defaultMetricPolicy: MetricPolicy = {
  intervalFactors: "calendar",
  metered: "excluded",
  discounts: "applied",
  trials: "excluded",
  pastDue: "included",
  pastDueChurnDays: 30,
  unpaid: "churn",
  paused: "excluded",
  churnRecognition: "atEnd",
  fxRate: "lastChange",
  arr: "mrrTimes12",
  reactivationWindowDays: null,
  churnRateBasis: "startCohort",
};

/**
 * The policies no stored row depends on: the answers apply them when they read (ARR's basis, the logo churn
 * rate's basis). Changing only these recomputes nothing; every other policy shapes the MRR ledger.
 */
export const READ_TIME_POLICIES = ["arr", "churnRateBasis"] as const satisfies readonly (keyof MetricPolicy)[];

/** Whether `a` and `b` differ only in read-time policies (or not at all). */
export function differsOnlyAtReadTime(a: MetricPolicy, b: MetricPolicy): boolean {
  return (Object.keys(a) as (keyof MetricPolicy)[]).every(
    (k) => (READ_TIME_POLICIES as readonly string[]).includes(k) || a[k] === b[k],
  );
}

/** Partial policy input (the stored settings row or a form), merged over {@link defaultMetricPolicy}. */
export const metricPolicySchema = z
  .object({
    intervalFactors: z.enum(["calendar", "simple"]),
    metered: z.enum(["excluded", "trailing3MonthAverage"]),
    discounts: z.enum(["applied", "foreverOnly", "ignored"]),
    trials: z.literal("excluded"),
    pastDue: z.enum(["included", "churnAfterDays"]),
    pastDueChurnDays: z.number().int().min(1).max(90),
    unpaid: z.enum(["churn", "included"]),
    paused: z.enum(["excluded", "included"]),
    churnRecognition: z.enum(["atEnd", "atRequest"]),
    fxRate: z.enum(["lastChange", "daily"]),
    arr: z.enum(["mrrTimes12", "annualContractsOnly"]),
    reactivationWindowDays: z.number().int().min(0).max(3650).nullable(),
    churnRateBasis: z.enum(["startCohort", "movements"]),
  })
  .partial()
  .strict()
  .transform((input): MetricPolicy => ({ ...defaultMetricPolicy, ...input }));

/** The rules that are not choices but are listed in every `policies` object (§2.2). */
export const fixedRules = { taxes: "excluded", oneTimeFees: "excluded", refunds: "cashOnly" } as const;

export type PoliciesObject = MetricPolicy & typeof fixedRules;

/** The `policies` JSON object of every metrics answer: every policy key with its value, plus the fixed rules. */
export function toPoliciesObject(policy: MetricPolicy): PoliciesObject {
  return { ...defaultMetricPolicy, ...policy, ...fixedRules };
}

export type HealthWeights = { usage: number; nps: number; tickets: number; payments: number; mrrTrend: number };
export type EngagementWeights = { frequency: number; breadth: number; keyActions: number };
export type RetentionCosts = Partial<Record<"staff" | "tools" | "customerMarketing" | "training" | "loyalty", number>>;

/** KPI settings of §4.6. Decimals (margins, weights) carry at most 4 places and are read exactly. */
export type KpiSettings = {
  grossMargin: number;
  ltvChurnWindowMonths: number;
  attribution: "firstTouch" | "lastTouch";
  overheadChannels: string[];
  roiHorizonMonths: number;
  activationWindowDays: number;
  pqlMinActiveDays: number;
  pqlWindowDays: number;
  pqlRequiredActions: string[];
  csatPositiveMin: { 5: number; 10: number };
  engagementWeights: EngagementWeights;
  engagementTargetActiveDays: number;
  keyActions: string[];
  healthWeights: HealthWeights;
  healthBands: { green: number; red: number };
  /** Monthly amounts in minor units of the reporting currency. */
  retentionCosts: RetentionCosts;
};

/** The defaults of §4.6. */
export const defaultKpiSettings: KpiSettings = {
  grossMargin: 1,
  ltvChurnWindowMonths: 6,
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

/** A decimal with at most 4 places, so it converts to an exact rational (§1.1). */
const decimal4 = z
  .number()
  .finite()
  .refine((x) => Math.abs(x * 10_000 - Math.round(x * 10_000)) < 1e-6, "At most 4 decimal places");

/** Weights are compared in ten-thousandths, so 0.3 + 0.2 + 0.15 + 0.2 + 0.15 sums to exactly 1. */
const sumsToOne = (weights: Record<string, number>) =>
  Object.values(weights).reduce((acc, w) => acc + Math.round(w * 10_000), 0) === 10_000;

const weight = decimal4.min(0).max(1);
const channel = z.string().trim().toLowerCase().min(1);
const minor = z.number().int().min(0);

/** Partial KPI settings input, merged over {@link defaultKpiSettings}, with the ranges of §4.6. */
export const kpiSettingsSchema = z
  .object({
    grossMargin: decimal4.min(0).max(1),
    ltvChurnWindowMonths: z.number().int().min(1).max(24),
    attribution: z.enum(["firstTouch", "lastTouch"]),
    overheadChannels: z.array(channel),
    roiHorizonMonths: z.number().int().min(1).max(60),
    activationWindowDays: z.number().int().min(1).max(90),
    pqlMinActiveDays: z.number().int().min(1).max(90),
    pqlWindowDays: z.number().int().min(1).max(90),
    pqlRequiredActions: z.array(z.string().min(1)),
    csatPositiveMin: z.object({ 5: z.number().int().min(1).max(5), 10: z.number().int().min(1).max(10) }),
    engagementWeights: z
      .object({ frequency: weight, breadth: weight, keyActions: weight })
      .refine(sumsToOne, "Weights must sum to 1"),
    engagementTargetActiveDays: z.number().int().min(1).max(30),
    keyActions: z.array(z.string().min(1)),
    healthWeights: z
      .object({ usage: weight, nps: weight, tickets: weight, payments: weight, mrrTrend: weight })
      .refine(sumsToOne, "Weights must sum to 1"),
    healthBands: z
      .object({ green: z.number().int().min(1).max(100), red: z.number().int().min(0).max(100) })
      .refine((b) => b.red < b.green, "red must be below green"),
    retentionCosts: z
      .object({ staff: minor, tools: minor, customerMarketing: minor, training: minor, loyalty: minor })
      .partial()
      .strict(),
  })
  .partial()
  .strict()
  .transform((input): KpiSettings => ({ ...defaultKpiSettings, ...input }))
  .refine((s) => s.engagementWeights.keyActions === 0 || s.keyActions.length > 0, {
    message: "A keyActions weight needs at least one key action",
    path: ["engagementWeights", "keyActions"],
  });
