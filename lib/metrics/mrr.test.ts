import { describe, expect, it } from "vitest";
import { roundHalfAwayFromZero } from "./money";
import { defaultMetricPolicy, type MetricPolicy } from "./policy";
import { computeSubscriptionMrr } from "./subscription-mrr";
import { at, makeDiscount, makeItem, makeState, makeVersion } from "./testing/builders";
import { mrrOn, seriesFor } from "./testing/series";
import type { Price, SubscriptionItem, SubscriptionState } from "./types";

const T = at("2026-06-15T12:00:00Z");

function mrrOf(state: Partial<SubscriptionState>, policy: Partial<MetricPolicy> = {}): number {
  return roundHalfAwayFromZero(computeSubscriptionMrr(makeState(state), { ...defaultMetricPolicy, ...policy }, T).mrr);
}
function plan(price: Partial<Price>, item: Partial<SubscriptionItem> = {}): Partial<SubscriptionState> {
  return { items: [makeItem(price, item)] };
}
const tiers = [
  { upTo: 5, unitAmountDecimal: "1000", flatAmount: null },
  { upTo: null, unitAmountDecimal: "800", flatAmount: null },
];

describe("N1–N7: billing intervals and rounding", () => {
  it("N1: counts a 1,000.00 yearly plan as 83.33 MRR (100000 / 12 = 8333.33 → 8333)", () => {
    expect(mrrOf(plan({ interval: "year", unitAmountDecimal: "100000" }))).toBe(8333);
  });
  it("N2: counts 90.00 per 3 months as 30.00 (9000 / 3 = 3000)", () => {
    expect(mrrOf(plan({ interval: "month", intervalCount: 3, unitAmountDecimal: "9000" }))).toBe(3000);
  });
  it("N3: counts 600.00 per 6 months as 100.00 (60000 / 6 = 10000)", () => {
    expect(mrrOf(plan({ interval: "month", intervalCount: 6, unitAmountDecimal: "60000" }))).toBe(10000);
  });
  it("N4: counts 10.00 weekly as 43.33 (1000 × 52 / 12 = 4333.33); simple: 1000 × 4 = 4000", () => {
    expect(mrrOf(plan({ interval: "week", unitAmountDecimal: "1000" }))).toBe(4333);
    expect(mrrOf(plan({ interval: "week", unitAmountDecimal: "1000" }), { intervalFactors: "simple" })).toBe(4000);
  });
  it("N5: counts 1.00 daily as 30.42 (100 × 365 / 12 = 3041.67 → 3042); simple: 100 × 30 = 3000", () => {
    expect(mrrOf(plan({ interval: "day", unitAmountDecimal: "100" }))).toBe(3042);
    expect(mrrOf(plan({ interval: "day", unitAmountDecimal: "100" }), { intervalFactors: "simple" })).toBe(3000);
  });
  it("N6: counts 2,400.00 per 2 years as 100.00 (240000 / 24 = 10000)", () => {
    expect(mrrOf(plan({ interval: "year", intervalCount: 2, unitAmountDecimal: "240000" }))).toBe(10000);
  });
  it("N7: rounds 0.30 per year half away from zero (30 / 12 = 2.5 → 3)", () => {
    expect(mrrOf(plan({ interval: "year", unitAmountDecimal: "30" }))).toBe(3);
  });
  it("N8: rounds once per customer: three 10.00 yearly items give 250, not 3 × 83 = 249 (3000 / 12)", () => {
    const yearly = (id: string) => makeItem({ id, interval: "year", unitAmountDecimal: "1000" });
    const series = seriesFor([
      makeVersion(at("2026-01-01T00:00:00Z"), { subscriptionId: "sub_a", items: [yearly("p1"), yearly("p2")] }),
      makeVersion(at("2026-01-01T00:00:00Z"), { subscriptionId: "sub_b", items: [yearly("p3")] }),
    ]);
    expect(mrrOn(series, "2026-01-01")).toBe(250);
  });
});

