/**
 * Exact arithmetic and day helpers for the marketing and customer-success KPIs. Ratios are kept as BigInt
 * fractions until the one final rounding (metrics.md §1.3: half away from zero; ratios to 4 decimals; null on a zero
 * denominator, never NaN or Infinity). Kept private to these KPIs so they don't depend on the MRR engine's money.ts.
 */
import type { Day } from "./types";

/** An exact fraction n / d with d > 0. */
export type Rational = { readonly n: bigint; readonly d: bigint };

const abs = (x: bigint) => (x < 0n ? -x : x);
const gcd = (a: bigint, b: bigint): bigint => {
  let [x, y] = [abs(a), abs(b)];
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
};

export function toRational(n: bigint | number, d: bigint | number = 1n): Rational {
  let [num, den] = [BigInt(n), BigInt(d)];
  if (den === 0n) throw new RangeError("zero denominator");
  if (den < 0n) [num, den] = [-num, -den];
  const g = gcd(num, den) || 1n;
  return { n: num / g, d: den / g };
}

/**
 * The exact value of a finite decimal number such as a setting (0.8, 0.3) or a count. Going through the shortest
 * decimal string keeps 0.3 as 3/10 instead of the binary double 5404319552844595/18014398509481984.
 */
export function toRationalFromNumber(x: number): Rational {
  if (!Number.isFinite(x)) throw new RangeError(`not a finite number: ${x}`);
  if (Number.isInteger(x)) return toRational(BigInt(x));
  const [mantissa = "0", exponent = "0"] = x.toString().split("e");
  const [whole = "0", fraction = ""] = mantissa.split(".");
  const scale = fraction.length - Number(exponent);
  const digits = BigInt(`${whole}${fraction}`);
  return scale >= 0 ? toRational(digits, 10n ** BigInt(scale)) : toRational(digits * 10n ** BigInt(-scale));
}

const lift = (x: Rational | number): Rational => (typeof x === "number" ? toRationalFromNumber(x) : x);

export const addR = (a: Rational | number, b: Rational | number): Rational => {
  const [x, y] = [lift(a), lift(b)];
  return toRational(x.n * y.d + y.n * x.d, x.d * y.d);
};
export const subR = (a: Rational | number, b: Rational | number): Rational => addR(a, mulR(b, -1));
export const mulR = (a: Rational | number, b: Rational | number): Rational => {
  const [x, y] = [lift(a), lift(b)];
  return toRational(x.n * y.n, x.d * y.d);
};
/** a ÷ b, or null when b is 0. */
export const divR = (a: Rational | number, b: Rational | number): Rational | null => {
  const [x, y] = [lift(a), lift(b)];
  return y.n === 0n ? null : toRational(x.n * y.d, x.d * y.n);
};
export const sumR = (values: Iterable<Rational | number>): Rational => {
  let total = toRational(0n);
  for (const value of values) total = addR(total, value);
  return total;
};
export const compareR = (a: Rational | number, b: Rational | number): number => {
  const diff = subR(a, b).n;
  return diff === 0n ? 0 : diff < 0n ? -1 : 1;
};
export const minR = (a: Rational, b: Rational): Rational => (compareR(a, b) <= 0 ? a : b);

/** Rounds half away from zero to `decimals` places (0 gives an integer). */
export function roundR(value: Rational | number, decimals = 0): number {
  const x = lift(value);
  const scale = 10n ** BigInt(decimals);
  const scaled = abs(x.n) * scale;
  let q = scaled / x.d;
  if ((scaled % x.d) * 2n >= x.d) q += 1n;
  const signed = x.n < 0n ? -q : q;
  return Number(signed) / Number(scale);
}

/** A ratio as a 4-decimal fraction, or null on a zero denominator. */
export function toRatio(numerator: Rational | number, denominator: Rational | number): number | null {
  const q = divR(numerator, denominator);
  return q === null ? null : roundR(q, 4);
}

/** The median of exact values: the middle one, or the mean of the two middle ones; null for none. */
export function medianR(values: readonly Rational[]): Rational | null {
  const sorted = [...values].sort(compareR);
  const n = sorted.length;
  if (n === 0) return null;
  const hi = sorted[Math.floor(n / 2)] as Rational;
  return n % 2 === 1 ? hi : mulR(addR(sorted[n / 2 - 1] as Rational, hi), toRational(1n, 2n));
}

/** Nearest-rank percentile: the ⌈p·n⌉-th value in ascending order; null for none. `p` is a fraction (0.9). */
export function percentileR(values: readonly Rational[], p: Rational): Rational | null {
  const sorted = [...values].sort(compareR);
  if (sorted.length === 0) return null;
  const rank = mulR(p, sorted.length);
  const k = Number((rank.n + rank.d - 1n) / rank.d); // ceiling for a positive rank
  return sorted[Math.min(Math.max(k, 1), sorted.length) - 1] as Rational;
}

export function meanR(values: readonly Rational[]): Rational | null {
  return values.length === 0 ? null : divR(sumR(values), values.length);
}

// Days are `YYYY-MM-DD` strings already in the workspace time zone; converting to a UTC epoch day is only a way to
// count and step, so no time zone is involved here.
const MS_PER_DAY = 86_400_000;

export function toEpochDay(day: Day): number {
  const [y, m, d] = day.split("-").map(Number);
  return Date.UTC(y as number, (m as number) - 1, d as number) / MS_PER_DAY;
}

export function fromEpochDay(epochDay: number): Day {
  return new Date(epochDay * MS_PER_DAY).toISOString().slice(0, 10);
}

export const addDays = (day: Day, n: number): Day => fromEpochDay(toEpochDay(day) + n);
/** Whole days from `from` to `to` (positive when `to` is later). */
export const diffDays = (from: Day, to: Day): number => toEpochDay(to) - toEpochDay(from);

/** The days of a month "YYYY-MM-…" as a count (28–31). */
export function daysInMonthOf(day: Day): number {
  const [y, m] = day.split("-").map(Number);
  return new Date(Date.UTC(y as number, m as number, 0)).getUTCDate();
}

export const monthOf = (day: Day): string => day.slice(0, 7);
export const firstDayOfMonth = (day: Day): Day => `${monthOf(day)}-01`;

/** Every day from start to end, inclusive. */
export function listDays(start: Day, end: Day): Day[] {
  const days: Day[] = [];
  for (let e = toEpochDay(start), last = toEpochDay(end); e <= last; e++) days.push(fromEpochDay(e));
  return days;
}
