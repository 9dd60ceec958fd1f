import { describe, expect, it } from "vitest";
import { computeActiveUsers, computeEngagementScores, computeStickiness } from "./engagement";
import { DEFAULT_KPI_SETTINGS, type CsatResponseRecord, type NpsResponseRecord, type TicketRecord } from "./kpi-inputs";
import { addDays } from "./kpi-math";
import { computeCrc, computeCsat, computeEnps, computeExpansionRate, computeNps } from "./success";
import {
  computeFirstContactResolutionRate,
  computeFirstResponseTime,
  computeOpenTickets,
  computeResolutionTime,
  computeSupportTickets,
} from "./support";

const june = { start: "2026-06-01", end: "2026-06-30" };
let seq = 0;
const rec = (day: string, ms = 0) => ({ id: `e${++seq}`, day, occurredAt: Date.parse(`${day}T08:00:00Z`) + ms });
const nps = (
  score: number,
  respondentId = `r${seq}`,
  audience: "customer" | "employee" = "customer",
  day = "2026-06-10",
): NpsResponseRecord => ({
  ...rec(day),
  respondentId,
  score,
  audience,
});
const csat = (score: number, scale: 5 | 10, extra: Partial<CsatResponseRecord> = {}): CsatResponseRecord => ({
  ...rec("2026-06-10"),
  score,
  scale,
  ...extra,
});
const ticket = (
  type: TicketRecord["type"],
  ticketId: string,
  ms: number,
  extra: Partial<TicketRecord> = {},
): TicketRecord => ({
  ...rec("2026-06-10", ms),
  type,
  ticketId,
  ...extra,
});

describe("K3–K5 NPS and eNPS", () => {
  it("scores NPS 20 from 5 promoters, 2 passives, 3 detractors of 10 (50% − 30%)", () => {
    const responses = [10, 9, 9, 10, 9, 8, 7, 6, 5, 0].map((score) => nps(score));
    const result = computeNps({ responses, period: june });
    expect(result.value).toBe(20);
    expect(result.breakdown).toMatchObject({
      promoterShare: 0.5,
      passiveShare: 0.2,
      detractorShare: 0.3,
      responses: 10,
    });
  });

  it("K4: counts only the latest answer of a respondent who answers 3, then 10 (NPS 100)", () => {
    const responses = [nps(3, "r1", "customer", "2026-06-05"), nps(10, "r1", "customer", "2026-06-20")];
    expect(computeNps({ responses, period: june })).toMatchObject({ value: 100, breakdown: { responses: 1 } });
  });

  it("K5: scores eNPS 25 from employee answers 9, 10, 6, 7 ((2 − 1) ÷ 4) and leaves customer NPS untouched", () => {
    const employees = [9, 10, 6, 7].map((score) => nps(score, `emp${score}`, "employee"));
    const customers = [nps(10, "c1")];
    expect(computeEnps({ responses: [...employees, ...customers], period: june }).value).toBe(25);
    expect(computeNps({ responses: [...employees, ...customers], period: june }).value).toBe(100);
    expect(computeNps({ responses: employees, period: june }).value).toBeNull();
  });

  it("rounds NPS to 4 decimals (1 promoter of 3 → 33.3333)", () => {
    expect(computeNps({ responses: [nps(9), nps(8), nps(7)], period: june }).value).toBe(33.3333);
  });
});

describe("K6 CSAT", () => {
  it("gives 0.6 on the 5-point scale (5, 4, 3, 5, 2: 3 of 5 are ≥ 4)", () => {
    const responses = [5, 4, 3, 5, 2].map((score) => csat(score, 5));
    expect(computeCsat({ responses, period: june, settings: DEFAULT_KPI_SETTINGS })).toMatchObject({
      value: 0.6,
      breakdown: { numerator: 3, denominator: 5 },
    });
  });

  it("gives 0.6667 on the 10-point scale (8, 10, 7: 2 of 3 are ≥ 8)", () => {
    const responses = [8, 10, 7].map((score) => csat(score, 10));
    expect(computeCsat({ responses, period: june, settings: DEFAULT_KPI_SETTINGS }).value).toBe(0.6667);
  });

  it("reports per touchpoint and keeps only a respondent's latest answer", () => {
    const responses = [
      csat(2, 5, { respondentId: "a", touchpoint: "billing", occurredAt: Date.parse("2026-06-01T00:00:00Z") }),
      csat(5, 5, { respondentId: "a", touchpoint: "billing", occurredAt: Date.parse("2026-06-02T00:00:00Z") }),
      csat(3, 5, { touchpoint: "onboarding" }),
      csat(3, 5, { touchpoint: "onboarding" }),
    ];
    const result = computeCsat({ responses, period: june, settings: DEFAULT_KPI_SETTINGS });
    expect(result.value).toBe(0.3333);
    expect(result.breakdown.byTouchpoint).toEqual({ billing: 1, onboarding: 0 });
  });
});

