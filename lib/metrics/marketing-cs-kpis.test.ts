import { describe, expect, it } from "vitest";
import { DEFAULT_KPI_SETTINGS } from "./kpi-inputs";
import {
  MARKETING_KPI_KEYS,
  SUCCESS_KPI_KEYS,
  computeMarketingKpis,
  computeSuccessKpis,
  type MarketingKpiInput,
  type SuccessKpiInput,
} from "./marketing-cs-kpis";

const period = { start: "2026-06-01", end: "2026-06-20" };
const emptyMarketing: MarketingKpiInput = {
  period,
  previousPeriod: { start: "2026-05-01", end: "2026-05-20" },
  reportingCurrency: "usd",
  settings: DEFAULT_KPI_SETTINGS,
  customers: [],
  mrrSeries: {},
  newCustomers: [],
  startPayingCustomers: 0,
  visits: [],
  signups: [],
  leads: [],
  stages: [],
  spend: [],
  activity: [],
};
const emptySuccess: SuccessKpiInput = {
  period,
  settings: DEFAULT_KPI_SETTINGS,
  customers: [],
  payingCustomers: [],
  expansionMrrS: 0,
  startMrrS: 0,
  npsResponses: [],
  csatResponses: [],
  tickets: [],
  activity: [],
};

describe("Z2 empty workspace, every marketing and customer-success key", () => {
  it("answers every marketing key: counts and sums 0, rates null (signups 0, cacBlended null)", () => {
    const kpis = computeMarketingKpis(emptyMarketing);
    expect(Object.keys(kpis).sort()).toEqual([...MARKETING_KPI_KEYS].sort());
    const values = Object.fromEntries(Object.entries(kpis).map(([key, kpi]) => [key, kpi.value]));
    expect(values).toMatchObject({
      muv: 0,
      uniqueVisitors: 0,
      signups: 0,
      leads: 0,
      leadsBySource: {},
      qualifiedLeads: 0,
      leadVelocityRate: null,
      leadConversionRate: null,
      visitorToSignupRate: null,
      signupToPaidRate: null,
      activationRate: null,
      marketingSpend: 0,
      marketingSpendByChannel: {},
      cacBlended: null,
      cacPaid: null,
      cacByChannel: {},
      channelRoi: {},
      trafficRoi: null,
      viralCoefficient: null,
      pqls: 0,
      pqlConversionRate: null,
      salesCycleDays: null,
    });
  });

  it("answers every success key: nps null, csat null, FRT null, tickets 0, users 0", () => {
    const kpis = computeSuccessKpis(emptySuccess);
    expect(Object.keys(kpis).sort()).toEqual([...SUCCESS_KPI_KEYS].sort());
    const values = Object.fromEntries(Object.entries(kpis).map(([key, kpi]) => [key, kpi.value]));
    expect(values).toEqual({
      nps: null,
      enps: null,
      csat: null,
      supportTickets: 0,
      openTickets: 0,
      firstResponseTimeMedian: null,
      firstResponseTimeP90: null,
      firstResponseTimeMean: null,
      resolutionTimeMedian: null,
      resolutionTimeP90: null,
      resolutionTimeMean: null,
      firstContactResolutionRate: null,
      crc: null,
      dau: 0,
      wau: 0,
      mau: 0,
      stickiness: null,
      engagementScore: null,
      healthScore: null,
      healthDistribution: { green: 0, yellow: 0, red: 0 },
      atRiskMrr: 0,
      expansionRate: null,
    });
  });
});

describe("wiring", () => {
  it("produces JSON-safe answers (no BigInt, NaN or Infinity) for a customer with activity, health and spend", () => {
    const day = "2026-06-10";
    const base = (id: string) => ({ id, day, occurredAt: Date.parse(`${day}T10:00:00Z`) });
    const customers = [{ customerId: "cus_1", email: "ada@acme.com" }];
    const marketing = computeMarketingKpis({
      ...emptyMarketing,
      customers,
      mrrSeries: { cus_1: [{ day, mrr: 5000 }] },
      newCustomers: [{ customerId: "cus_1", firstPaidDay: day, newMrr: 5000 }],
      signups: [{ ...base("s1"), userId: "u1", email: "ADA@acme.com", source: "Google Ads" }],
      spend: [{ ...base("sp1"), channel: "google_ads", amount: 20000, currency: "usd" }],
    });
    expect(marketing.cacByChannel.value).toEqual({ google_ads: 20000 });
    expect(marketing.channelRoi.value).toEqual({ google_ads: 2 }); // (5000 × 12 − 20000) ÷ 20000
    const success = computeSuccessKpis({
      ...emptySuccess,
      customers,
      payingCustomers: [
        {
          customerId: "cus_1",
          seats: 2,
          mrr: 5000,
          mrr90DaysAgo: 0,
          pastDueOrUnpaid: false,
          openFailedInvoice: false,
          failedAttemptInLast90Days: false,
          cancellationScheduled: false,
        },
      ],
      activity: [{ ...base("a1"), userId: "u1", customerId: "cus_1" }],
    });
    // engagement 100 × (0.5 × 1/20 + 0.5 × 1/2) = 27.5; health 0.3 × 27.5 + 10 + 15 + 20 + 11.25 = 64.5 → 65
    expect(success.engagementScore.value).toBe(27.5);
    expect(success.healthScore.breakdown).toMatchObject({ customers: [{ score: 65, band: "yellow" }] });
    expect(() => JSON.stringify({ marketing, success })).not.toThrow();
    expect(JSON.stringify({ marketing, success })).not.toMatch(/NaN|Infinity/);
  });
});
