import { describe, expect, it } from "vitest";
import type { InvoiceRecord } from "./cash";
import { computeHeadline } from "./headline";
import { computeMovementPeriods } from "./movement-periods";
import type { MrrChange } from "./movements";
import { defaultMetricPolicy, type MetricPolicy } from "./policy";
import { at, makeItem } from "./testing/builders";
import { buildLifecycle } from "./testing/lifecycle";
import { changesFor, mrrOn, rowOn, seriesFor } from "./testing/series";
import { listTrialOutcomes } from "./trials";
import type { SchedulePhase } from "./types";

const life = buildLifecycle();
const cus = life.customerId;
const policyWith = (p: Partial<MetricPolicy>): MetricPolicy => ({ ...defaultMetricPolicy, ...p });
const months = (changes: MrrChange[]) =>
  computeMovementPeriods({ changes, from: "2026-06-01", to: "2026-08-31", interval: "month" }).value;
const moves = (changes: MrrChange[]) => changes.filter((c) => c.kind).map((c) => [c.day, c.kind, c.amount]);

describe("L1: lifecycle MRR as of each day", () => {
  const series = seriesFor(life.versions);
  it.each([
    ["2026-05-31", 0, "trialing"],
    ["2026-06-10", 2000, "trial ends 09:00 → 1 seat × 2000"],
    ["2026-06-16", 6000, "3 seats × 2000"],
    ["2026-06-17", 4500, "6000 × (1 − 0.25)"],
    ["2026-07-10", 4500, "renewal and past_due keep 4500"],
    ["2026-07-16", 4500, "cancellation scheduled, not yet counted"],
    ["2026-08-09", 0, "ended_at 2026-08-09 09:00"],
  ])("as of %s MRR is %i (%s)", (day, expected) => {
    expect(mrrOn(series, day)).toBe(expected);
  });

  it("gives the same series however the versions are ordered (shuffled replay)", () => {
    const reversed = seriesFor([...life.versions].reverse());
    const rotated = seriesFor([...life.versions.slice(4), ...life.versions.slice(0, 4)]);
    expect(reversed).toEqual(series);
    expect(rotated).toEqual(series);
  });

  it("traces each change to its Stripe event (Jun 16 → evt 15, Jun 17 → evt 17)", () => {
    expect(rowOn(series, "2026-06-16")?.eventIds).toEqual([life.events.get(15)?.id]);
    expect(rowOn(series, "2026-06-17")?.eventIds).toEqual([life.events.get(17)?.id]);
  });

  it("counts one trialing customer on May 31 (trialing, MRR 0)", () => {
    const h = computeHeadline({
      changes: changesFor(cus, life.versions),
      asOf: "2026-05-31",
      policy: defaultMetricPolicy,
    });
    expect([h.values.trialingCustomers, h.values.payingCustomers, h.values.mrr]).toEqual([1, 0, 0]);
  });
});

