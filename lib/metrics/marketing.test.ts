import { describe, expect, it } from "vitest";
import { createCustomerLinker, createMrrLookup } from "./customer-linking";
import {
  computeLeadConversionRate,
  computeLeadVelocityRate,
  computeLifecycleFunnel,
  computeQualifiedLeads,
  computeSalesCycleDays,
  computeStageConversion,
} from "./funnel";
import type {
  LifecycleStage,
  LifecycleStageRecord,
  ProductActivityRecord,
  SignupRecord,
  VisitRecord,
} from "./kpi-inputs";
import { DEFAULT_KPI_SETTINGS } from "./kpi-inputs";
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

const at = (day: string, time = "12:00:00") => Date.parse(`${day}T${time}Z`);
let seq = 0;
const base = (day: string, time?: string) => ({ id: `e${++seq}`, day, occurredAt: at(day, time) });
const visit = (visitorId: string, day: string): VisitRecord => ({ ...base(day), visitorId });
const signup = (userId: string, day: string, extra: Partial<SignupRecord> = {}): SignupRecord => ({
  ...base(day, "09:00:00"),
  userId,
  ...extra,
});
const stage = (contactId: string, s: LifecycleStage, day: string, extra: Partial<LifecycleStageRecord> = {}) => ({
  ...base(day),
  contactId,
  stage: s,
  ...extra,
});
const activity = (userId: string, customerId: string, day: string, time = "12:00:00"): ProductActivityRecord => ({
  ...base(day, time),
  userId,
  customerId,
});
const june = { start: "2026-06-01", end: "2026-06-30" };
const april = { start: "2026-04-01", end: "2026-04-30" };
const noCustomers = createCustomerLinker([]);
const noMrr = createMrrLookup({});

describe("traffic, signups and leads", () => {
  it("counts MUV as distinct visitors of the month containing D, up to D (3 of 4 visits, 1 in May excluded)", () => {
    const visits = [
      visit("a", "2026-06-01"),
      visit("a", "2026-06-05"),
      visit("b", "2026-06-20"),
      visit("c", "2026-05-31"),
    ];
    expect(computeMuv({ visits, asOf: "2026-06-20" }).value).toBe(2);
    expect(computeMuv({ visits, asOf: "2026-06-04" }).value).toBe(1);
  });

  it("counts leads by normalized source (Google Ads + google-ads = 2, organic 1)", () => {
    const leads = [
      { ...base("2026-06-02"), contactId: "c1", source: "Google Ads" },
      { ...base("2026-06-03"), contactId: "c2", source: "google-ads" },
      { ...base("2026-06-04"), contactId: "c3", source: "organic" },
      { ...base("2026-05-04"), contactId: "c4", source: "organic" },
    ];
    expect(computeLeads({ leads, period: june })).toEqual({
      value: 3,
      breakdown: { bySource: { google_ads: 2, organic: 1 } },
    });
  });

  it("Z2: an empty period gives signups 0, leads 0, spend 0, visitors 0 and null rates", () => {
    expect(computeSignups({ signups: [], period: june }).value).toBe(0);
    expect(computeLeads({ leads: [], period: june }).value).toBe(0);
    expect(computeUniqueVisitors({ visits: [], period: june }).value).toBe(0);
    expect(computeMarketingSpend({ spend: [], period: june, reportingCurrency: "usd" }).value).toBe(0);
    expect(computeVisitorToSignupRate({ visits: [], signups: [], period: june }).value).toBeNull();
    expect(computeSignupToPaidRate({ signups: [], period: june, linker: noCustomers, mrr: noMrr }).value).toBeNull();
    expect(computeLifecycleFunnel({ stages: [], period: june }).value.lead).toBe(0);
    expect(computeLeadConversionRate({ stages: [], period: june }).value).toBeNull();
  });

  it("sums spend by normalized channel, converting other currencies per row, and flags a missing rate", () => {
    const spend = [
      { ...base("2026-06-01"), channel: "Google Ads", amount: 30000, currency: "usd" },
      { ...base("2026-06-02"), channel: "linkedin", amount: 10000, currency: "eur" },
      { ...base("2026-06-03"), channel: "linkedin", amount: 5000, currency: "gbp" },
    ];
    const convert = (amount: number, currency: string) => (currency === "eur" ? Math.round(amount * 1.1) : null);
    const result = computeMarketingSpend({ spend, period: june, reportingCurrency: "usd", convert });
    expect(result.value).toBe(41000);
    expect(result.breakdown).toEqual({
      byChannel: { google_ads: 30000, linkedin: 11000 },
      unconverted: { gbp: 5000 },
      incomplete: true,
      warnings: ["missing_fx_rate:gbp:2026-06-03"],
    });
  });
});

