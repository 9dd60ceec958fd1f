import { describe, expect, it } from "vitest";
import {
  add,
  convertMinor,
  currencyExponent,
  div,
  formatRational,
  mul,
  parseDecimal,
  parseRational,
  rat,
  ratio,
  roundHalfAwayFromZero,
} from "./money";

describe("money", () => {
  it('parses decimal strings exactly ("12.5" = 25/2, "0.0067" = 67/10000, 10-place rates)', () => {
    expect(parseDecimal("12.5")).toEqual({ n: 25n, d: 2n });
    expect(parseDecimal("0.0067")).toEqual({ n: 67n, d: 10000n });
    expect(parseDecimal("1.0987654321")).toEqual({ n: 10987654321n, d: 10000000000n });
    expect(parseDecimal("-0.5")).toEqual({ n: -1n, d: 2n });
    expect(() => parseDecimal("1e3")).toThrow();
  });

  it("adds, multiplies and divides as fractions in lowest terms (1/3 + 1/6 = 1/2; 2/3 × 3/4 = 1/2)", () => {
    expect(add(rat(1, 3), rat(1, 6))).toEqual({ n: 1n, d: 2n });
    expect(mul(rat(2, 3), rat(3, 4))).toEqual({ n: 1n, d: 2n });
    expect(div(rat(1), rat(-4))).toEqual({ n: -1n, d: 4n });
  });

  it("rounds halves away from zero (2.5 → 3, −2.5 → −3, 8333.33 → 8333, 3041.67 → 3042)", () => {
    expect(roundHalfAwayFromZero(rat(5, 2))).toBe(3);
    expect(roundHalfAwayFromZero(rat(-5, 2))).toBe(-3);
    expect(roundHalfAwayFromZero(rat(100000, 12))).toBe(8333);
    expect(roundHalfAwayFromZero(rat(36500, 12))).toBe(3042);
    expect(roundHalfAwayFromZero(rat(-7, 3))).toBe(-2);
  });

  it("knows Stripe's exponents: jpy 0, kwd 3, usd and eur 2", () => {
    expect([
      currencyExponent("jpy"),
      currencyExponent("kwd"),
      currencyExponent("usd"),
      currencyExponent("eur"),
    ]).toEqual([0, 3, 2, 2]);
  });

  it("converts minor units with the exponent shift (1200 jpy × 0.0067 × 10^(2−0) = 804 usd cents)", () => {
    expect(convertMinor(rat(1200), "jpy", "usd", "0.0067")).toEqual({ n: 804n, d: 1n });
    expect(convertMinor(rat(1000), "kwd", "usd", "3.25")).toEqual({ n: 325n, d: 1n }); // 1.000 KWD → 3.25 USD
  });

  it("gives ratios to 4 decimals and null on a zero denominator (7700 / 10700 = 0.71962… → 0.7196; 3/13 → 0.2308)", () => {
    expect(ratio(7700, 10700)).toBe(0.7196);
    expect(ratio(3, 13)).toBe(0.2308);
    expect(ratio(1, 0)).toBeNull();
    expect(ratio(0, 0)).toBeNull();
  });

  it("round-trips rationals through their string form", () => {
    expect(parseRational(formatRational(rat(100000, 12)))).toEqual(rat(25000, 3));
    expect(formatRational(rat(4500))).toBe("4500");
  });
});