describe("L2–L5: lifecycle movements by month", () => {
  it("L2: Jun 0 + 2000 new + 4000 expansion − 1500 contraction = 4500; Jul 4500 → 4500; Aug churn −4500 → 0", () => {
    const [jun, jul, aug] = months(changesFor(cus, life.versions));
    expect(jun).toMatchObject({
      startMrr: 0,
      new: 2000,
      expansion: 4000,
      contraction: -1500,
      churn: 0,
      reactivation: 0,
      fxImpact: 0,
      endMrr: 4500,
    });
    expect(jun).toMatchObject({ newCustomers: 1, expandedCustomers: 1, contractedCustomers: 1, churnedCustomers: 0 });
    expect(jul).toMatchObject({
      startMrr: 4500,
      new: 0,
      expansion: 0,
      contraction: 0,
      churn: 0,
      reactivation: 0,
      endMrr: 4500,
    });
    expect(aug).toMatchObject({ startMrr: 4500, churn: -4500, endMrr: 0, churnedCustomers: 1 });
  });

  it("L3: with discounts ignored, June has no contraction and ends at 6000; August churns −6000", () => {
    const [jun, , aug] = months(changesFor(cus, life.versions, { policy: { discounts: "ignored" } }));
    expect(jun).toMatchObject({ new: 2000, expansion: 4000, contraction: 0, endMrr: 6000 });
    expect(aug).toMatchObject({ churn: -6000, endMrr: 0 });
  });

  it("L4: past_due churn after N = 2 days: −4500 on Jul 12 (10:00:02 + 48 h), +4500 reactivation Jul 13; N = 3: none", () => {
    const two = changesFor(cus, life.versions, { policy: { pastDue: "churnAfterDays", pastDueChurnDays: 2 } });
    const july = moves(two).filter(([day]) => String(day).startsWith("2026-07"));
    expect(july).toEqual([
      ["2026-07-12", "churn", -4500],
      ["2026-07-13", "reactivation", 4500],
    ]);
    expect(two.find((c) => c.day === "2026-07-12")?.involuntary).toBe(true);
    const three = changesFor(cus, life.versions, { policy: { pastDue: "churnAfterDays", pastDueChurnDays: 3 } });
    expect(moves(three).filter(([day]) => String(day).startsWith("2026-07"))).toEqual([]);
  });

  it("L5: churn at request: −4500 on Jul 16 (canceled_at), and August has no movements", () => {
    const changes = changesFor(cus, life.versions, { policy: { churnRecognition: "atRequest" } });
    expect(moves(changes).filter(([day]) => String(day) >= "2026-07-01")).toEqual([["2026-07-16", "churn", -4500]]);
    const [, jul, aug] = months(changes);
    expect(jul).toMatchObject({ churn: -4500, endMrr: 0 });
    expect(aug).toMatchObject({ startMrr: 0, churn: 0, endMrr: 0 });
  });
});

describe("L6–L7: committed MRR", () => {
  // Committed MRR as the ledger carries it: the row in force at the end of `asOf` (ADR 0009).
  const cmrr = (asOf: string, policy = defaultMetricPolicy, schedules: SchedulePhase[] = []) => {
    const row = rowOn(changesFor(cus, life.versions, { policy, schedules }), asOf);
    return { customerId: cus, cmrr: row?.cmrr ?? 0, annualCmrr: row?.annualCmrr ?? 0, warnings: [] };
  };

  it("L6: cmrr is 0 on May 31 (trial), 6000 on Jun 20 (the discount ending Sep 15 is dropped), 0 on Jul 16 (cancel scheduled)", () => {
    expect([cmrr("2026-05-31").cmrr, cmrr("2026-06-20").cmrr, cmrr("2026-07-16").cmrr]).toEqual([0, 6000, 0]);
  });

  it("L6: carr on Jun 20 = 6000 × 12 = 72000; with discounts ignored cmrr stays 6000", () => {
    const h = computeHeadline({
      changes: changesFor(cus, life.versions),
      asOf: "2026-06-20",
      policy: defaultMetricPolicy,
      committed: [cmrr("2026-06-20")],
    });
    expect([h.values.cmrr, h.values.carr]).toEqual([6000, 72000]);
    expect(cmrr("2026-06-20", policyWith({ discounts: "ignored" })).cmrr).toBe(6000);
  });

  it("L6: under annualContractsOnly carr counts only yearly plans: the monthly Pro plan gives 12 × 0 = 0", () => {
    const policy = policyWith({ arr: "annualContractsOnly" });
    const h = computeHeadline({
      changes: changesFor(cus, life.versions, { policy }),
      asOf: "2026-06-20",
      policy,
      committed: [cmrr("2026-06-20", policy)],
    });
    expect([h.values.cmrr, h.values.carr, h.values.arr]).toEqual([6000, 0, 0]);
  });

  it("L7: a not_started schedule from Jul 1 at 3000/month adds 3000 to cmrr (6000 + 3000) and nothing to mrr", () => {
    const schedule: SchedulePhase = {
      scheduleId: "sub_sched_1",
      customerId: cus,
      subscriptionId: null,
      status: "not_started",
      endBehavior: "release",
      lastPhase: {
        currency: "usd",
        items: [makeItem({ unitAmountDecimal: "3000" })],
        discounts: [],
        start: at("2026-07-01T00:00:00Z"),
      },
    };
    expect(cmrr("2026-06-20", defaultMetricPolicy, [schedule]).cmrr).toBe(9000);
    expect(mrrOn(seriesFor(life.versions), "2026-06-20")).toBe(4500);
  });
});

