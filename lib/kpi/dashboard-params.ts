import { z } from "zod";
import { addDays, addMonths, startOfPeriod } from "@/lib/metrics/time";
import type { MovementKind } from "@/lib/metrics/movements";
import { UNKNOWN_COUNTRY } from "@/db/queries/dashboard";
import { todayIn } from "./today";

// The finance view's state lives in the URL, so a link reproduces the view. Bad values fall back to defaults
// instead of failing the page: a hand-edited URL still shows something sensible.

const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((d) => !Number.isNaN(Date.parse(d)));
const optionalText = z
  .string()
  .trim()
  .max(200)
  .transform((s) => (s === "" ? undefined : s))
  .optional()
  .catch(undefined);

/**
 * A country filter value: an ISO 3166-1 alpha-2 code (upper-cased) or "unknown" (customers without a country);
 * anything else is no filter.
 */
const countryParam = optionalText.transform((s) => {
  if (!s) return undefined;
  if (s.toLowerCase() === UNKNOWN_COUNTRY) return UNKNOWN_COUNTRY;
  return /^[a-z]{2}$/i.test(s) ? s.toUpperCase() : undefined;
});

export const dashboardIntervals = ["day", "week", "month", "quarter"] as const;
export type DashboardInterval = (typeof dashboardIntervals)[number];

/** At most this many chart points; a longer range is cut from the start (a daily chart of 10 years is unreadable). */
const MAX_POINTS: Record<DashboardInterval, number> = { day: 400, week: 260, month: 120, quarter: 60 };

const rawSchema = z.object({
  from: isoDay.optional().catch(undefined),
  to: isoDay.optional().catch(undefined),
  interval: z.enum(dashboardIntervals).catch("month").default("month"),
  plan: optionalText,
  billing: optionalText,
  currency: optionalText,
  country: countryParam,
  compare: z.enum(["0", "1"]).catch("1").default("1"),
});

export type FinanceParams = {
  from: string;
  to: string;
  interval: DashboardInterval;
  filter: { plan?: string; billing?: string; currency?: string; country?: string };
  compare: boolean;
};

type SearchParams = Record<string, string | string[] | undefined>;
const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

function plain(sp: SearchParams): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(sp).map(([k, v]) => [k, first(v)]));
}

/** Parses the finance view's search params; `to` defaults to today in the workspace zone, `from` to 12 months back. */
export function parseFinanceParams(sp: SearchParams, timeZone: string): FinanceParams {
  const raw = rawSchema.parse(plain(sp));
  const today = todayIn(timeZone);
  const to = raw.to ?? today;
  const fallbackFrom = startOfPeriod(addMonths(to, -11), "month");
  let from = raw.from && raw.from <= to ? raw.from : fallbackFrom;
  const stepDays = { day: 1, week: 7, month: 31, quarter: 92 }[raw.interval];
  const earliest = addDays(to, -(MAX_POINTS[raw.interval] * stepDays));
  if (from < earliest) from = earliest;
  return {
    from,
    to,
    interval: raw.interval,
    filter: {
      ...(raw.plan ? { plan: raw.plan } : {}),
      ...(raw.billing ? { billing: raw.billing } : {}),
      ...(raw.currency ? { currency: raw.currency.toLowerCase() } : {}),
      ...(raw.country ? { country: raw.country } : {}),
    },
    compare: raw.compare === "1",
  };
}

/** The query string of a finance view (only non-default values), for links that keep the view's state. */
export function toFinanceQuery(p: Partial<FinanceParams>, extra: Record<string, string | undefined> = {}): string {
  const q = new URLSearchParams();
  if (p.from) q.set("from", p.from);
  if (p.to) q.set("to", p.to);
  if (p.interval && p.interval !== "month") q.set("interval", p.interval);
  if (p.filter?.plan) q.set("plan", p.filter.plan);
  if (p.filter?.billing) q.set("billing", p.filter.billing);
  if (p.filter?.currency) q.set("currency", p.filter.currency);
  if (p.filter?.country) q.set("country", p.filter.country);
  if (p.compare === false) q.set("compare", "0");
  for (const [k, v] of Object.entries(extra)) if (v !== undefined && v !== "") q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : "";
}

const movementKinds = ["new", "expansion", "contraction", "churn", "reactivation"] as const;

const listSchema = z.object({
  kind: z
    .string()
    .optional()
    .catch(undefined)
    .transform((s) =>
      (s ?? "").split(",").filter((k): k is MovementKind => (movementKinds as readonly string[]).includes(k)),
    ),
  sort: z.string().optional().catch(undefined),
  dir: z.enum(["asc", "desc"]).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).catch(1).default(1),
  q: optionalText,
  status: z.enum(["all", "paying"]).catch("all").default("all"),
  cohort: z
    .string()
    .regex(/^\d{4}-\d{2}$/)
    .optional()
    .catch(undefined),
});

export const PAGE_SIZE = 50;

/** Sorting, paging and the list-only filters of the drill-down tables (movements, customers). */
export function parseListParams<S extends string>(sp: SearchParams, sorts: readonly S[], defaultSort: S) {
  const raw = listSchema.parse(plain(sp));
  const sort = sorts.includes(raw.sort as S) ? (raw.sort as S) : defaultSort;
  return {
    kinds: raw.kind,
    sort,
    dir: raw.dir ?? (sort === "name" || sort === "email" || sort === "customer" || sort === "plan" ? "asc" : "desc"),
    page: raw.page,
    q: raw.q,
    status: raw.status,
    cohort: raw.cohort,
    limit: PAGE_SIZE,
    offset: (raw.page - 1) * PAGE_SIZE,
  } as const;
}

const regionNames = new Intl.DisplayNames(["en"], { type: "region", fallback: "code" });

/** A country filter value as a label: "DE" → "Germany (DE)", "unknown" → "Unknown country", null → "—". */
export function formatCountry(code: string | null | undefined): string {
  if (!code) return "—";
  if (code === UNKNOWN_COUNTRY) return "Unknown country";
  let name = code;
  try {
    name = regionNames.of(code) ?? code;
  } catch {
    // A code Intl does not know (e.g. a reserved one) shows as itself.
  }
  return name === code ? code : `${name} (${code})`;
}
