import { z } from "zod";

// The KPI settings form posts flat field names ("healthWeights.usage"), so every error, ours or the ranges checked
// by lib/metrics/policy.ts (whose paths join to the same names), lands beside its own input. This schema only turns
// strings into numbers and lists; ranges and sums are checked once, by kpiSettingsSchema in updateMetricConfig.

const number = z
  .string()
  .trim()
  .min(1, "Enter a number.")
  .transform(Number)
  .pipe(z.number({ error: "Enter a number." }).finite("Enter a number."));
const list = z
  .string()
  .max(2000)
  .transform((s) =>
    s
      .split(",")
      .map((x) => x.trim())
      .filter((x) => x !== ""),
  );
/** A monthly amount in major units ("4500.00"); empty means the category is not configured. */
const money = z
  .string()
  .trim()
  .max(30)
  .refine((s) => s === "" || /^\d+(\.\d+)?$/.test(s), "Enter an amount such as 4500.00, or leave it empty.");

export const RETENTION_COST_CATEGORIES = ["staff", "tools", "customerMarketing", "training", "loyalty"] as const;

export const updateKpiSettingsSchema = z
  .object({
    attribution: z.enum(["firstTouch", "lastTouch"], { error: "Choose first or last touch." }),
    overheadChannels: list,
    roiHorizonMonths: number,
    activationWindowDays: number,
    pqlMinActiveDays: number,
    pqlWindowDays: number,
    pqlRequiredActions: list,
    "csatPositiveMin.5": number,
    "csatPositiveMin.10": number,
    "engagementWeights.frequency": number,
    "engagementWeights.breadth": number,
    "engagementWeights.keyActions": number,
    engagementTargetActiveDays: number,
    keyActions: list,
    "healthWeights.usage": number,
    "healthWeights.nps": number,
    "healthWeights.tickets": number,
    "healthWeights.payments": number,
    "healthWeights.mrrTrend": number,
    "healthBands.green": number,
    "healthBands.red": number,
    "retentionCosts.staff": money,
    "retentionCosts.tools": money,
    "retentionCosts.customerMarketing": money,
    "retentionCosts.training": money,
    "retentionCosts.loyalty": money,
  })
  .transform((f) => ({
    settings: {
      attribution: f.attribution,
      overheadChannels: f.overheadChannels,
      roiHorizonMonths: f.roiHorizonMonths,
      activationWindowDays: f.activationWindowDays,
      pqlMinActiveDays: f.pqlMinActiveDays,
      pqlWindowDays: f.pqlWindowDays,
      pqlRequiredActions: f.pqlRequiredActions,
      csatPositiveMin: { 5: f["csatPositiveMin.5"], 10: f["csatPositiveMin.10"] },
      engagementWeights: {
        frequency: f["engagementWeights.frequency"],
        breadth: f["engagementWeights.breadth"],
        keyActions: f["engagementWeights.keyActions"],
      },
      engagementTargetActiveDays: f.engagementTargetActiveDays,
      keyActions: f.keyActions,
      healthWeights: {
        usage: f["healthWeights.usage"],
        nps: f["healthWeights.nps"],
        tickets: f["healthWeights.tickets"],
        payments: f["healthWeights.payments"],
        mrrTrend: f["healthWeights.mrrTrend"],
      },
      healthBands: { green: f["healthBands.green"], red: f["healthBands.red"] },
    },
    /** Major-unit strings; the action converts them with the workspace currency's exponent. */
    retentionCosts: Object.fromEntries(RETENTION_COST_CATEGORIES.map((c) => [c, f[`retentionCosts.${c}`]])) as Record<
      (typeof RETENTION_COST_CATEGORIES)[number],
      string
    >,
  }));