describe("L8–L9: headline and cash", () => {
  const trials = listTrialOutcomes({
    versions: life.versions,
    policy: defaultMetricPolicy,
    timeZone: "UTC",
    asOf: "2026-06-20",
  });

  it("L8: on 2026-06-20 mrr 4500, arr 54000, 1 paying, 0 trialing, arpa 4500, acv 54000, netNew 4500, acvNew 12 × 2000 / 1 = 24000, trial conversion 1 / 1", () => {
    const h = computeHeadline({
      changes: changesFor(cus, life.versions),
      asOf: "2026-06-20",
      policy: defaultMetricPolicy,
      trials,
    });
    expect(h.values).toMatchObject({
      mrr: 4500,
      arr: 54000,
      payingCustomers: 1,
      trialingCustomers: 0,
      arpa: 4500,
      acv: 54000,
      netNewMrr: 4500,
      acvNew: 24000,
      trialConversionRate: 1,
    });
    expect(h.period).toEqual({
      start: "2026-06-01",
      end: "2026-06-20",
      partial: true,
      daysElapsed: 20,
      daysInPeriod: 30,
    });
    expect(h.incomplete).toBe(false);
  });

  it("L8: trial conversion in May is null (no trial ended in May: 0 / 0)", () => {
    const h = computeHeadline({
      changes: changesFor(cus, life.versions),
      asOf: "2026-05-31",
      policy: defaultMetricPolicy,
      trials,
    });
    expect(h.values.trialConversionRate).toBeNull();
  });

  const refund = {
    id: "re_1",
    customerId: cus,
    currency: "usd",
    amount: 1000,
    status: "succeeded" as const,
    createdAt: at("2026-07-20T12:00:00Z"),
  };
  const failed: InvoiceRecord = {
    id: "in_extra",
    customerId: cus,
    currency: "usd",
    status: "open",
    amountDue: 3000,
    amountPaid: 0,
    paidAt: null,
    firstFailedAt: at("2026-07-25T12:00:00Z"),
    amountDueAtFirstFailure: 3000,
  };
  const headline = (asOf: string, invoices: InvoiceRecord[], refunds = [refund]) =>
    computeHeadline({ changes: changesFor(cus, life.versions), asOf, policy: defaultMetricPolicy, invoices, refunds });

  it("L9: cash collected is 2000 in June (invoice 2 paid Jun 10) and 7700 − 1000 refund = 6700 in July", () => {
    expect(headline("2026-06-30", life.invoices).values.cashCollected).toBe(2000);
    expect(headline("2026-07-31", [...life.invoices, failed]).values.cashCollected).toBe(6700);
    expect(headline("2026-07-31", life.invoices, []).values.cashCollected).toBe(7700);
  });

  it("L9: July recovery is 7700 ÷ (7700 + 3000) = 0.7196 with the unpaid extra invoice; 7700 ÷ 7700 = 1 without", () => {
    const withExtra = headline("2026-07-31", [...life.invoices, failed]).kpis.failedPaymentRecoveryRate;
    expect(withExtra.value).toBe(0.7196);
    expect(withExtra.breakdown).toMatchObject({ numerator: 7700, denominator: 10700 });
    expect(headline("2026-07-31", life.invoices).values.failedPaymentRecoveryRate).toBe(1);
  });

  it("rule N14 of §2.2: a refund never changes MRR (July MRR stays 4500 with a 1000 refund)", () => {
    expect(headline("2026-07-31", life.invoices).values.mrr).toBe(4500);
  });
});