describe("K7 response and resolution times", () => {
  it("gives first response median 900, p90 3600, mean 1425 from 600, 1200, 3600, 300 s", () => {
    const tickets = [600, 1200, 3600, 300].flatMap((seconds, i) => [
      ticket("ticket_opened", `t${i}`, 0),
      ticket("ticket_first_response", `t${i}`, seconds * 1000),
    ]);
    expect(computeFirstResponseTime({ tickets, period: june }).value).toEqual({ median: 900, p90: 3600, mean: 1425 });
  });

  it("gives resolution median 7200, p90 86400, mean 32400 from 3600, 7200, 86400 s", () => {
    const tickets = [3600, 7200, 86400].flatMap((seconds, i) => [
      ticket("ticket_opened", `t${i}`, 0),
      {
        ...ticket("ticket_resolved", `t${i}`, seconds * 1000, { firstContactResolution: true }),
        day: seconds === 86400 ? "2026-06-11" : "2026-06-10",
      },
    ]);
    expect(computeResolutionTime({ tickets, period: june }).value).toEqual({ median: 7200, p90: 86400, mean: 32400 });
  });

  it("counts only the first response, and only when it falls in P", () => {
    const tickets = [
      ticket("ticket_opened", "t1", 0),
      ticket("ticket_first_response", "t1", 60_000),
      ticket("ticket_first_response", "t1", 120_000),
      { ...ticket("ticket_opened", "t2", 0), day: "2026-05-31" },
      { ...ticket("ticket_first_response", "t2", 0), day: "2026-05-31" },
    ];
    const result = computeFirstResponseTime({ tickets, period: june });
    expect(result.value).toEqual({ median: 60, p90: 60, mean: 60 });
  });

  it("Z2: gives null FRT and resolution stats, 0 tickets and 0 open on empty input", () => {
    expect(computeFirstResponseTime({ tickets: [], period: june }).value).toEqual({
      median: null,
      p90: null,
      mean: null,
    });
    expect(computeResolutionTime({ tickets: [], period: june }).value).toEqual({ median: null, p90: null, mean: null });
    expect(computeSupportTickets({ tickets: [], period: june }).value).toBe(0);
    expect(computeOpenTickets({ tickets: [], asOf: june.end }).value).toBe(0);
  });

  it("Z2: gives null NPS and CSAT on empty input", () => {
    expect(computeNps({ responses: [], period: june }).value).toBeNull();
    expect(computeEnps({ responses: [], period: june }).value).toBeNull();
    expect(computeCsat({ responses: [], period: june, settings: DEFAULT_KPI_SETTINGS }).value).toBeNull();
  });
});

describe("ticket counts", () => {
  it("counts tickets opened in P (2) and tickets open at D (1 of 3: one resolved, one resolved after D)", () => {
    const tickets = [
      ticket("ticket_opened", "a", 0),
      ticket("ticket_resolved", "a", 1000, { firstContactResolution: true }),
      ticket("ticket_opened", "b", 0),
      { ...ticket("ticket_opened", "c", 0), day: "2026-05-20" },
      { ...ticket("ticket_resolved", "c", 0, { firstContactResolution: false }), day: "2026-07-02" },
    ];
    expect(computeSupportTickets({ tickets, period: june }).value).toBe(2);
    expect(computeOpenTickets({ tickets, asOf: "2026-06-30" })).toEqual({
      value: 2,
      breakdown: { ticketIds: ["b", "c"] },
    });
    expect(computeOpenTickets({ tickets, asOf: "2026-07-02" }).value).toBe(1);
  });
});

describe("K8 first contact resolution", () => {
  it("gives 0.75 from 8 resolved tickets, 6 on first contact (6 ÷ 8)", () => {
    const tickets = Array.from({ length: 8 }, (_, i) => [
      ticket("ticket_opened", `t${i}`, 0),
      ticket("ticket_resolved", `t${i}`, 1000, { firstContactResolution: i < 6 }),
    ]).flat();
    expect(computeFirstContactResolutionRate({ tickets, period: june })).toEqual({
      value: 0.75,
      breakdown: { numerator: 6, denominator: 8 },
    });
  });

  it("gives null when no ticket was resolved in P", () => {
    expect(
      computeFirstContactResolutionRate({ tickets: [ticket("ticket_opened", "t", 0)], period: june }).value,
    ).toBeNull();
  });

  it("uses the first resolution in P of a reopened ticket, once", () => {
    const tickets = [
      ticket("ticket_opened", "t", 0),
      ticket("ticket_resolved", "t", 1000, { firstContactResolution: true }),
      ticket("ticket_resolved", "t", 5000, { firstContactResolution: false }),
    ];
    expect(computeFirstContactResolutionRate({ tickets, period: june }).value).toBe(1);
  });
});

