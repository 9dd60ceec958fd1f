import { describe, expect, it } from "vitest";
import { computeHeadline } from "./headline";
import { computeMovementPeriods } from "./movement-periods";
import { defaultMetricPolicy, type MetricPolicy } from "./policy";
import { at, makeItem, makeVersion } from "./testing/builders";
import { changesFor, mrrOn, rowOn, seriesFor } from "./testing/series";
import type { FxRate, SubscriptionVersion } from "./types";

const moves = (
  versions: SubscriptionVersion[],
  policy: Partial<MetricPolicy> = {},
  o: Parameters<typeof changesFor>[2] = {},
) =>
  changesFor("cus_1", versions, { ...o, policy })
    .filter((c) => c.kind)
    .map((c) => [c.day, c.kind, c.amount]);
const monthly = (amount: number, over: Parameters<typeof makeItem>[1] = {}) => [
  makeItem({ unitAmountDecimal: String(amount) }, over),
];

describe("M1–M2: several subscriptions", () => {
  const t0 = at("2026-01-10T10:00:00Z");
  const m1 = [
    makeVersion(t0, { subscriptionId: "sub_m", items: monthly(2000) }),
    makeVersion(t0, {
      subscriptionId: "sub_y",
      items: [makeItem({ id: "py", interval: "year", unitAmountDecimal: "120000" })],
    }),
  ];
  const headline = (versions: SubscriptionVersion[], policy: Partial<MetricPolicy> = {}, asOf = "2026-01-31") =>
    computeHeadline({
      changes: changesFor("cus_1", versions, { policy }),
      asOf,
      policy: { ...defaultMetricPolicy, ...policy },
    }).values;

  it("M1: 2000 monthly + 120000 yearly = 2000 + 10000 = 12000 MRR, 1 paying, arr 144000; annualContractsOnly → 12 × 10000 = 120000", () => {
    expect(headline(m1)).toMatchObject({ mrr: 12000, payingCustomers: 1, arr: 144000 });
    expect(headline(m1, { arr: "annualContractsOnly" }).arr).toBe(120000);
  });

  it("M2: ending the yearly subscription is a contraction of −10000, not a churn; still paying", () => {
    const ended = [
      ...m1,
      makeVersion(at("2026-02-03T10:00:00Z"), {
        subscriptionId: "sub_y",
        status: "canceled",
        endedAt: at("2026-02-03T10:00:00Z"),
        items: m1[1]!.state.items,
      }),
    ];
    expect(moves(ended)).toEqual([
      ["2026-01-10", "new", 12000],
      ["2026-02-03", "contraction", -10000],
    ]);
    expect(headline(ended, {}, "2026-02-28")).toMatchObject({
      mrr: 2000,
      payingCustomers: 1,
      churnedMrr: 0,
      contractionMrr: -10000,
    });
  });
});

