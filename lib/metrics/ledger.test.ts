import { describe, expect, it } from "vitest";
import { groupLedgerByCustomer, listDailyMrr } from "./ledger";
import { changesFromSteps } from "./testing/series";

const changes = [
  ...changesFromSteps("a", [
    ["2026-06-02", 1000],
    ["2026-06-04", 0],
  ]),
  ...changesFromSteps("b", [
    ["2026-05-20", 500],
    ["2026-06-03", 700],
  ]),
];

describe("ledger reads", () => {
  it("sums customers' latest rows per day: Jun 1 500, Jun 2 1500, Jun 3 1700, Jun 4 700", () => {
    expect(listDailyMrr(changes, "2026-06-01", "2026-06-04")).toEqual([
      { day: "2026-06-01", mrr: 500 },
      { day: "2026-06-02", mrr: 1500 },
      { day: "2026-06-03", mrr: 1700 },
      { day: "2026-06-04", mrr: 700 },
    ]);
  });
  it("groups rows by customer in day order, the MrrSeries shape other KPIs read", () => {
    const grouped = groupLedgerByCustomer([...changes].reverse());
    expect(Object.keys(grouped).sort()).toEqual(["a", "b"]);
    expect(grouped.b?.map((r) => [r.day, r.mrr, r.kind])).toEqual([
      ["2026-05-20", 500, "new"],
      ["2026-06-03", 700, "expansion"],
    ]);
  });
});