describe("K12 conversions", () => {
  // 2000 unique visitors, 50 signups, 5 of them paid, 30 active within 7 days, 100 QL with 15 reaching customer.
  const visits = Array.from({ length: 2000 }, (_, i) => visit(`v${i}`, "2026-06-10"));
  const signups = Array.from({ length: 50 }, (_, i) =>
    signup(`u${i}`, "2026-06-10", i < 5 ? { email: `owner${i}@co${i}.com` } : {}),
  );
  const customers = Array.from({ length: 5 }, (_, i) => ({ customerId: `cus_${i}`, email: `Owner${i}@co${i}.com` }));
  const linker = createCustomerLinker(customers);
  const mrr = createMrrLookup(
    Object.fromEntries(customers.map((c) => [c.customerId, [{ day: "2026-06-15", mrr: 2000 }]])),
  );
  const activities = Array.from({ length: 30 }, (_, i) => activity(`u${i}`, `cus_x${i}`, "2026-06-16", "08:59:59"));

  it("gives visitorToSignupRate 0.025 (50 ÷ 2000)", () => {
    expect(computeVisitorToSignupRate({ visits, signups, period: june })).toEqual({
      value: 0.025,
      breakdown: { numerator: 50, denominator: 2000 },
    });
  });

  it("gives signupToPaidRate 0.1 (5 ÷ 50, linked by case-insensitive email)", () => {
    expect(computeSignupToPaidRate({ signups, period: june, linker, mrr }).value).toBe(0.1);
  });

  it("gives activationRate 0.6 (30 ÷ 50 with activity inside [signup, signup + 7 × 24 h))", () => {
    const result = computeActivationRate({
      signups,
      activity: activities,
      period: june,
      linker,
      settings: DEFAULT_KPI_SETTINGS,
    });
    expect(result.value).toBe(0.6);
    // 09:00 on Jun 10 + 7 days = 09:00 on Jun 17; activity at 08:59:59 on Jun 16 is inside, at 09:00 Jun 17 outside.
    const late = [activity("u0", "cus_x", "2026-06-17", "09:00:00"), activity("u1", "cus_x", "2026-06-10", "08:00:00")];
    expect(
      computeActivationRate({ signups, activity: late, period: june, linker, settings: DEFAULT_KPI_SETTINGS }).value,
    ).toBe(0);
  });

  it("gives leadConversionRate 0.15 (15 of 100 qualified in P reached customer by D)", () => {
    const stages = Array.from({ length: 100 }, (_, i) => stage(`c${i}`, "qualified_lead", "2026-06-05"));
    for (let i = 0; i < 15; i++) stages.push(stage(`c${i}`, "customer", "2026-06-25"));
    stages.push(stage("c99", "customer", "2026-07-02")); // after D: not yet a conversion
    const result = computeLeadConversionRate({ stages, period: june });
    expect(result).toEqual({ value: 0.15, breakdown: { numerator: 15, denominator: 100 } });
  });
});