describe("F1–F5: currencies", () => {
  const start = at("2026-01-05T12:00:00Z");
  const eur = (amount: number, from = start, id = "sub_eur") =>
    makeVersion(from, {
      subscriptionId: id,
      currency: "eur",
      items: [makeItem({ currency: "eur", unitAmountDecimal: String(amount) })],
    });
  const usd = makeVersion(start, { subscriptionId: "sub_usd", items: monthly(5000) });
  const rate = (rateDate: string, r: string, currency = "eur"): FxRate => ({ currency, rateDate, rate: r });

  it("F1: usd 5000 + eur 4000 × 1.10 = 5000 + 4400 = 9400 customer MRR; mrr 9400, 1 paying, arpa 9400", () => {
    const changes = changesFor("cus_1", [usd, eur(4000)], { fxRates: [rate("2026-01-05", "1.10")] });
    const h = computeHeadline({ changes, asOf: "2026-01-31", policy: defaultMetricPolicy });
    expect(h.values).toMatchObject({ mrr: 9400, payingCustomers: 1, arpa: 9400 });
    expect(rowOn(changes, "2026-01-05")?.mrr).toBe(9400);
  });

  it("F2: without a eur rate mrr is 5000, unconverted {eur: 4000}, incomplete, warning missing_fx_rate:eur:2026-01-05, still 1 paying", () => {
    const changes = changesFor("cus_1", [usd, eur(4000)]);
    const h = computeHeadline({ changes, asOf: "2026-01-31", policy: defaultMetricPolicy });
    expect(h.values).toMatchObject({ mrr: 5000, payingCustomers: 1 });
    expect(h.unconverted).toEqual({ eur: 4000 });
    expect(h.incomplete).toBe(true);
    expect(h.warnings).toContain("missing_fx_rate:eur:2026-01-05");
  });

  it("F2 (counts): a customer whose only part lacks a rate is still counted as paying (mrr 0, 1 paying, incomplete)", () => {
    const h = computeHeadline({
      changes: changesFor("cus_1", [eur(4000)]),
      asOf: "2026-01-31",
      policy: defaultMetricPolicy,
    });
    expect(h.values).toMatchObject({ mrr: 0, payingCustomers: 1 });
    expect(h.incomplete).toBe(true);
  });

  it("F2 (movements): the January period ends at 5000 and is flagged incomplete with {eur: 4000} unconverted", () => {
    const changes = changesFor("cus_1", [usd, eur(4000)]);
    const r = computeMovementPeriods({ changes, from: "2026-01-01", to: "2026-01-31", interval: "month" });
    expect(r.value[0]).toMatchObject({ new: 5000, endMrr: 5000 });
    expect(r.breakdown.periods[0]).toMatchObject({ incomplete: true, unconverted: { eur: 4000 } });
  });

  it("F2 (stale): uses a rate dated more than 7 days before and warns stale_fx_rate:eur:2025-12-20", () => {
    const series = seriesFor([eur(4000)], { fxRates: [rate("2025-12-20", "1.10")] });
    expect(series[0]).toMatchObject({ mrr: 4400 });
    expect(series[0]?.warnings).toContain("stale_fx_rate:eur:2025-12-20");
  });

  it("F3: 1200 jpy at 0.0067 = 1200 × 0.0067 × 10^(2 − 0) = 804 usd cents", () => {
    const jpy = makeVersion(start, {
      currency: "jpy",
      items: [makeItem({ currency: "jpy", unitAmountDecimal: "1200" })],
    });
    expect(mrrOn(seriesFor([jpy], { fxRates: [rate("2026-01-01", "0.0067", "jpy")] }), "2026-01-31")).toBe(804);
  });

  const f4Rates = [rate("2026-01-01", "1.10"), rate("2026-02-10", "1.25"), rate("2026-03-03", "1.20")];
  const f4 = [eur(10000), eur(15000, at("2026-03-03T12:00:00Z"))];
  const periods = (policy: Partial<MetricPolicy>) =>
    computeMovementPeriods({
      changes: changesFor("cus_1", f4, { policy, fxRates: f4Rates }),
      from: "2026-01-01",
      to: "2026-03-31",
      interval: "month",
    }).value;

  it("F4 (lastChange): Jan new 10000 × 1.10 = 11000; Feb no movement (11000); Mar 15000 × 1.20 − 11000 = +7000 → 18000; fxImpact 0", () => {
    const [jan, feb, mar] = periods({});
    expect(jan).toMatchObject({ new: 11000, endMrr: 11000, fxImpact: 0 });
    expect(feb).toMatchObject({ startMrr: 11000, new: 0, expansion: 0, contraction: 0, fxImpact: 0, endMrr: 11000 });
    expect(mar).toMatchObject({ expansion: 7000, fxImpact: 0, endMrr: 18000 });
  });

  it("F5 (daily): Feb fxImpact 10000 × (1.25 − 1.10) = +1500 → 12500; Mar expansion 18000 − 12000 = +6000, fxImpact 12000 − 12500 = −500 → 18000", () => {
    const [jan, feb, mar] = periods({ fxRate: "daily" });
    expect(jan).toMatchObject({ new: 11000, fxImpact: 0, endMrr: 11000 });
    expect(feb).toMatchObject({ startMrr: 11000, expansion: 0, contraction: 0, fxImpact: 1500, endMrr: 12500 });
    expect(mar).toMatchObject({ startMrr: 12500, expansion: 6000, fxImpact: -500, endMrr: 18000 });
  });

  it("F5 (from series): aggregating per-customer series with the policy gives the same periods as the ledger", () => {
    const policy = { ...defaultMetricPolicy, fxRate: "daily" as const };
    const series = seriesFor(f4, { policy, fxRates: f4Rates });
    const r = computeMovementPeriods({
      customers: [{ customerId: "cus_1", series }],
      policy,
      from: "2026-01-01",
      to: "2026-03-31",
      interval: "month",
    });
    expect(r.value).toEqual(periods({ fxRate: "daily" }));
  });

  it("F5 (daily series): revalues on each rate day (Feb 10: 12500, Mar 3: 18000) and is flat in between", () => {
    const s = seriesFor(f4, { policy: { fxRate: "daily" }, fxRates: f4Rates });
    expect(s.map((r) => [r.day, r.mrr])).toEqual([
      ["2026-01-05", 11000],
      ["2026-02-10", 12500],
      ["2026-03-03", 18000],
    ]);
    expect(mrrOn(s, "2026-02-09")).toBe(11000);
  });
});

