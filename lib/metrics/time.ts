/**
 * Local calendar days and periods (metrics.md §1.2), with Intl only. A `Day` is `YYYY-MM-DD` in the workspace's
 * IANA time zone; an `Instant` is epoch milliseconds. Days can last 23 or 25 hours across DST changes, so day
 * boundaries are always derived from the zone, never by adding 86 400 000 ms.
 */
import type { Day, Instant } from "./types";

export type Interval = "day" | "week" | "month" | "quarter" | "year";
export type Period = { start: Day; end: Day };

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall-clock fields of an instant in a zone. */
function wallClock(instant: Instant, timeZone: string) {
  const parts: Record<string, number> = {};
  for (const p of formatterFor(timeZone).formatToParts(new Date(instant))) {
    if (p.type !== "literal") parts[p.type] = Number(p.value);
  }
  return parts as { year: number; month: number; day: number; hour: number; minute: number; second: number };
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, "0");
}

/** The local calendar day an instant falls in. */
export function toLocalDay(instant: Instant, timeZone: string): Day {
  // Every zone is within ±14 h of UTC, so the local day is the UTC day or one of its neighbours: the one whose
  // bounds (cached per zone and day) hold the instant. Intl is asked only once per zone and day.
  const utc = new Date(instant);
  const day = `${pad(utc.getUTCFullYear(), 4)}-${pad(utc.getUTCMonth() + 1)}-${pad(utc.getUTCDate())}`;
  if (timeZone === "UTC") return day;
  if (instant < startOfLocalDay(day, timeZone)) return addDays(day, -1);
  return instant < endOfLocalDay(day, timeZone) ? day : addDays(day, 1);
}

