import { describe, expect, it } from "vitest";
import { buildRateTable, findRate } from "./fx";
import type { FxRate } from "./types";

describe("rate tables", () => {
  const rates: FxRate[] = [
    { currency: "eur", rateDate: "2026-06-01", rate: "1.10" },
    { currency: "eur", rateDate: "2026-05-01", rate: "1.05" },
    { currency: "gbp", rateDate: "2026-06-01", rate: "1.25" },
  ];

  it("finds the latest rate dated on or before the day; 1 for the reporting currency; none before the first", () => {
    const table = buildRateTable(rates, "usd");
    expect(findRate(table, "eur", "2026-05-31")).toEqual({
      rate: { n: 21n, d: 20n },
      rateDate: "2026-05-01",
      stale: true,
    });
    expect(findRate(table, "eur", "2026-06-03")).toEqual({
      rate: { n: 11n, d: 10n },
      rateDate: "2026-06-01",
      stale: false,
    });
    expect(findRate(table, "usd", "2026-06-03")?.rate).toEqual({ n: 1n, d: 1n });
    expect(findRate(table, "gbp", "2026-05-31")).toBeNull();
    expect(findRate(table, "chf", "2026-06-03")).toBeNull();
  });

  it("is built once per rates array and reporting currency, and again for other rates", () => {
    const table = buildRateTable(rates, "usd");
    expect(buildRateTable(rates, "usd")).toBe(table);
    expect(buildRateTable(rates, "eur")).not.toBe(table);
    const later = [...rates, { currency: "eur", rateDate: "2026-06-02", rate: "1.20" }];
    expect(findRate(buildRateTable(later, "usd"), "eur", "2026-06-03")?.rate).toEqual({ n: 6n, d: 5n });
    expect(findRate(buildRateTable(rates, "usd"), "eur", "2026-06-03")?.rate).toEqual({ n: 11n, d: 10n });
  });
});
