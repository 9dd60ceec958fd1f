import { describe, expect, it } from "vitest";
import { defaultMetricPolicy } from "./policy";
import { at, makeVersion } from "./testing/builders";
import { addDays, endOfLocalDay } from "./time";
import { listTrialMarks, listTrialOutcomes, trialOutcomesAsOf } from "./trials";
import type { SubscriptionVersion } from "./types";

const trialing = (sub: string, from: string, end: string, customer = "cus_1") =>
  makeVersion(at(from), { subscriptionId: sub, customerId: customer, status: "trialing", trialEnd: at(end) });
const active = (sub: string, from: string, customer = "cus_1") =>
  makeVersion(at(from), { subscriptionId: sub, customerId: customer });
const canceled = (sub: string, from: string, customer = "cus_1") =>
  makeVersion(at(from), { subscriptionId: sub, customerId: customer, status: "canceled", endedAt: at(from) });

// Histories whose outcome depends on what is known on the as-of day.
const versions: SubscriptionVersion[] = [
  // Converts, but Stripe's update lands two days after the trial end: between the two the trial ended unconverted.
  trialing("sub_late", "2026-03-01T10:00:00Z", "2026-03-15T10:00:00Z"),
  active("sub_late", "2026-03-17T08:00:00Z"),
  // Converts on time.
  trialing("sub_ok", "2026-03-02T09:00:00Z", "2026-03-16T09:00:00Z", "cus_2"),
  active("sub_ok", "2026-03-16T09:00:00Z", "cus_2"),
  // Extended once (trialing → trialing), then canceled.
  trialing("sub_ext", "2026-03-01T12:00:00Z", "2026-03-10T12:00:00Z", "cus_3"),
  trialing("sub_ext", "2026-03-08T12:00:00Z", "2026-03-20T12:00:00Z", "cus_3"),
  canceled("sub_ext", "2026-03-19T12:00:00Z", "cus_3"),
  // Two trials: converted, churned, trialed again and converted again.
  trialing("sub_two", "2026-02-01T00:00:00Z", "2026-02-15T00:00:00Z", "cus_4"),
  active("sub_two", "2026-02-15T00:00:00Z", "cus_4"),
  canceled("sub_two", "2026-02-28T00:00:00Z", "cus_4"),
  trialing("sub_two", "2026-03-05T00:00:00Z", "2026-03-12T00:00:00Z", "cus_4"),
  active("sub_two", "2026-03-12T00:00:00Z", "cus_4"),
  // Still trialing at the end of the range.
  trialing("sub_run", "2026-03-20T00:00:00Z", "2026-04-30T00:00:00Z", "cus_5"),
];

const sortOutcomes = <T extends { subscriptionId: string }>(list: T[]) =>
  [...list].sort((a, b) => (a.subscriptionId < b.subscriptionId ? -1 : 1));

describe("trial marks", () => {
  it.each(["UTC", "America/Los_Angeles", "Pacific/Auckland"])(
    "give the outcomes of the histories known on each as-of day (%s)",
    (timeZone) => {
      const marks = listTrialMarks({ versions, policy: defaultMetricPolicy, timeZone });
      expect(marks).toHaveLength(7);
      for (let asOf = "2026-02-10"; asOf <= "2026-04-05"; asOf = addDays(asOf, 1)) {
        const before = endOfLocalDay(asOf, timeZone);
        const known = versions.filter((v) => v.validFrom < before);
        const reference = listTrialOutcomes({ versions: known, policy: defaultMetricPolicy, timeZone, asOf });
        expect({ asOf, outcomes: sortOutcomes(trialOutcomesAsOf(marks, asOf, timeZone)) }).toEqual({
          asOf,
          outcomes: sortOutcomes(reference),
        });
      }
    },
  );

  it("judge the late update by what was known: unconverted on 2026-03-16, converted from 2026-03-17", () => {
    const marks = listTrialMarks({ versions, policy: defaultMetricPolicy, timeZone: "UTC" });
    const late = (asOf: string) => trialOutcomesAsOf(marks, asOf, "UTC").find((o) => o.subscriptionId === "sub_late");
    expect(late("2026-03-14")).toBeUndefined();
    expect(late("2026-03-16")).toMatchObject({ endedOn: "2026-03-15", converted: false });
    expect(late("2026-03-17")).toMatchObject({ endedOn: "2026-03-17", converted: true });
    const two = trialOutcomesAsOf(marks, "2026-03-31", "UTC").find((o) => o.subscriptionId === "sub_two");
    expect(two).toMatchObject({ endedOn: "2026-03-12", converted: true });
    const ext = trialOutcomesAsOf(marks, "2026-03-31", "UTC").find((o) => o.subscriptionId === "sub_ext");
    expect(ext).toMatchObject({ endedOn: "2026-03-19", converted: false });
  });
});
