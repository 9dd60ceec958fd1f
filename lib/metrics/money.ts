/**
 * Exact money arithmetic (metrics.md §1.1, §1.3). Amounts stay BigInt rationals until the one rounding step, so a
 * yearly price per month or a converted euro amount never passes through a float.
 */

/** An exact fraction n/d with d > 0, always in lowest terms. */
export type Rational = { n: bigint; d: bigint };

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

/** Builds n/d in lowest terms with a positive denominator. Throws on d = 0 (a bug, never user input). */
export function rat(n: bigint | number, d: bigint | number = 1n): Rational {
  let nn = typeof n === "bigint" ? n : BigInt(n);
  let dd = typeof d === "bigint" ? d : BigInt(d);
  if (dd === 0n) throw new RangeError("rational with a zero denominator");
  if (dd < 0n) [nn, dd] = [-nn, -dd];
  const g = gcd(nn, dd);
  return g > 1n ? { n: nn / g, d: dd / g } : { n: nn, d: dd };
}

/** The exact zero. */
export const ZERO: Rational = { n: 0n, d: 1n };

const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;

/**
 * Parses a plain decimal string ("2000", "0.5", "-12.5", "1.0987654321") into an exact rational.
 * Exponent notation and empty strings are rejected: Stripe sends `unit_amount_decimal` and `percent_off` as plain
 * decimals, and rates come from our own validated table.
 */
export function parseDecimal(text: string): Rational {
  const m = DECIMAL.exec(text.trim());
  if (!m) throw new RangeError(`not a decimal: ${JSON.stringify(text)}`);
  const frac = m[3] ?? "";
  const n = BigInt((m[2] ?? "0") + frac) * (m[1] ? -1n : 1n);
  return rat(n, 10n ** BigInt(frac.length));
}

/** A setting or rate given as a JS number with few decimals (e.g. 0.8) taken exactly via its shortest string. */
export function fromDecimalNumber(value: number): Rational {
  return parseDecimal(String(value));
}

/** a + b. */
export function add(a: Rational, b: Rational): Rational {
  return rat(a.n * b.d + b.n * a.d, a.d * b.d);
}
/** a − b. */
export function sub(a: Rational, b: Rational): Rational {
  return rat(a.n * b.d - b.n * a.d, a.d * b.d);
}
/** a × b. */
export function mul(a: Rational, b: Rational): Rational {
  return rat(a.n * b.n, a.d * b.d);
}
/** a ÷ b; throws when b is 0, so callers decide what a zero denominator means (usually `null`). */
export function div(a: Rational, b: Rational): Rational {
  if (b.n === 0n) throw new RangeError("division by zero");
  return rat(a.n * b.d, a.d * b.n);
}
/** a = 0. */
export function isZero(a: Rational): boolean {
  return a.n === 0n;
}
/** max(0, a): amounts never go below 0 (N6). */
export function max0(a: Rational): Rational {
  return a.n < 0n ? ZERO : a;
}
/** Σ values (0 for none). */
export function sum(values: Iterable<Rational>): Rational {
  let acc = ZERO;
  for (const v of values) acc = add(acc, v);
  return acc;
}
/** a = b (both are kept in lowest terms). */
export function equals(a: Rational, b: Rational): boolean {
  return a.n === b.n && a.d === b.d;
}

/** Rounds to the nearest integer, halves away from zero (2.5 → 3, −2.5 → −3), as a bigint. */
export function roundHalfAwayBig(a: Rational): bigint {
  const abs = a.n < 0n ? -a.n : a.n;
  const q = (2n * abs + a.d) / (2n * a.d); // floor(|x| + 1/2)
  return a.n < 0n ? -q : q;
}

/** The one rounding step of §1.3: nearest integer, halves away from zero. */
export function roundHalfAwayFromZero(a: Rational): number {
  return Number(roundHalfAwayBig(a));
}

/** "n/d" (or "n" for integers): a lossless, JSON-safe form for breakdowns. */
export function formatRational(a: Rational): string {
  return a.d === 1n ? a.n.toString() : `${a.n}/${a.d}`;
}

/** Parses the output of {@link formatRational}. */
export function parseRational(text: string): Rational {
  const [n, d] = text.split("/");
  return rat(BigInt(n ?? "0"), BigInt(d ?? "1"));
}

const ZERO_DECIMAL = new Set([
  "bif",
  "clp",
  "djf",
  "gnf",
  "jpy",
  "kmf",
  "krw",
  "mga",
  "pyg",
  "rwf",
  "ugx",
  "vnd",
  "vuv",
  "xaf",
  "xof",
  "xpf",
]);
const THREE_DECIMAL = new Set(["bhd", "jod", "kwd", "omr", "tnd"]);

/** The minor-unit exponent Stripe uses for a currency: 0, 3, or else 2. */
export function currencyExponent(currency: string): number {
  const c = currency.toLowerCase();
  if (ZERO_DECIMAL.has(c)) return 0;
  if (THREE_DECIMAL.has(c)) return 3;
  return 2;
}

/**
 * Converts an exact amount in minor units of `from` into minor units of `to` (§1.1):
 * `amountMinor × rate × 10^(e_to − e_from)`. `rate` is the major-unit rate (1 `from` = rate `to`). No rounding.
 */
export function convertMinor(amountMinor: Rational, from: string, to: string, rate: string | Rational): Rational {
  const r = typeof rate === "string" ? parseDecimal(rate) : rate;
  const shift = currencyExponent(to) - currencyExponent(from);
  const scale = shift >= 0 ? rat(10n ** BigInt(shift)) : rat(1n, 10n ** BigInt(-shift));
  return mul(mul(amountMinor, r), scale);
}

/**
 * A ratio as a fraction rounded to 4 decimals, half away from zero (§1.3). Zero (or missing) denominators give
 * `null`, never NaN or Infinity.
 */
export function ratio(numerator: Rational | number, denominator: Rational | number | null): number | null {
  if (denominator === null) return null;
  const n = typeof numerator === "number" ? rat(numerator) : numerator;
  const d = typeof denominator === "number" ? rat(denominator) : denominator;
  if (d.n === 0n) return null;
  return roundToDecimals(div(n, d), 4);
}

/** Rounds an exact value to `places` decimals (half away from zero) and returns the nearest JS number. */
export function roundToDecimals(value: Rational, places: number): number {
  const scale = 10n ** BigInt(places);
  const k = roundHalfAwayBig(mul(value, rat(scale)));
  return Number(k) / Number(scale);
}

/** Exact integer as a rational, from a JS safe integer (minor units). */
export function fromMinor(amount: number): Rational {
  if (!Number.isSafeInteger(amount)) throw new RangeError(`not an integer amount: ${amount}`);
  return rat(BigInt(amount));
}
