// Unix-second arithmetic in UTC, as Stripe bills: a monthly period ends on the same day of the month as the
// billing anchor, clamped to the month's last day (Jan 31 → Feb 28 → Mar 31).

export const MINUTE = 60;
export const HOUR = 3600;
export const DAY = 86_400;
export const WEEK = 7 * DAY;

/** `YYYY-MM-DD` → Unix seconds at 00:00:00 UTC of that day. */
export function dayStart(day: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) throw new Error(`expected YYYY-MM-DD, got "${day}"`);
  const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  const back = new Date(ms).toISOString().slice(0, 10);
  if (back !== day) throw new Error(`not a calendar day: "${day}"`);
  return ms / 1000;
}

/** The instant `months` calendar months after `anchor`, keeping the anchor's day of month and time of day. */
export function addMonths(anchor: number, months: number): number {
  const d = new Date(anchor * 1000);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  const day = Math.min(d.getUTCDate(), lastDay);
  return Date.UTC(y, m, day, d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()) / 1000;
}

export const toIso = (seconds: number): string => new Date(seconds * 1000).toISOString();
export const toDay = (seconds: number): string => toIso(seconds).slice(0, 10);
