import { describe, expect, it } from "vitest";
import {
  defaultKpiSettings,
  defaultMetricPolicy,
  differsOnlyAtReadTime,
  kpiSettingsSchema,
  metricPolicySchema,
  toPoliciesObject,
} from "./policy";

describe("metricPolicySchema", () => {
  it("merges a partial policy over the defaults (pastDue churnAfterDays, N = 14; the rest default)", () => {
    const p = metricPolicySchema.parse({ pastDue: "churnAfterDays", pastDueChurnDays: 14 });
    expect(p).toEqual({ ...defaultMetricPolicy, pastDue: "churnAfterDays", pastDueChurnDays: 14 });
    expect(metricPolicySchema.parse({})).toEqual(defaultMetricPolicy);
  });

  it("keeps pastDueChurnDays within 1–90 and rejects unknown keys and values", () => {
    expect(metricPolicySchema.safeParse({ pastDueChurnDays: 0 }).success).toBe(false);
    expect(metricPolicySchema.safeParse({ pastDueChurnDays: 91 }).success).toBe(false);
    expect(metricPolicySchema.safeParse({ pastDueChurnDays: 90 }).success).toBe(true);
    expect(metricPolicySchema.safeParse({ discounts: "some" }).success).toBe(false);
    expect(metricPolicySchema.safeParse({ taxes: "included" }).success).toBe(false);
  });

  it("lists every policy key plus taxes excluded, oneTimeFees excluded, refunds cashOnly in `policies`", () => {
    const o = toPoliciesObject(defaultMetricPolicy);
    expect(Object.keys(o).sort()).toEqual(
      [
        "arr",
        "churnRateBasis",
        "churnRecognition",
        "discounts",
        "fxRate",
        "intervalFactors",
        "metered",
        "oneTimeFees",
        "pastDue",
        "pastDueChurnDays",
        "paused",
        "reactivationWindowDays",
        "refunds",
        "taxes",
        "trials",
        "unpaid",
      ].sort(),
    );
    expect(o).toMatchObject({
      taxes: "excluded",
      oneTimeFees: "excluded",
      refunds: "cashOnly",
      pastDueChurnDays: 30,
      reactivationWindowDays: null,
    });
  });
});

describe("kpiSettingsSchema", () => {
  it("fills the §4.6 defaults (grossMargin 1.0, 6 LTV months, 12 ROI months, health weights 0.3/0.2/0.15/0.2/0.15)", () => {
    expect(kpiSettingsSchema.parse({})).toEqual(defaultKpiSettings);
  });

  it("keeps grossMargin within 0–1 with at most 4 decimals", () => {
    expect(kpiSettingsSchema.safeParse({ grossMargin: 0.8 }).success).toBe(true);
    expect(kpiSettingsSchema.safeParse({ grossMargin: 1.2 }).success).toBe(false);
    expect(kpiSettingsSchema.safeParse({ grossMargin: 0.12345 }).success).toBe(false);
  });

  it("requires health and engagement weights to sum to 1 (0.3 + 0.2 + 0.15 + 0.2 + 0.2 = 1.05 is rejected)", () => {
    const bad = { usage: 0.3, nps: 0.2, tickets: 0.15, payments: 0.2, mrrTrend: 0.2 };
    expect(kpiSettingsSchema.safeParse({ healthWeights: bad }).success).toBe(false);
    expect(kpiSettingsSchema.safeParse({ healthWeights: { ...bad, mrrTrend: 0.15 } }).success).toBe(true);
  });

  it("rejects a keyActions weight without key actions, and ltvChurnWindowMonths outside 1–24", () => {
    expect(
      kpiSettingsSchema.safeParse({ engagementWeights: { frequency: 0.5, breadth: 0.25, keyActions: 0.25 } }).success,
    ).toBe(false);
    expect(
      kpiSettingsSchema.safeParse({
        engagementWeights: { frequency: 0.5, breadth: 0.25, keyActions: 0.25 },
        keyActions: ["export"],
      }).success,
    ).toBe(true);
    expect(kpiSettingsSchema.safeParse({ ltvChurnWindowMonths: 25 }).success).toBe(false);
  });
});

describe("read-time policies", () => {
  it("differ only at read time when nothing but ARR's or the churn rate's basis changed", () => {
    const base = defaultMetricPolicy;
    expect(differsOnlyAtReadTime(base, { ...base })).toBe(true);
    expect(differsOnlyAtReadTime(base, { ...base, arr: "annualContractsOnly", churnRateBasis: "movements" })).toBe(
      true,
    );
    expect(differsOnlyAtReadTime(base, { ...base, arr: "annualContractsOnly", discounts: "ignored" })).toBe(false);
    expect(differsOnlyAtReadTime(base, { ...base, reactivationWindowDays: 90 })).toBe(false);
    expect(differsOnlyAtReadTime(base, { ...base, pastDueChurnDays: base.pastDueChurnDays + 1 })).toBe(false);
  });
});