describe("K9 customer retention cost", () => {
  const retentionCosts = {
    staff: [{ fromMonth: "2026-01", amount: 400000 }],
    tools: [{ fromMonth: "2026-01", amount: 50000 }],
    customerMarketing: [{ fromMonth: "2026-01", amount: 30000 }],
    training: [{ fromMonth: "2026-01", amount: 10000 }],
    loyalty: [{ fromMonth: "2026-01", amount: 10000 }],
  };

  it("gives 2000 from 500000 of monthly costs over 250 paying customers", () => {
    const result = computeCrc({ period: june, payingCustomers: 250, settings: { retentionCosts } });
    expect(result.value).toBe(2000);
    expect(result.breakdown.costs).toBe(500000);
  });

  it("gives null with no costs set, or with 0 paying customers", () => {
    expect(computeCrc({ period: june, payingCustomers: 250, settings: { retentionCosts: {} } }).value).toBeNull();
    expect(computeCrc({ period: june, payingCustomers: 0, settings: { retentionCosts } }).value).toBeNull();
  });

  it("pro-rates by days: Jun 1–10 of a 30-day month carries 10/30 (500000 × 1/3 ÷ 250 = 666.67 → 667)", () => {
    const result = computeCrc({
      period: { start: "2026-06-01", end: "2026-06-10" },
      payingCustomers: 250,
      settings: { retentionCosts },
    });
    expect(result.value).toBe(667);
  });

  it("applies a changed amount from its month (staff 400000 until May, 100000 from June)", () => {
    const changed = {
      staff: [
        { fromMonth: "2026-01", amount: 400000 },
        { fromMonth: "2026-06", amount: 100000 },
      ],
    };
    expect(computeCrc({ period: june, payingCustomers: 100, settings: { retentionCosts: changed } }).value).toBe(1000);
  });
});

describe("K15 active users and stickiness", () => {
  // 30 days ending D = Jun 30: day k has users u0 … u(k mod 40); Σ = 600 by construction below, mau 80.
  const asOf = "2026-06-30";
  const activity = Array.from({ length: 30 }, (_, k) =>
    Array.from({ length: 20 }, (_, j) => ({
      ...rec(addDays(asOf, -k)),
      userId: `u${(k * 20 + j) % 80}`,
      customerId: "cus_1",
    })),
  ).flat();

  it("gives stickiness 0.25 when daily distinct users sum to 600 over 30 days and mau is 80 (20 ÷ 80)", () => {
    expect(computeActiveUsers({ activity, asOf }).value.mau).toBe(80);
    expect(computeStickiness({ activity, asOf })).toEqual({
      value: 0.25,
      breakdown: { numerator: 600, denominator: 2400 },
    });
  });

  it("counts dau on D, wau on D−6…D, mau on D−29…D (activity on D−30 excluded)", () => {
    const few = [
      { ...rec(asOf), userId: "a", customerId: "c" },
      { ...rec(addDays(asOf, -6)), userId: "b", customerId: "c" },
      { ...rec(addDays(asOf, -29)), userId: "c", customerId: "c" },
      { ...rec(addDays(asOf, -30)), userId: "d", customerId: "c" },
    ];
    expect(computeActiveUsers({ activity: few, asOf }).value).toEqual({ dau: 1, wau: 2, mau: 3 });
    expect(computeStickiness({ activity: [], asOf }).value).toBeNull();
  });
});

describe("K16 engagement score", () => {
  it("scores round(77.5) = 78 from 5 seats, 4 active users, 15 active days (50 × 15/20 + 50 × 4/5)", () => {
    const asOf = "2026-06-30";
    const activity = Array.from({ length: 15 }, (_, k) => ({
      ...rec(addDays(asOf, -k)),
      userId: `u${k % 4}`,
      customerId: "cus_1",
    }));
    const result = computeEngagementScores({
      activity,
      customers: [{ customerId: "cus_1", seats: 5 }],
      asOf,
      settings: DEFAULT_KPI_SETTINGS,
    });
    expect(result.breakdown.customers[0]).toMatchObject({
      score: 78,
      activeDays: 15,
      activeUsers: 4,
      frequency: 0.75,
      breadth: 0.8,
    });
    expect(result.value).toBe(77.5);
  });

  it("caps frequency and breadth at 1 and counts key actions when weighted (K 1 of 2 → 100 × (0.4 + 0.4 + 0.1))", () => {
    const asOf = "2026-06-30";
    const activity = Array.from({ length: 25 }, (_, k) => ({
      ...rec(addDays(asOf, -k)),
      userId: `u${k}`,
      customerId: "c",
      action: "export",
    }));
    const settings = {
      ...DEFAULT_KPI_SETTINGS,
      engagementWeights: { frequency: 0.4, breadth: 0.4, keyActions: 0.2 },
      keyActions: ["export", "invite"],
    };
    const result = computeEngagementScores({ activity, customers: [{ customerId: "c", seats: 0 }], asOf, settings });
    expect(result.breakdown.customers[0]?.score).toBe(90);
    expect(computeEngagementScores({ activity, customers: [], asOf, settings }).value).toBeNull();
  });
});

describe("expansion rate", () => {
  it("gives 0.15 from expansion_S 1500 over startMrr_S 10000, and null on startMrr_S 0", () => {
    expect(computeExpansionRate({ expansionMrrS: 1500, startMrrS: 10000 }).value).toBe(0.15);
    expect(computeExpansionRate({ expansionMrrS: 0, startMrrS: 0 }).value).toBeNull();
  });
});
