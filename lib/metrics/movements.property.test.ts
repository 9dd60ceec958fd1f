import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { computeMovementPeriods } from "./movement-periods";
import { toMrrChanges, type MrrChange } from "./movements";
import { defaultMetricPolicy, type MetricPolicy } from "./policy";
import { listTrialMarks, listTrialOutcomes } from "./trials";
import { makeDiscount, makeItem, makeVersion } from "./testing/builders";
import { mrrOn, seriesFor } from "./testing/series";
import { addDays, type Interval } from "./time";
import type { FxRate, SubscriptionStatus, SubscriptionVersion } from "./types";

const JAN1 = Date.UTC(2026, 0, 1);
const SPAN = 200 * 86_400_000;
const statuses: SubscriptionStatus[] = [
  "active",
  "active",
  "active",
  "trialing",
  "past_due",
  "unpaid",
  "canceled",
  "paused",
  "incomplete",
];

const versionArb = (subscriptionId: string, currency: string) =>
  fc
    .record({
      offset: fc.integer({ min: 0, max: SPAN }),
      status: fc.constantFrom(...statuses),
      quantity: fc.integer({ min: 0, max: 5 }),
      unit: fc.integer({ min: 0, max: 20000 }),
      interval: fc.constantFrom("month", "year", "week", "day") as fc.Arbitrary<"month" | "year" | "week" | "day">,
      discount: fc.option(
        fc.record({
          pct: fc.integer({ min: 1, max: 100 }),
          start: fc.integer({ min: 0, max: SPAN }),
          len: fc.integer({ min: 1, max: 90 }),
        }),
      ),
      cancelRequested: fc.boolean(),
      pause: fc.option(fc.integer({ min: 0, max: 60 })),
    })
    .map((r): SubscriptionVersion =>
      makeVersion(
        JAN1 + r.offset,
        {
          subscriptionId,
          currency,
          status: r.status,
          items: [
            makeItem({ currency, unitAmountDecimal: String(r.unit), interval: r.interval }, { quantity: r.quantity }),
          ],
          discounts: r.discount
            ? [
                makeDiscount(
                  { id: `c${r.discount.pct}`, percentOff: String(r.discount.pct), duration: "repeating" },
                  { start: JAN1 + r.discount.start, end: JAN1 + r.discount.start + r.discount.len * 86_400_000 },
                ),
              ]
            : [],
          canceledAt: r.cancelRequested ? JAN1 + r.offset : null,
          cancelAtPeriodEnd: r.cancelRequested,
          pauseCollection:
            r.pause === null ? null : { behavior: "void", resumesAt: JAN1 + r.offset + r.pause * 86_400_000 },
          endedAt: r.status === "canceled" ? JAN1 + r.offset : null,
          pastDueSince: r.status === "past_due" ? JAN1 + r.offset : null,
        },
        `evt_${subscriptionId}_${r.offset}`,
      ),
    );

const customerArb = (customerId: string) =>
  fc
    .array(fc.tuple(fc.constantFrom("usd", "eur", "jpy"), fc.integer({ min: 1, max: 5 })), {
      minLength: 1,
      maxLength: 3,
    })
    .chain((subs) =>
      fc.tuple(
        ...subs.map(([cur, n], i) => fc.array(versionArb(`${customerId}_s${i}`, cur), { minLength: 1, maxLength: n })),
      ),
    )
    .map((lists) => ({ customerId, versions: lists.flat() }));

const policyArb: fc.Arbitrary<MetricPolicy> = fc
  .record({
    pastDue: fc.constantFrom("included", "churnAfterDays") as fc.Arbitrary<MetricPolicy["pastDue"]>,
    pastDueChurnDays: fc.integer({ min: 1, max: 90 }),
    churnRecognition: fc.constantFrom("atEnd", "atRequest") as fc.Arbitrary<MetricPolicy["churnRecognition"]>,
    fxRate: fc.constantFrom("lastChange", "daily") as fc.Arbitrary<MetricPolicy["fxRate"]>,
    discounts: fc.constantFrom("applied", "ignored") as fc.Arbitrary<MetricPolicy["discounts"]>,
    reactivationWindowDays: fc.option(fc.integer({ min: 0, max: 60 })),
  })
  .map((p) => ({ ...defaultMetricPolicy, ...p }));

const ratesArb: fc.Arbitrary<FxRate[]> = fc.array(
  fc.record({
    currency: fc.constantFrom("eur", "jpy"),
    rateDate: fc.integer({ min: -10, max: 200 }).map((d) => addDays("2026-01-01", d)),
    rate: fc.integer({ min: 1, max: 30000 }).map((n) => (n / 10000).toFixed(4)),
  }),
  { maxLength: 8 },
);

