// Display helpers of the marketing and customer-success pages that lib/format.ts does not have. A leaf, like
// lib/format.ts, so both server and client components may use it.

/**
 * Seconds of calendar time as a short duration: 600 → "10m", 3900 → "1h 5m", 93600 → "1d 2h"; null → "—".
 * `compact` keeps the largest unit only (chart axes): 93600 → "1d".
 */
export function formatDuration(seconds: number | null | undefined, opts: { compact?: boolean } = {}): string {
  if (seconds === null || seconds === undefined) return "—";
  const s = Math.round(Math.abs(seconds));
  const sign = seconds < 0 ? "−" : "";
  if (s < 60) return `${sign}${s}s`;
  const minutes = Math.floor(s / 60);
  if (minutes < 60) return `${sign}${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${sign}${hours}h${minutes % 60 && !opts.compact ? ` ${minutes % 60}m` : ""}`;
  const days = Math.floor(hours / 24);
  return `${sign}${days}d${hours % 24 && !opts.compact ? ` ${hours % 24}h` : ""}`;
}

/** A score or NPS to at most `digits` (1) decimals: 33.3333 → "33.3", 54 → "54", 18.25 (2) → "18.25"; null → "—". */
export function formatPoints(
  value: number | null | undefined,
  opts: { signed?: boolean; digits?: number } = {},
): string {
  if (value === null || value === undefined) return "—";
  const text = String(Number(value.toFixed(opts.digits ?? 1)));
  return opts.signed && value > 0 ? `+${text}` : text;
}

/** A channel or source key as a label: "google_ads" → "Google ads". */
export function formatChannel(key: string): string {
  const text = key.replace(/_/g, " ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}
