import { describe, expect, it } from "vitest";
import { createCustomerLinker } from "./customer-linking";
import {
  computeAtRiskMrr,
  computeHealthDistribution,
  computeHealthScores,
  type HealthCustomer,
  type HealthInput,
} from "./health";
import { DEFAULT_KPI_SETTINGS, type NpsResponseRecord, type TicketRecord } from "./kpi-inputs";
import { toRational } from "./kpi-math";

const asOf = "2026-06-30";
const rec = (id: string, day: string) => ({ id, day, occurredAt: Date.parse(`${day}T10:00:00Z`) });
const customer = (overrides: Partial<HealthCustomer> = {}): HealthCustomer => ({
  customerId: "cus_1",
  mrr: 6000,
  mrr90DaysAgo: 4500,
  pastDueOrUnpaid: false,
  openFailedInvoice: false,
  failedAttemptInLast90Days: true,
  cancellationScheduled: false,
  ...overrides,
});
const response = (score: number, day = "2026-06-01"): NpsResponseRecord => ({
  ...rec(`n${score}`, day),
  respondentId: "r1",
  score,
  audience: "customer",
  email: "ada@acme.com",
});
const tickets: TicketRecord[] = [
  { ...rec("t1", "2026-06-10"), type: "ticket_opened", ticketId: "T1", customerId: "cus_1" },
  { ...rec("t2", "2026-06-20"), type: "ticket_opened", ticketId: "T2", customerId: "cus_1" },
  { ...rec("t3", "2026-05-20"), type: "ticket_opened", ticketId: "T0", customerId: "cus_1" }, // before D−29
];
// K17: usage 78, one promoter, 2 tickets, a recovered failure, MRR up.
const k17: HealthInput = {
  asOf,
  customers: [customer()],
  engagement: [{ customerId: "cus_1", exact: toRational(78n) }],
  npsResponses: [response(10)],
  tickets,
  linker: createCustomerLinker([{ customerId: "cus_1", email: "Ada@acme.com" }]),
  settings: DEFAULT_KPI_SETTINGS,
};
const scoreOf = (input: HealthInput) => computeHealthScores(input).breakdown.customers[0];

describe("K17 health score", () => {
  it("scores 77 green: 0.3 × 78 + 0.2 × 100 + 0.15 × 60 + 0.2 × 50 + 0.15 × 100 = 77.4", () => {
    const row = scoreOf(k17);
    expect(row).toMatchObject({ score: 77, band: "green" });
    expect(row?.components).toEqual({
      usage: { value: 78, weight: 0.3, points: 23.4 },
      nps: { value: 100, weight: 0.2, points: 20 },
      tickets: { value: 60, weight: 0.15, points: 9 },
      payments: { value: 50, weight: 0.2, points: 10 },
      mrrTrend: { value: 100, weight: 0.15, points: 15 },
    });
  });

  it("scores 57 yellow with a detractor instead (nps component (−100 + 100) ÷ 2 = 0: 77.4 − 20)", () => {
    expect(scoreOf({ ...k17, npsResponses: [response(3)] })).toMatchObject({ score: 57, band: "yellow" });
  });

  it("scores 47 yellow when also past_due (payments 0: 57.4 − 10)", () => {
    const input = { ...k17, npsResponses: [response(3)], customers: [customer({ pastDueOrUnpaid: true })] };
    expect(scoreOf(input)).toMatchObject({ score: 47, band: "yellow" });
  });

  it("scores 32 red when also a cancellation is scheduled (mrrTrend 0: 47.4 − 15)", () => {
    const input = {
      ...k17,
      npsResponses: [response(3)],
      customers: [customer({ pastDueOrUnpaid: true, cancellationScheduled: true })],
    };
    expect(scoreOf(input)).toMatchObject({ score: 32, band: "red" });
  });

  it("gives nps 50 without responses in the last 180 days, and mrrTrend 75 when not paying 90 days ago", () => {
    const input = { ...k17, npsResponses: [response(10, "2025-12-31")], customers: [customer({ mrr90DaysAgo: 0 })] };
    expect(scoreOf(input)?.components).toMatchObject({ nps: { value: 50 }, mrrTrend: { value: 75 } });
  });

  it("uses the latest answer of each respondent (3 then 10 → promoter)", () => {
    const input = { ...k17, npsResponses: [response(3, "2026-05-01"), { ...response(10, "2026-06-01"), id: "n10b" }] };
    expect(scoreOf(input)?.components.nps.value).toBe(100);
  });
});

describe("health distribution and at-risk MRR", () => {
  it("counts bands and sums red MRR, largest first (red 9000 + 1000 = 10000)", () => {
    const input: HealthInput = {
      ...k17,
      customers: [
        customer({ customerId: "a", mrr: 1000, cancellationScheduled: true, pastDueOrUnpaid: true }),
        customer({ customerId: "b", mrr: 9000, cancellationScheduled: true, pastDueOrUnpaid: true }),
        customer({ customerId: "c" }),
      ],
      engagement: [{ customerId: "c", exact: toRational(90n) }],
    };
    const rows = computeHealthScores(input).breakdown.customers;
    expect(computeHealthDistribution(rows).value).toEqual({ green: 1, yellow: 0, red: 2 });
    const atRisk = computeAtRiskMrr(rows);
    expect(atRisk.value).toBe(10000);
    expect(atRisk.breakdown.customers.map((row) => row.customerId)).toEqual(["b", "a"]);
  });

  it("gives a null workspace health and 0 at-risk MRR with no paying customers", () => {
    const result = computeHealthScores({ ...k17, customers: [] });
    expect(result.value).toBeNull();
    expect(computeAtRiskMrr(result.breakdown.customers).value).toBe(0);
  });
});