/** toLocalDay from the zone's wall clock itself (what the day bounds are found with). */
function wallClockDay(instant: Instant, timeZone: string): Day {
  const w = wallClock(instant, timeZone);
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}`;
}

function parseDay(day: Day): { y: number; m: number; d: number } {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) throw new RangeError(`not a day: ${day}`);
  return { y: Number(m[1]), m: Number(m[2]), d: Number(m[3]) };
}

/** Day as a UTC-midnight epoch, for calendar arithmetic only (never an instant of the workspace). */
function dayNumber(day: Day): number {
  const { y, m, d } = parseDay(day);
  return Date.UTC(y, m - 1, d) / 86_400_000;
}
function fromDayNumber(n: number): Day {
  const date = new Date(n * 86_400_000);
  return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

/** The earliest of some days. */
export function minDay(...days: [Day, ...Day[]]): Day {
  return days.reduce((a, b) => (a < b ? a : b));
}

/** Calendar arithmetic on days (no time zone involved). */
export function addDays(day: Day, n: number): Day {
  return fromDayNumber(dayNumber(day) + n);
}

/** b − a in calendar days (positive when b is later). */
export function diffDays(a: Day, b: Day): number {
  return dayNumber(b) - dayNumber(a);
}

const startCache = new Map<string, Instant>();

/**
 * The first instant of a local day. Usually local midnight; where DST skips midnight (e.g. America/Santiago) it is
 * the first instant that falls on `day`. Found from the zone offset, then checked, with a bisection fallback.
 */
export function startOfLocalDay(day: Day, timeZone: string): Instant {
  const key = `${timeZone}|${day}`;
  const cached = startCache.get(key);
  if (cached !== undefined) return cached;
  const guess = dayNumber(day) * 86_400_000;
  const offsetAt = (t: Instant) => {
    const w = wallClock(t, timeZone);
    return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(t / 1000) * 1000;
  };
  let t = guess - offsetAt(guess);
  t = guess - offsetAt(t);
  const ok = (x: Instant) => wallClockDay(x, timeZone) === day && wallClockDay(x - 1, timeZone) < day;
  if (!ok(t)) {
    // Midnight does not exist (or the offset moved between guesses): bisect for the first instant on `day`.
    let lo = guess - 36 * 3_600_000;
    let hi = guess + 36 * 3_600_000;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (wallClockDay(mid, timeZone) >= day) hi = mid;
      else lo = mid;
    }
    t = hi;
  }
  startCache.set(key, t);
  return t;
}

/** The end of a local day: the instant the next local day starts (exclusive). "As of D" means before this. */
export function endOfLocalDay(day: Day, timeZone: string): Instant {
  return startOfLocalDay(addDays(day, 1), timeZone);
}

/** ISO weekday, Monday = 1 … Sunday = 7. */
export function isoWeekday(day: Day): number {
  const wd = new Date(dayNumber(day) * 86_400_000).getUTCDay();
  return wd === 0 ? 7 : wd;
}

/** The first day of the calendar period of `interval` that contains `day` (weeks are ISO, Monday first). */
export function startOfPeriod(day: Day, interval: Interval): Day {
  const { y, m } = parseDay(day);
  switch (interval) {
    case "day":
      return day;
    case "week":
      return addDays(day, 1 - isoWeekday(day));
    case "month":
      return `${pad(y, 4)}-${pad(m)}-01`;
    case "quarter":
      return `${pad(y, 4)}-${pad(m - ((m - 1) % 3))}-01`;
    case "year":
      return `${pad(y, 4)}-01-01`;
  }
}

/** Adds calendar months, clamping the day of month (Jan 31 + 1 month = Feb 28/29; Feb 29 − 12 months = Feb 28). */
export function addMonths(day: Day, months: number): Day {
  const { y, m, d } = parseDay(day);
  const index = y * 12 + (m - 1) + months;
  const ny = Math.floor(index / 12);
  const nm = (index % 12) + 1;
  const last = new Date(Date.UTC(ny, nm, 0)).getUTCDate();
  return `${pad(ny, 4)}-${pad(nm)}-${pad(Math.min(d, last))}`;
}

/** The first day of the period after the one containing `day`. */
export function nextPeriodStart(day: Day, interval: Interval): Day {
  const start = startOfPeriod(day, interval);
  switch (interval) {
    case "day":
      return addDays(start, 1);
    case "week":
      return addDays(start, 7);
    case "month":
      return addMonths(start, 1);
    case "quarter":
      return addMonths(start, 3);
    case "year":
      return addMonths(start, 12);
  }
}

/** The last day of the calendar period containing `day`. */
export function endOfPeriod(day: Day, interval: Interval): Day {
  return addDays(nextPeriodStart(day, interval), -1);
}

/**
 * The calendar periods that overlap [from, to], each cut to that range, in order. Consecutive periods touch, so
 * `endMrr(P) = startMrr(next P)` holds by construction.
 */
export function listPeriods(from: Day, to: Day, interval: Interval): Period[] {
  const periods: Period[] = [];
  let start = from;
  while (start <= to) {
    const end = endOfPeriod(start, interval);
    periods.push({ start, end: end < to ? end : to });
    start = addDays(end, 1);
  }
  return periods;
}

export type ReportPeriod = {
  start: Day;
  /** The last day counted: the period's last day, or `asOf` when the period is partial. */
  end: Day;
  partial: boolean;
  daysElapsed: number;
  daysInPeriod: number;
};

/**
 * The period of `interval` containing `asOf`, cut at `asOf` (§1.2). Nothing is extrapolated: a partial period is
 * flagged with `daysElapsed` of `daysInPeriod`.
 */
export function resolvePeriod(asOf: Day, interval: Interval): ReportPeriod {
  const start = startOfPeriod(asOf, interval);
  const fullEnd = endOfPeriod(asOf, interval);
  const daysInPeriod = diffDays(start, fullEnd) + 1;
  const daysElapsed = diffDays(start, asOf) + 1;
  return { start, end: asOf, partial: asOf < fullEnd, daysElapsed, daysInPeriod };
}

/**
 * The comparison window of §1.2: a complete period is compared with the whole previous period; a partial one with
 * the first `daysElapsed` days of the previous period, clamped to that period's length (Jun 1–20 → May 1–20).
 */
export function comparisonPeriod(period: ReportPeriod, interval: Interval): ReportPeriod {
  const prevEnd = addDays(period.start, -1);
  const prevStart = startOfPeriod(prevEnd, interval);
  const prevDays = diffDays(prevStart, prevEnd) + 1;
  if (!period.partial) {
    return { start: prevStart, end: prevEnd, partial: false, daysElapsed: prevDays, daysInPeriod: prevDays };
  }
  const days = Math.min(period.daysElapsed, prevDays);
  return {
    start: prevStart,
    end: addDays(prevStart, days - 1),
    partial: days < prevDays,
    daysElapsed: days,
    daysInPeriod: prevDays,
  };
}
