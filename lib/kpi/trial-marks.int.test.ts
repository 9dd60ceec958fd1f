import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/db/client";
import { countTrialOutcomes } from "@/db/queries/finance";
import { replaceTrialMarks } from "@/db/queries/mrr";
import { trialMarks } from "@/db/schema";
import { createTestDb } from "@/db/testing";
import { createTestWorkspace } from "@/db/testing/factories";
import { defaultMetricPolicy } from "@/lib/metrics/policy";
import { at, makeVersion } from "@/lib/metrics/testing/builders";
import { addDays, endOfLocalDay, resolvePeriod, startOfLocalDay } from "@/lib/metrics/time";
import { listTrialMarks, listTrialOutcomes } from "@/lib/metrics/trials";
import type { SubscriptionVersion } from "@/lib/metrics/types";

// The trial conversion rate of any as-of day is counted in SQL from the trial marks the ledger keeps (ADR 0010);
// the reference is listTrialOutcomes over the subscription versions known that day.

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

let h: DbHandle;
let workspaceId: string;
beforeAll(async () => {
  h = await createTestDb();
  workspaceId = (await createTestWorkspace(h.db)).id;
});
afterAll(async () => h?.close());

describe("trial marks", () => {
  it.each(["UTC", "America/Los_Angeles", "Pacific/Auckland"])(
    "count the outcomes of the histories known on each as-of day, for its week and its month (%s)",
    async (timeZone) => {
      const marks = listTrialMarks({ versions, policy: defaultMetricPolicy, timeZone });
      expect(marks).toHaveLength(7);
      await h.db.delete(trialMarks);
      await replaceTrialMarks(workspaceId, h.db, [], marks);
      let counted = 0;
      for (let asOf = "2026-02-10"; asOf <= "2026-04-05"; asOf = addDays(asOf, 1)) {
        const before = endOfLocalDay(asOf, timeZone);
        const known = versions.filter((v) => v.validFrom < before);
        const outcomes = listTrialOutcomes({ versions: known, policy: defaultMetricPolicy, timeZone, asOf });
        for (const interval of ["week", "month"] as const) {
          const period = resolvePeriod(asOf, interval);
          const inPeriod = outcomes.filter((o) => o.endedOn >= period.start && o.endedOn <= period.end);
          const range = { from: new Date(startOfLocalDay(period.start, timeZone)), before: new Date(before) };
          expect({ asOf, interval, ...(await countTrialOutcomes(workspaceId, h.db, range)) }).toEqual({
            asOf,
            interval,
            ended: inPeriod.length,
            converted: inPeriod.filter((o) => o.converted).length,
          });
          counted += inPeriod.length;
        }
      }
      expect(counted).toBeGreaterThan(20);
    },
  );

  it("judge the late update by what was known: unconverted on 2026-03-16, converted from 2026-03-17", async () => {
    const marks = listTrialMarks({
      versions: versions.filter((v) => v.state.subscriptionId === "sub_late"),
      policy: defaultMetricPolicy,
      timeZone: "UTC",
    });
    await h.db.delete(trialMarks);
    await replaceTrialMarks(workspaceId, h.db, [], marks);
    const count = (from: string, asOf: string) =>
      countTrialOutcomes(workspaceId, h.db, {
        from: new Date(`${from}T00:00:00Z`),
        before: new Date(endOfLocalDay(asOf, "UTC")),
      });
    expect(await count("2026-03-01", "2026-03-14")).toEqual({ ended: 0, converted: 0 });
    // ended on its trial end (2026-03-15), unconverted: the update was not known yet
    expect(await count("2026-03-15", "2026-03-16")).toEqual({ ended: 1, converted: 0 });
    // from 2026-03-17 the update is known: the trial ended that day, converted (and no longer on the 15th)
    expect(await count("2026-03-17", "2026-03-17")).toEqual({ ended: 1, converted: 1 });
    expect(await count("2026-03-15", "2026-03-17")).toEqual({ ended: 1, converted: 1 });
  });
});