describe("N9–N13: quantities, price shapes, tax and one-time prices", () => {
  it("N9: multiplies per-seat 20.00 by quantity 3 (2000 × 3 = 6000)", () => {
    expect(mrrOf(plan({ unitAmountDecimal: "2000" }, { quantity: 3 }))).toBe(6000);
  });
  it("N10: graduated tiers, qty 8: 5 × 1000 + 3 × 800 = 7400", () => {
    expect(
      mrrOf(plan({ billingScheme: "tiered", tiersMode: "graduated", tiers, unitAmountDecimal: null }, { quantity: 8 })),
    ).toBe(7400);
  });
  it("N11: volume tiers, qty 8: 8 × 800 = 6400; with tier 2 flat 500: 6400 + 500 = 6900", () => {
    const volume = { billingScheme: "tiered", tiersMode: "volume", unitAmountDecimal: null } as const;
    expect(mrrOf(plan({ ...volume, tiers }, { quantity: 8 }))).toBe(6400);
    const flat = [tiers[0]!, { ...tiers[1]!, flatAmount: 500 }];
    expect(mrrOf(plan({ ...volume, tiers: flat }, { quantity: 8 }))).toBe(6900);
  });
  it("N12: package 50.00 per 10 units, qty 25: up ⌈2.5⌉ = 3 × 5000 = 15000; down ⌊2.5⌋ = 2 × 5000 = 10000", () => {
    const pkg = (round: "up" | "down") =>
      plan({ unitAmountDecimal: "5000", transformQuantity: { divideBy: 10, round } }, { quantity: 25 });
    expect(mrrOf(pkg("up"))).toBe(15000);
    expect(mrrOf(pkg("down"))).toBe(10000);
  });
  it("N12 (quantity 0): any price shape with quantity 0 gives 0", () => {
    expect(
      mrrOf(
        plan(
          {
            billingScheme: "tiered",
            tiersMode: "volume",
            tiers: [{ upTo: null, unitAmountDecimal: "1", flatAmount: 900 }],
          },
          { quantity: 0 },
        ),
      ),
    ).toBe(0);
  });
  it("N13: removes a 20 % inclusive tax (12000 / 1.20 = 10000)", () => {
    expect(
      mrrOf(plan({ unitAmountDecimal: "12000", taxBehavior: "inclusive" }, { inclusiveTaxPercents: ["20"] })),
    ).toBe(10000);
  });
  it("N12 (Stripe Tax): scales an inclusive price by amount_excluding_tax ÷ amount (12000 × 10000 / 12000)", () => {
    expect(
      mrrOf(
        plan(
          { unitAmountDecimal: "12000", taxBehavior: "inclusive" },
          { latestInvoiceLine: { amount: 12000, amountExcludingTax: 10000 } },
        ),
      ),
    ).toBe(10000);
  });
  it("N12 (unknown): uses an inclusive price as is and warns tax_inclusive_unknown", () => {
    const r = computeSubscriptionMrr(
      makeState(plan({ unitAmountDecimal: "12000", taxBehavior: "inclusive" })),
      defaultMetricPolicy,
      T,
    );
    expect(roundHalfAwayFromZero(r.mrr)).toBe(12000);
    expect(r.warnings).toContain("tax_inclusive_unknown");
  });
  it("N13 (one-time): one_time and custom_unit_amount prices add 0 beside a 20.00 plan (2000 + 0 + 0)", () => {
    expect(
      mrrOf({
        items: [
          makeItem({ id: "p" }),
          makeItem({ id: "setup", type: "one_time", unitAmountDecimal: "9900" }),
          makeItem({ id: "pwyw", customUnitAmount: true }),
        ],
      }),
    ).toBe(2000);
  });
});

