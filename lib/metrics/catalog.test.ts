import { describe, expect, it } from "vitest";
import { financeCatalog } from "./catalog";
import { computeHeadline } from "./headline";
import { defaultMetricPolicy } from "./policy";

describe("finance catalog", () => {
  it("describes exactly the keys the headline returns, each with a label and a definition", () => {
    const keys = Object.keys(
      computeHeadline({ changes: [], asOf: "2026-06-20", policy: defaultMetricPolicy }).values,
    ).sort();
    expect(Object.keys(financeCatalog).sort()).toEqual(keys);
    for (const entry of Object.values(financeCatalog))
      expect(entry.label.length * entry.definition.length).toBeGreaterThan(0);
  });
  it("marks ratios as ratio and money KPIs as money (arpa money, nrr ratio, cacPaybackMonths months)", () => {
    expect([financeCatalog.arpa.unit, financeCatalog.nrr.unit, financeCatalog.cacPaybackMonths.unit]).toEqual([
      "money",
      "ratio",
      "months",
    ]);
    expect(financeCatalog.arr.policies).toContain("arr");
  });
});
