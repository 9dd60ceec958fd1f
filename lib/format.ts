/**
 * Display formatting for the UI and CSV exports. A leaf: imports nothing of ours, so client components may use it.
 * Money arrives as integer minor units (metrics.md §1.1); ratios as fractions (0.25 = 25 %).
 */

// Stripe's exponents (the same lists as lib/metrics/money.ts, repeated because this file must stay a leaf).
// Intl's ISO 4217 digits differ from Stripe's for a few currencies (isk, huf, twd), so Stripe's rule wins here.
const ZERO_DECIMAL = new Set("bif clp djf gnf jpy kmf krw mga pyg rwf ugx vnd vuv xaf xof xpf".split(" "));
const THREE_DECIMAL = new Set(["bhd", "jod", "kwd", "omr", "tnd"]);

export function minorExponent(currency: string): number {
  const c = currency.toLowerCase();
  if (ZERO_DECIMAL.has(c)) return 0;
  if (THREE_DECIMAL.has(c)) return 3;
  return 2;
}

const DEFAULT_LOCALE = "en-US";
const cache = new Map<string, Intl.NumberFormat>();
function nf(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, options);
    cache.set(key, f);
  }
  return f;
}

/** Minor units → major units as a number, for charts only (never for arithmetic). */
export function toMajor(minor: number, currency: string): number {
  return minor / 10 ** minorExponent(currency);
}

/**
 * 450000 usd → "$4,500.00"; 500 jpy → "¥500"; `compact` gives "$4.5K" for chart axes and sparklines.
 * Null (an undefined KPI, §1.3) shows as an em dash, never as 0.
 */
export function formatMoney(
  minor: number | null | undefined,
  currency: string,
  opts: { locale?: string; compact?: boolean; signed?: boolean } = {},
): string {
  if (minor === null || minor === undefined) return "—";
  const e = minorExponent(currency);
  const options: Intl.NumberFormatOptions = {
    style: "currency",
    currency: currency.toUpperCase(),
    minimumFractionDigits: opts.compact ? 0 : e,
    maximumFractionDigits: opts.compact ? 1 : e,
    ...(opts.compact ? { notation: "compact" } : {}),
    ...(opts.signed ? { signDisplay: "exceptZero" } : {}),
  };
  return nf(opts.locale ?? DEFAULT_LOCALE, options).format(minor / 10 ** e);
}

/** 0.2308 → "23.08%"; null → "—". */
export function formatPercent(
  fraction: number | null | undefined,
  opts: { locale?: string; digits?: number; signed?: boolean } = {},
): string {
  if (fraction === null || fraction === undefined) return "—";
  return nf(opts.locale ?? DEFAULT_LOCALE, {
    style: "percent",
    minimumFractionDigits: 0,
    maximumFractionDigits: opts.digits ?? 2,
    ...(opts.signed ? { signDisplay: "exceptZero" } : {}),
  }).format(fraction);
}

export function formatCount(n: number | null | undefined, opts: { locale?: string; signed?: boolean } = {}): string {
  if (n === null || n === undefined) return "—";
  return nf(opts.locale ?? DEFAULT_LOCALE, {
    maximumFractionDigits: 0,
    ...(opts.signed ? { signDisplay: "exceptZero" } : {}),
  }).format(n);
}

/** A plain ratio such as LTV:CAC or the quick ratio: 4 → "4.00×". */
export function formatMultiple(n: number | null | undefined, opts: { locale?: string } = {}): string {
  if (n === null || n === undefined) return "—";
  return `${nf(opts.locale ?? DEFAULT_LOCALE, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(n)}×`;
}

/** 3.125 → "3.1 months"; 1 → "1 month". */
export function formatMonths(n: number | null | undefined, opts: { locale?: string } = {}): string {
  if (n === null || n === undefined) return "—";
  const text = nf(opts.locale ?? DEFAULT_LOCALE, { maximumFractionDigits: 1 }).format(n);
  return `${text} ${n === 1 ? "month" : "months"}`;
}

export function formatDays(n: number | null | undefined, opts: { locale?: string } = {}): string {
  if (n === null || n === undefined) return "—";
  return `${formatCount(n, opts)} ${n === 1 ? "day" : "days"}`;
}

/** "2026-06-10" → "Jun 10, 2026" (a calendar day: formatted in UTC so no zone shifts it). */
export function formatDay(day: string, opts: { locale?: string; style?: "short" | "month" } = {}): string {
  const [y, m, d] = day.split("-").map(Number);
  if (!y || !m) return day;
  const date = new Date(Date.UTC(y, m - 1, d ?? 1));
  const options: Intl.DateTimeFormatOptions =
    opts.style === "month"
      ? { timeZone: "UTC", year: "numeric", month: "short" }
      : { timeZone: "UTC", year: "numeric", month: "short", day: "numeric" };
  return new Intl.DateTimeFormat(opts.locale ?? DEFAULT_LOCALE, options).format(date);
}

/** An instant in the workspace's zone: "Jun 10, 2026, 09:00". */
export function formatInstant(instant: Date | number, timeZone: string, opts: { locale?: string } = {}): string {
  return new Intl.DateTimeFormat(opts.locale ?? DEFAULT_LOCALE, {
    timeZone,
    year: "numeric",
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(instant);
}

export type ValueUnit = "money" | "count" | "ratio" | "months" | "multiple" | "days";

/** Formats a KPI value by its unit (the catalogue's `unit`, with "multiple" for x:y ratios shown as ×). */
export function formatValue(
  value: number | null | undefined,
  unit: ValueUnit,
  currency: string,
  opts: { locale?: string; compact?: boolean; signed?: boolean } = {},
): string {
  switch (unit) {
    case "money":
      return formatMoney(value, currency, opts);
    case "ratio":
      return formatPercent(value, opts);
    case "months":
      return formatMonths(value, opts);
    case "days":
      return formatDays(value, opts);
    case "multiple":
      return formatMultiple(value, opts);
    case "count":
      return formatCount(value, opts);
  }
}

/** A billing key of the read model ("month:1", "year:2") as a label: "Monthly", "Every 2 years". */
export function formatBillingInterval(key: string | null | undefined): string {
  if (!key || key === ":") return "—";
  const [interval, countText] = key.split(":");
  const count = Number(countText || 1);
  const named: Record<string, string> = {
    "month:1": "Monthly",
    "month:3": "Quarterly",
    "month:6": "Semi-annual",
    "year:1": "Yearly",
    "week:1": "Weekly",
    "day:1": "Daily",
  };
  return named[`${interval}:${count}`] ?? `Every ${count} ${interval}s`;
}

/** A chart or table label for the period starting on `start`: "Jun 2026", "Q2 2026", "Week of Jun 8, 2026". */
export function formatPeriodLabel(start: string, interval: string, opts: { locale?: string } = {}): string {
  if (interval === "month") return formatDay(start, { ...opts, style: "month" });
  if (interval === "quarter") return `Q${Math.floor((Number(start.slice(5, 7)) - 1) / 3) + 1} ${start.slice(0, 4)}`;
  if (interval === "week") return `Week of ${formatDay(start, opts)}`;
  return formatDay(start, opts);
}

/** Minor units as an exact decimal string for CSV: 450000 usd → "4500.00", 500 jpy → "500". No float involved. */
export function formatMinorDecimal(minor: number, currency: string): string {
  const e = minorExponent(currency);
  const sign = minor < 0 ? "-" : "";
  const digits = String(Math.abs(minor)).padStart(e + 1, "0");
  return e === 0 ? `${sign}${digits}` : `${sign}${digits.slice(0, -e)}.${digits.slice(-e)}`;
}
