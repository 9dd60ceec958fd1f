import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addDays,
  daysInMonthOf,
  diffDays,
  medianR,
  percentileR,
  roundR,
  toRational,
  toRationalFromNumber,
  toRatio,
} from "./kpi-math";

describe("kpi-math", () => {
  it("rounds half away from zero (2.5 → 3, −2.5 → −3, 0.00005 → 0.0001 at 4 decimals)", () => {
    expect(roundR(toRational(5n, 2n))).toBe(3);
    expect(roundR(toRational(-5n, 2n))).toBe(-3);
    expect(roundR(toRational(1n, 20000n), 4)).toBe(0.0001);
    expect(roundR(toRational(-1n, 20000n), 4)).toBe(-0.0001);
  });

  it("gives null, never NaN or Infinity, on a zero denominator", () => {
    expect(toRatio(5, 0)).toBeNull();
    expect(toRatio(0, 0)).toBeNull();
    expect(toRatio(2, 3)).toBe(0.6667);
  });

  it("keeps decimal settings exact (0.3 = 3/10, 0.15 = 3/20)", () => {
    expect(toRationalFromNumber(0.3)).toEqual({ n: 3n, d: 10n });
    expect(toRationalFromNumber(0.15)).toEqual({ n: 3n, d: 20n });
    expect(toRationalFromNumber(1e-7)).toEqual({ n: 1n, d: 10000000n });
  });

  it("takes the median as the mean of the two middle values and p90 by nearest rank", () => {
    const values = [600, 1200, 3600, 300].map((v) => toRational(v));
    expect(medianR(values)).toEqual(toRational(900));
    expect(percentileR(values, toRational(9n, 10n))).toEqual(toRational(3600));
    expect(medianR([])).toBeNull();
  });

  it("steps days across month and year ends (Feb 2028 has 29 days)", () => {
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(diffDays("2026-04-17", "2026-06-01")).toBe(45);
    expect(daysInMonthOf("2028-02-10")).toBe(29);
  });

  it("agrees with integer arithmetic on random ratios (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 1, max: 1_000_000 }), (n, d) => {
        const expected = Math.floor((n * 10000) / d + 0.5) / 10000;
        return Math.abs((toRatio(n, d) ?? NaN) - expected) < 1e-9;
      }),
    );
  });
});
