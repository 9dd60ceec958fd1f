import { describe, expect, it } from "vitest";
import type { JudgedVersion } from "@/db/queries/ledger-refresh";
import { makeVersion } from "@/lib/metrics/testing/builders";
import { judgeVersions } from "./ledger";

const DAY = 86_400_000;
/** A version of `sub` on day `d` with `quantity` seats, stored with judgment `repeats`. */
const v = (sub: string, d: number, quantity: number, repeats: boolean | null): JudgedVersion => {
  const version = makeVersion(Date.UTC(2026, 0, 1) + d * DAY, { subscriptionId: sub }, `evt_${sub}_${d}`);
  version.state.items = version.state.items.map((i) => ({ ...i, quantity }));
  return { customerId: "cus_1", subscriptionId: sub, version, repeats };
};

describe("judgeVersions", () => {
  it("compares each version with the one read before it of its own subscription", () => {
    // sub a: 1 seat, a renewal (stored null: not judged yet), 2 seats; sub b: 1 seat, interleaved with a.
    const read = [v("a", 0, 1, false), v("b", 1, 1, false), v("a", 30, 1, null), v("a", 40, 2, false)];
    const { changes, judged } = judgeVersions(read);
    expect(changes.map((c) => c.version.eventId)).toEqual(["evt_a_0", "evt_b_1", "evt_a_40"]);
    expect(judged).toEqual([{ subscriptionId: "a", eventId: "evt_a_30", repeats: true }]);
  });

  it("corrects a stored judgment in either direction, and writes none that is right", () => {
    // A version stored as a repeat whose state differs (a concurrent insert before it), and one stored as a change
    // that now repeats (the version before it was inserted late with the same state).
    const read = [v("a", 0, 1, false), v("a", 10, 3, true), v("a", 20, 3, false), v("a", 30, 1, false)];
    expect(judgeVersions(read).judged).toEqual([
      { subscriptionId: "a", eventId: "evt_a_10", repeats: false },
      { subscriptionId: "a", eventId: "evt_a_20", repeats: true },
    ]);
    expect(judgeVersions(read).changes.map((c) => c.version.eventId)).toEqual(["evt_a_0", "evt_a_10", "evt_a_30"]);
  });
});