describe("N14: metered usage", () => {
  const lines = [
    ["2026-03-20", 3000],
    ["2026-04-20", 4500],
    ["2026-05-20", 6000],
  ].map(([day, amount], i) => ({
    id: `il_${i}`,
    customerId: "cus_test",
    currency: "usd",
    amount: amount as number,
    serviceEnd: at(`${day}T00:00:00Z`),
    invoiceStatus: "paid" as const,
  }));
  const metered = makeVersion(
    at("2026-01-01T00:00:00Z"),
    plan({ usageType: "metered", unitAmountDecimal: "5" }, { quantity: 1000 }),
  );

  it("excludes metered items by default (+0 on 2026-06-15)", () => {
    expect(mrrOn(seriesFor([metered], { meteredLines: lines }), "2026-06-15")).toBe(0);
  });
  it("adds a trailing 3-month average with trailing3MonthAverage ((3000 + 4500 + 6000) / 3 = 4500)", () => {
    const series = seriesFor([metered], { meteredLines: lines, policy: { metered: "trailing3MonthAverage" } });
    expect(mrrOn(series, "2026-06-15")).toBe(4500);
    // July drops March: (4500 + 6000) / 3 = 3500
    expect(mrrOn(series, "2026-07-01")).toBe(3500);
  });
  it("leaves void invoices out of the average ((3000 + 4500) / 3 = 2500)", () => {
    const withVoid = lines.map((l) => (l.id === "il_2" ? { ...l, invoiceStatus: "void" as const } : l));
    expect(
      mrrOn(
        seriesFor([metered], { meteredLines: withVoid, policy: { metered: "trailing3MonthAverage" } }),
        "2026-06-15",
      ),
    ).toBe(2500);
  });
});

describe("D1–D6: discounts", () => {
  const pct = (p: string, duration: "once" | "repeating" | "forever" = "forever", id = `c${p}`) =>
    makeDiscount({ id, percentOff: p, duration });
  const off = (amount: number, id = `off${amount}`) => makeDiscount({ id, amountOff: amount, currency: "usd" });

  it("D1: 6000 with 25 % repeating = 4500 (6000 × 0.75); ignored → 6000; foreverOnly → 6000", () => {
    const s = { items: [makeItem({}, { quantity: 3 })], discounts: [pct("25", "repeating")] };
    expect(mrrOf(s)).toBe(4500);
    expect(mrrOf(s, { discounts: "ignored" })).toBe(6000);
    expect(mrrOf(s, { discounts: "foreverOnly" })).toBe(6000);
  });
  it("D1 (window): applies a discount only while start ≤ t < end", () => {
    const d = makeDiscount({ percentOff: "25", duration: "repeating" }, { start: T + 1, end: null });
    expect(mrrOf({ items: [makeItem({}, { quantity: 3 })], discounts: [d] })).toBe(6000);
    const ended = makeDiscount({ percentOff: "25", duration: "repeating" }, { start: 0, end: T });
    expect(mrrOf({ items: [makeItem({}, { quantity: 3 })], discounts: [ended] })).toBe(6000);
  });
  it("D2: 1,200.00 yearly with 50.00 off forever = 95.83 ((120000 − 5000) / 12 = 9583.33 → 9583)", () => {
    expect(
      mrrOf({ items: [makeItem({ interval: "year", unitAmountDecimal: "120000" })], discounts: [off(5000)] }),
    ).toBe(9583);
  });
  it("D2 (currency_options): takes amount_off in the subscription currency (eur 1200 off 6000 → 4800)", () => {
    const d = makeDiscount({ amountOff: 1000, currency: "usd", currencyOptions: { eur: 1200 } });
    expect(
      mrrOf({ currency: "eur", items: [makeItem({ currency: "eur", unitAmountDecimal: "6000" })], discounts: [d] }),
    ).toBe(4800);
  });
  it("D3: 30.00 off a 20.00 plan floors at 0 (max(0, 2000 − 3000)), so the customer is not paying", () => {
    expect(mrrOf({ discounts: [off(3000)] })).toBe(0);
    const series = seriesFor([makeVersion(T, { discounts: [off(3000)] })]);
    expect(series).toEqual([]); // never above 0: no row, no new movement
  });
  it("D4: a 50 % once discount never changes MRR (2000)", () => {
    expect(mrrOf({ discounts: [pct("50", "once")] })).toBe(2000);
  });
  it("D5: stacks percents on the running amount (10000 × 0.9 × 0.9 = 8100)", () => {
    expect(
      mrrOf({
        items: [makeItem({ unitAmountDecimal: "10000" })],
        discounts: [pct("10", "forever", "a"), pct("10", "forever", "b")],
      }),
    ).toBe(8100);
  });
  it("D6: order matters: [20 %, 10.00 off] = 10000 × 0.8 − 1000 = 7000; [10.00 off, 20 %] = 9000 × 0.8 = 7200", () => {
    const items = [makeItem({ unitAmountDecimal: "10000" })];
    expect(mrrOf({ items, discounts: [pct("20"), off(1000)] })).toBe(7000);
    expect(mrrOf({ items, discounts: [off(1000), pct("20")] })).toBe(7200);
  });
  it("N6: applies item-level discounts first, then subscription ones: ((10000 − 1000) + 2000) × 0.5 = 5500", () => {
    const items = [
      makeItem({ id: "a", unitAmountDecimal: "10000" }, { discounts: [off(1000)] }),
      makeItem({ id: "b", unitAmountDecimal: "2000" }),
    ];
    expect(mrrOf({ items, discounts: [pct("50")] })).toBe(5500);
  });
});

