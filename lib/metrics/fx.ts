/**
 * FX rates for MRR and flows (metrics.md §1.1, N17). The rate for day d is the row with the latest rateDate ≤ d;
 * the reporting currency converts at 1; a rate dated more than 7 days before the day it serves is stale.
 */
import { add, convertMinor, parseDecimal, roundHalfAwayFromZero, ZERO, type Rational } from "./money";
import { diffDays } from "./time";
import type { Day, FxRate } from "./types";

/** Read-only: a table is shared by every caller that built it from the same rates (`buildRateTable`). */
export type RateTable = {
  readonly reportingCurrency: string;
  readonly byCurrency: ReadonlyMap<string, readonly { readonly rateDate: Day; readonly rate: Rational }[]>;
};

/**
 * Tables already built, by the rates array they came from: a rebuild or a policy change builds one per customer
 * from the same workspace rates. Rates arrays are never changed once loaded (they are readonly everywhere).
 */
const built = new WeakMap<readonly FxRate[], Map<string, RateTable>>();

/** Indexes rate rows by currency, sorted by date (a later row for the same date wins). */
export function buildRateTable(fxRates: readonly FxRate[], reportingCurrency: string): RateTable {
  const cached = built.get(fxRates)?.get(reportingCurrency);
  if (cached) return cached;
  const table = rateTableOf(fxRates, reportingCurrency);
  (built.get(fxRates) ?? built.set(fxRates, new Map()).get(fxRates)!).set(reportingCurrency, table);
  return table;
}

function rateTableOf(fxRates: readonly FxRate[], reportingCurrency: string): RateTable {
  const byCurrency = new Map<string, { rateDate: Day; rate: Rational }[]>();
  for (const r of fxRates) {
    const list = byCurrency.get(r.currency) ?? [];
    list.push({ rateDate: r.rateDate, rate: parseDecimal(r.rate) });
    byCurrency.set(r.currency, list);
  }
  for (const list of byCurrency.values())
    list.sort((a, b) => (a.rateDate < b.rateDate ? -1 : a.rateDate > b.rateDate ? 1 : 0));
  return { reportingCurrency, byCurrency };
}

/** A rate dated more than this many days before the day it serves is stale (§1.1). */
export const STALE_RATE_DAYS = 7;

/** The rate for `day` (latest rateDate ≤ day), or null when there is none. `rateDate` is null for the reporting currency. */
export function findRate(
  table: RateTable,
  currency: string,
  day: Day,
): { rate: Rational; rateDate: Day | null; stale: boolean } | null {
  if (currency === table.reportingCurrency) return { rate: { n: 1n, d: 1n }, rateDate: null, stale: false };
  const list = table.byCurrency.get(currency);
  if (!list) return null;
  let lo = 0;
  let hi = list.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((list[mid]?.rateDate ?? "") <= day) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  const row = list[found];
  if (!row) return null;
  return { rate: row.rate, rateDate: row.rateDate, stale: diffDays(row.rateDate, day) > STALE_RATE_DAYS };
}

export type Conversion = {
  /** Exact converted sum in minor units of the reporting currency. */
  total: Rational;
  /** Original minor units (rounded) of the parts that had no rate. */
  unconverted: Record<string, number>;
  warnings: string[];
};

/**
 * Converts per-currency exact parts, each at the rate of its own day (`rateDayOf(currency)`), and sums them exactly.
 * Missing rate → left out, listed in `unconverted`, warning `missing_fx_rate:<cur>:<day>`; stale → used, with
 * `stale_fx_rate:<cur>:<rateDate>`. Zero parts need no rate.
 */
export function convertParts(
  parts: ReadonlyMap<string, Rational>,
  table: RateTable,
  rateDayOf: (currency: string) => Day,
): Conversion {
  let total = ZERO;
  const unconverted: Record<string, number> = {};
  const warnings: string[] = [];
  for (const [currency, amount] of parts) {
    if (amount.n === 0n) continue;
    const day = rateDayOf(currency);
    const found = findRate(table, currency, day);
    if (!found) {
      unconverted[currency] = roundHalfAwayFromZero(amount);
      warnings.push(`missing_fx_rate:${currency}:${day}`);
      continue;
    }
    if (found.stale) warnings.push(`stale_fx_rate:${currency}:${found.rateDate}`);
    total = add(total, convertMinor(amount, currency, table.reportingCurrency, found.rate));
  }
  return { total, unconverted, warnings };
}

/**
 * A single flow (cash, refund, spend) converted at its own day's rate and rounded on its own (§1.1), or null
 * when no rate exists.
 */
export function convertFlow(
  amount: number,
  currency: string,
  day: Day,
  table: RateTable,
): { amount: number; warning: string | null } | null {
  const found = findRate(table, currency, day);
  if (!found) return null;
  const converted = convertMinor({ n: BigInt(amount), d: 1n }, currency, table.reportingCurrency, found.rate);
  return {
    amount: roundHalfAwayFromZero(converted),
    warning: found.stale ? `stale_fx_rate:${currency}:${found.rateDate}` : null,
  };
}

/**
 * Converts flows at the rate of their own day (convertFlow) for the KPIs that take a converter (marketing spend),
 * and keeps the stale-rate warnings it met. A missing rate gives null: the KPI lists the amount as unconverted.
 */
export function flowConverter(table: RateTable) {
  const staleWarnings = new Set<string>();
  const convert = (amount: number, currency: string, day: Day): number | null => {
    const converted = convertFlow(amount, currency, day, table);
    if (converted?.warning) staleWarnings.add(converted.warning);
    return converted?.amount ?? null;
  };
  return { convert, staleWarnings };
}

/** FX flags of one input of an answer: amounts left out for lack of a rate (original minor units) and warnings. */
export type FxFlags = { unconverted?: Record<string, number> | null; warnings?: readonly string[] };

/** Adds a part's unconverted amounts (summed per currency) and warnings into an answer's (§1.1). */
export function addFxFlags(
  into: { unconverted: Record<string, number>; warnings: Set<string> },
  part: FxFlags | null | undefined,
): void {
  for (const [cur, amount] of Object.entries(part?.unconverted ?? {}))
    into.unconverted[cur] = (into.unconverted[cur] ?? 0) + amount;
  for (const w of part?.warnings ?? []) into.warnings.add(w);
}

/** The FX flags of several parts together: unconverted amounts summed per currency, distinct warnings. */
export function sumFxFlags(parts: Iterable<FxFlags | null | undefined>): {
  unconverted: Record<string, number>;
  warnings: string[];
} {
  const into = { unconverted: {} as Record<string, number>, warnings: new Set<string>() };
  for (const part of parts) addFxFlags(into, part);
  return { unconverted: into.unconverted, warnings: [...into.warnings] };
}