const periodArb = fc.record({
  from: fc.integer({ min: -20, max: 190 }).map((d) => addDays("2026-01-01", d)),
  days: fc.integer({ min: 0, max: 120 }),
  interval: fc.constantFrom("day", "week", "month", "quarter") as fc.Arbitrary<Interval>,
});

const KINDS = ["new", "expansion", "contraction", "churn", "reactivation"] as const;
const flow = (p: {
  new: number;
  expansion: number;
  contraction: number;
  churn: number;
  reactivation: number;
  fxImpact: number;
}) => KINDS.reduce((a, k) => a + p[k], 0) + p.fxImpact;

describe("movement invariants over random subscription histories", () => {
  it("keeps startMrr + movements + fxImpact = endMrr per customer and per period, and endMrr(P) = startMrr(next P)", () => {
    fc.assert(
      fc.property(
        fc
          .array(fc.integer(), { minLength: 1, maxLength: 4 })
          .chain((ids) => fc.tuple(...ids.map((_, i) => customerArb(`cus_${i}`)))),
        policyArb,
        ratesArb,
        periodArb,
        (customers, policy, fxRates, period) => {
          const to = addDays(period.from, period.days);
          const all: MrrChange[] = [];
          for (const c of customers) {
            const series = seriesFor(c.versions, { policy, fxRates, toDay: "2026-12-31" });
            const changes = toMrrChanges(c.customerId, series, policy);
            let prev = 0;
            for (const ch of changes) {
              expect(ch.previousMrr).toBe(prev);
              expect(ch.previousMrr + ch.amount + ch.fxImpact).toBe(ch.mrr);
              if (ch.kind === "churn") expect(ch.mrr).toBe(0);
              if (ch.kind === "new" || ch.kind === "reactivation") expect(ch.amount).toBe(ch.mrr);
              if (policy.fxRate === "lastChange") expect(ch.fxImpact).toBe(0);
              prev = ch.mrr;
            }
            const own = computeMovementPeriods({ changes, from: period.from, to, interval: period.interval }).value;
            own.forEach((p, i) => {
              expect(p.startMrr + flow(p)).toBe(p.endMrr);
              expect(p.startMrr).toBe(mrrOn(series, addDays(p.start, -1)));
              expect(p.endMrr).toBe(mrrOn(series, p.end));
              const next = own[i + 1];
              if (next) expect(next.startMrr).toBe(p.endMrr);
            });
            all.push(...changes);
          }
          const periods = computeMovementPeriods({
            changes: all,
            from: period.from,
            to,
            interval: period.interval,
          }).value;
          periods.forEach((p, i) => {
            expect(p.startMrr + flow(p)).toBe(p.endMrr);
            const next = periods[i + 1];
            if (next) expect(next.startMrr).toBe(p.endMrr);
            expect(p.churnedCustomers).toBeLessThanOrEqual(customers.length);
          });
        },
      ),
      { numRuns: 150 },
    );
  });
});

/** A copy of the version of its subscription in force at `at` (the same state), from a later event. */
function repeatAt(versions: readonly SubscriptionVersion[], subscriptionId: string, at: number) {
  const inForce = versions
    .filter((v) => v.state.subscriptionId === subscriptionId && v.validFrom <= at)
    .sort((a, b) => a.validFrom - b.validFrom)
    .at(-1);
  return inForce && { validFrom: at, state: structuredClone(inForce.state), eventId: `evt_repeat_${at}` };
}

describe("versions that repeat the state before them (renewals)", () => {
  it("change no series row, event id, trial mark or trial outcome", () => {
    fc.assert(
      fc.property(
        customerArb("cus_r"),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: SPAN })), { minLength: 1, maxLength: 8 }),
        policyArb,
        (customer, picks, policy) => {
          const subs = [...new Set(customer.versions.map((v) => v.state.subscriptionId))];
          // Copies go after the originals: a copy at an original's instant repeats it (the sort keeps input order).
          const withRepeats = [...customer.versions];
          for (const [n, offset] of picks) {
            const copy = repeatAt(withRepeats, subs[n % subs.length]!, JAN1 + offset);
            if (copy) withRepeats.push(copy);
          }
          const options = { policy, toDay: "2026-12-31" };
          expect(seriesFor(withRepeats, options)).toEqual(seriesFor(customer.versions, options));
          const trials = { policy, timeZone: "UTC" };
          expect(listTrialMarks({ versions: withRepeats, ...trials })).toEqual(
            listTrialMarks({ versions: customer.versions, ...trials }),
          );
          for (const asOf of ["2026-03-01", "2026-07-20"])
            expect(listTrialOutcomes({ versions: withRepeats, ...trials, asOf })).toEqual(
              listTrialOutcomes({ versions: customer.versions, ...trials, asOf }),
            );
        },
      ),
      { numRuns: 200 },
    );
  });
});