describe("K10 lead velocity and K11 funnel", () => {
  const march = { start: "2026-03-01", end: "2026-03-31" };
  it("gives LVR 0.25 from 40 qualified leads in March to 50 in April ((50 − 40) ÷ 40)", () => {
    const stages = [
      ...Array.from({ length: 40 }, (_, i) => stage(`m${i}`, "qualified_lead", "2026-03-10")),
      ...Array.from({ length: 50 }, (_, i) => stage(`a${i}`, "qualified_lead", "2026-04-10")),
      stage("m0", "qualified_lead", "2026-04-12"), // a repeat reach is not a new qualified lead
    ];
    const result = computeLeadVelocityRate({ stages, period: april, previousPeriod: march });
    expect(result.value).toBe(0.25);
    expect(result.breakdown).toMatchObject({ current: 50, previous: 40 });
    expect(computeQualifiedLeads({ stages, period: april }).value).toBe(50);
  });

  it("gives LVR null when March had 0 qualified leads", () => {
    const stages = [stage("a", "qualified_lead", "2026-04-10")];
    expect(computeLeadVelocityRate({ stages, period: april, previousPeriod: march }).value).toBeNull();
  });

  it("counts a contact going visitor (Apr 1) → customer (Apr 20) once at every stage up to customer, evangelist 0", () => {
    const stages = [stage("c1", "visitor", "2026-04-01"), stage("c1", "customer", "2026-04-20")];
    expect(computeLifecycleFunnel({ stages, period: april }).value).toEqual({
      visitor: 1,
      subscriber: 1,
      lead: 1,
      qualified_lead: 1,
      opportunity: 1,
      customer: 1,
      evangelist: 0,
    });
  });

  it("ignores a move back to an earlier stage and keys stageConversion as <from>__<to>", () => {
    const stages = [
      stage("c1", "lead", "2026-04-02"),
      stage("c1", "qualified_lead", "2026-04-05"),
      stage("c1", "lead", "2026-04-09"),
      stage("c2", "lead", "2026-04-03"),
    ];
    const result = computeStageConversion({ stages, period: april });
    expect(result.value.lead__qualified_lead).toBe(0.5);
    expect(result.breakdown.lead__qualified_lead).toEqual({ numerator: 1, denominator: 2 });
    expect(result.value.opportunity__customer).toBeNull();
    expect(Object.keys(result.value)).toHaveLength(6);
  });

  it("gives salesCycleDays 20 as the median of 10, 20 and 45 days from lead to first paid day", () => {
    const linker = createCustomerLinker(["a", "b", "c"].map((id) => ({ customerId: `cus_${id}`, email: null })));
    const stages = [
      stage("ca", "lead", "2026-05-22", { customerId: "cus_a" }),
      stage("cb", "visitor", "2026-05-01", { customerId: "cus_b" }),
      stage("cb", "opportunity", "2026-05-12"),
      stage("cc", "lead", "2026-04-17", { customerId: "cus_c" }),
    ];
    const newCustomers = ["a", "b", "c"].map((id) => ({
      customerId: `cus_${id}`,
      firstPaidDay: "2026-06-01",
      newMrr: 1000,
    }));
    const result = computeSalesCycleDays({ newCustomers, stages, linker, asOf: "2026-06-30" });
    expect(result.breakdown.samples.map((s) => s.days).sort((x, y) => x - y)).toEqual([10, 20, 45]);
    expect(result.value).toBe(20);
    expect(computeSalesCycleDays({ newCustomers: [], stages, linker, asOf: "2026-06-30" }).value).toBeNull();
  });
});

describe("K13 viral coefficient", () => {
  it("gives k 0.05 from 10 referred new customers over 200 paying at start (10 ÷ 200)", () => {
    const customers = Array.from({ length: 12 }, (_, i) => ({ customerId: `cus_${i}`, email: null }));
    const linker = createCustomerLinker(customers);
    const signups = customers.map((c, i) =>
      signup(`u${i}`, "2026-06-03", { customerId: c.customerId, ...(i < 10 ? { referredBy: "u_ref" } : {}) }),
    );
    const newCustomers = customers.map((c) => ({ customerId: c.customerId, firstPaidDay: "2026-06-10", newMrr: 1000 }));
    const result = computeViralCoefficient({ newCustomers, signups, linker, startPayingCustomers: 200 });
    expect(result.value).toBe(0.05);
    expect(result.breakdown).toMatchObject({ numerator: 10, denominator: 200 });
    expect(computeViralCoefficient({ newCustomers, signups, linker, startPayingCustomers: 0 }).value).toBeNull();
  });
});