describe("N7–N11: statuses", () => {
  const yes = { items: [makeItem({}, { quantity: 1 })] };
  it("N7: trialing, incomplete and incomplete_expired contribute 0", () => {
    expect([
      mrrOf({ ...yes, status: "trialing" }),
      mrrOf({ ...yes, status: "incomplete" }),
      mrrOf({ ...yes, status: "incomplete_expired" }),
    ]).toEqual([0, 0, 0]);
  });
  it("N8: past_due counts by default (2000); churnAfterDays 30 drops it after 30 × 86 400 s", () => {
    const since = T - 29 * 86_400_000;
    expect(mrrOf({ ...yes, status: "past_due", pastDueSince: since }, { pastDue: "churnAfterDays" })).toBe(2000);
    expect(
      mrrOf({ ...yes, status: "past_due", pastDueSince: T - 30 * 86_400_000 }, { pastDue: "churnAfterDays" }),
    ).toBe(0);
  });
  it("N9: unpaid is 0 by default, 2000 with unpaid: included", () => {
    expect(mrrOf({ ...yes, status: "unpaid" })).toBe(0);
    expect(mrrOf({ ...yes, status: "unpaid" }, { unpaid: "included" })).toBe(2000);
  });
  it("N10: paused status or pause_collection before resumes_at is 0; included keeps 2000; after resumes_at 2000", () => {
    expect(mrrOf({ ...yes, status: "paused" })).toBe(0);
    expect(mrrOf({ ...yes, pauseCollection: { behavior: "void", resumesAt: T + 1 } })).toBe(0);
    expect(mrrOf({ ...yes, pauseCollection: { behavior: "void", resumesAt: T } })).toBe(2000);
    expect(mrrOf({ ...yes, status: "paused" }, { paused: "included" })).toBe(2000);
  });
  it("N11: a scheduled cancellation keeps MRR until it ends (atEnd); atRequest drops it from canceled_at", () => {
    const scheduled = { ...yes, cancelAtPeriodEnd: true, cancelAt: T + 86_400_000, canceledAt: T - 1 };
    expect(mrrOf(scheduled)).toBe(2000);
    expect(mrrOf(scheduled, { churnRecognition: "atRequest" })).toBe(0);
    expect(mrrOf({ ...yes, status: "canceled", endedAt: T - 1 })).toBe(0);
  });
});