describe("R1–R7: daily netting, reactivation and time zones", () => {
  const day = (h: string) => at(`2026-04-07T${h}:00Z`);

  it("R1: trial → active 2000 at 09:00, then 3 seats (6000) at 15:00 nets to one new +6000", () => {
    const v = [
      makeVersion(at("2026-03-24T09:00:00Z"), { status: "trialing", items: monthly(2000) }),
      makeVersion(day("09:00"), { items: monthly(2000) }),
      makeVersion(day("15:00"), { items: monthly(2000, { quantity: 3 }) }),
    ];
    expect(moves(v)).toEqual([["2026-04-07", "new", 6000]]);
  });

  it("R2: active 2000 at 09:00 and canceled at 17:00 the same day: no movement, 0 new and 0 churned customers", () => {
    const v = [
      makeVersion(day("09:00"), { items: monthly(2000) }),
      makeVersion(day("17:00"), { status: "canceled", endedAt: day("17:00"), items: monthly(2000) }),
    ];
    expect(moves(v)).toEqual([]);
    const [p] = computeMovementPeriods({
      changes: changesFor("cus_1", v),
      from: "2026-04-01",
      to: "2026-04-30",
      interval: "month",
    }).value;
    expect(p).toMatchObject({ newCustomers: 0, churnedCustomers: 0, startMrr: 0, endMrr: 0 });
  });

  const r3 = [
    makeVersion(at("2026-01-15T10:00:00Z"), { items: monthly(3000) }),
    makeVersion(at("2026-03-10T10:00:00Z"), {
      status: "canceled",
      endedAt: at("2026-03-10T10:00:00Z"),
      items: monthly(3000),
    }),
    makeVersion(at("2026-05-02T10:00:00Z"), { subscriptionId: "sub_2", items: monthly(4000) }),
  ];
  it("R3: churn −3000 on Mar 10, reactivation +4000 on May 2 (unlimited window)", () => {
    expect(moves(r3)).toEqual([
      ["2026-01-15", "new", 3000],
      ["2026-03-10", "churn", -3000],
      ["2026-05-02", "reactivation", 4000],
    ]);
  });
  it("R3: with reactivationWindowDays 30 the return is new +4000 (gap Mar 10 → May 2 = 53 days > 30)", () => {
    expect(moves(r3, { reactivationWindowDays: 30 })[2]).toEqual(["2026-05-02", "new", 4000]);
    expect(moves(r3, { reactivationWindowDays: 53 })[2]).toEqual(["2026-05-02", "reactivation", 4000]);
  });

  it("R4: cancel 3000 at 10:00, new 5000 subscription at 14:00 the same day = expansion +2000", () => {
    const v = [
      makeVersion(at("2026-03-01T10:00:00Z"), { subscriptionId: "sub_a", items: monthly(3000) }),
      makeVersion(day("10:00"), {
        subscriptionId: "sub_a",
        status: "canceled",
        endedAt: day("10:00"),
        items: monthly(3000),
      }),
      makeVersion(day("14:00"), { subscriptionId: "sub_b", items: monthly(5000) }),
    ];
    expect(moves(v)[1]).toEqual(["2026-04-07", "expansion", 2000]);
  });

  const r5 = [
    makeVersion(at("2026-03-01T10:00:00Z"), { items: monthly(5000) }),
    makeVersion(at("2026-04-04T10:00:00Z"), { status: "unpaid", items: monthly(5000) }),
    makeVersion(at("2026-04-20T10:00:00Z"), { items: monthly(5000) }),
  ];
  it("R5: unpaid on Apr 4 is churn −5000 (involuntary), paid on Apr 20 a reactivation +5000; unpaid included → none", () => {
    expect(moves(r5).slice(1)).toEqual([
      ["2026-04-04", "churn", -5000],
      ["2026-04-20", "reactivation", 5000],
    ]);
    expect(changesFor("cus_1", r5).find((c) => c.kind === "churn")?.involuntary).toBe(true);
    expect(moves(r5, { unpaid: "included" }).slice(1)).toEqual([]);
  });

  const r6 = [
    makeVersion(at("2026-03-01T10:00:00Z"), { items: monthly(5000) }),
    makeVersion(at("2026-04-01T10:00:00Z"), {
      pauseCollection: { behavior: "void", resumesAt: at("2026-05-01T10:00:00Z") },
      items: monthly(5000),
    }),
  ];
  it("R6: pause_collection Apr 1 → churn −5000; resumes by itself May 1 → reactivation +5000; paused included → none", () => {
    expect(moves(r6).slice(1)).toEqual([
      ["2026-04-01", "churn", -5000],
      ["2026-05-01", "reactivation", 5000],
    ]);
    expect(changesFor("cus_1", r6).find((c) => c.kind === "churn")?.involuntary).toBe(false);
    expect(moves(r6, { paused: "included" }).slice(1)).toEqual([]);
  });

  it("R7: in America/New_York a change at 2026-06-11T03:30:00Z counts on 2026-06-10", () => {
    const v = [makeVersion(at("2026-06-11T03:30:00Z"), { items: monthly(2000) })];
    expect(moves(v, {}, { timeZone: "America/New_York" })).toEqual([["2026-06-10", "new", 2000]]);
    expect(moves(v)).toEqual([["2026-06-11", "new", 2000]]);
  });

  it("N11 (withdrawn): atRequest churns on canceled_at, and withdrawing the cancellation reactivates", () => {
    const v = [
      makeVersion(at("2026-03-01T10:00:00Z"), { items: monthly(2000) }),
      makeVersion(at("2026-03-05T10:00:00Z"), {
        items: monthly(2000),
        cancelAtPeriodEnd: true,
        cancelAt: at("2026-04-01T10:00:00Z"),
        canceledAt: at("2026-03-05T10:00:00Z"),
      }),
      makeVersion(at("2026-03-09T10:00:00Z"), { items: monthly(2000) }),
    ];
    expect(moves(v, { churnRecognition: "atRequest" }).slice(1)).toEqual([
      ["2026-03-05", "churn", -2000],
      ["2026-03-09", "reactivation", 2000],
    ]);
    expect(moves(v).slice(1)).toEqual([]);
  });
});