describe("K14 product-qualified leads", () => {
  const settings = DEFAULT_KPI_SETTINGS; // 3 active days within 14 days, no required actions
  const linker = createCustomerLinker([
    { customerId: "cus_a", email: null },
    { customerId: "cus_b", email: null },
  ]);
  const signups = [
    signup("ua", "2026-04-01", { customerId: "cus_a" }),
    signup("ub", "2026-04-01", { customerId: "cus_b" }),
  ];
  const activities = [
    ...["2026-04-02", "2026-04-05", "2026-04-09"].map((d) => activity("ua", "cus_a", d)),
    ...["2026-04-02", "2026-04-05", "2026-04-16"].map((d) => activity("ub", "cus_b", d)),
  ];

  it("makes the first account a PQL on Apr 9 (3rd active day) and not the second (3rd day Apr 16 is past Apr 14)", () => {
    const result = computePqls({ signups, activity: activities, period: april, linker, mrr: noMrr, settings });
    expect(result.value).toBe(1);
    expect(result.breakdown.accounts).toMatchObject([{ account: "cus_a", pqlDay: "2026-04-09" }]);
  });

  it("converts the PQL when MRR > 0 after the PQL day (1 ÷ 1), and not when it already paid that day", () => {
    const paid = createMrrLookup({ cus_a: [{ day: "2026-04-20", mrr: 3000 }] });
    expect(
      computePqlConversionRate({ signups, activity: activities, period: april, linker, mrr: paid, settings }).value,
    ).toBe(1);
    const alreadyPaying = createMrrLookup({ cus_a: [{ day: "2026-04-01", mrr: 3000 }] });
    expect(
      computePqls({ signups, activity: activities, period: april, linker, mrr: alreadyPaying, settings }).value,
    ).toBe(0);
    expect(
      computePqlConversionRate({ signups: [], activity: [], period: april, linker, mrr: noMrr, settings }).value,
    ).toBeNull();
  });

  it("requires every pqlRequiredActions action before the PQL day", () => {
    const withAction = [...activities, { ...activity("ua", "cus_a", "2026-04-11"), action: "invite" }];
    const result = computePqls({
      signups,
      activity: withAction,
      period: april,
      linker,
      mrr: noMrr,
      settings: { ...settings, pqlRequiredActions: ["invite"] },
    });
    expect(result.breakdown.accounts).toMatchObject([{ account: "cus_a", pqlDay: "2026-04-11" }]);
  });
});

describe("customer linking (§1.4)", () => {
  const linker = createCustomerLinker([
    { customerId: "cus_1", email: "Ada@Acme.com" },
    { customerId: "cus_2", email: "bob@beta.io" },
    { customerId: "cus_3", email: "carol@beta.io" },
  ]);
  it("links by customerId first, then email case-insensitively, then a unique domain", () => {
    expect(linker.explain({ customerId: "cus_2", email: "ada@acme.com" })).toEqual({
      customerId: "cus_2",
      method: "customerId",
    });
    expect(linker.explain({ email: "ADA@acme.com" })).toEqual({ customerId: "cus_1", method: "email" });
    expect(linker.explain({ email: "someone@acme.com" })).toEqual({ customerId: "cus_1", method: "domain" });
  });
  it("leaves a shared domain and an unknown customerId without email unlinked", () => {
    expect(linker.link({ email: "dave@beta.io" })).toBeNull();
    expect(linker.link({ customerId: "cus_unknown" })).toBeNull();
  });
});
