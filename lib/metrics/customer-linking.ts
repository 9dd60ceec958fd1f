/**
 * Linking ingest records to Stripe customers (metrics.md §1.4) and reading customer MRR history.
 */
import type { LinkableCustomer, MrrSeries } from "./kpi-inputs";
import type { Day } from "./types";

export type LinkMethod = "customerId" | "email" | "domain";
export type CustomerLinker = {
  /** The linked customer id, or null when the record stays unlinked. */
  link(record: { customerId?: string; email?: string }): string | null;
  /** The same, with the rule that matched, for "why" breakdowns. */
  explain(record: { customerId?: string; email?: string }): { customerId: string; method: LinkMethod } | null;
};

const domainOf = (email: string): string | null => {
  const at = email.lastIndexOf("@");
  return at < 0
    ? null
    : email
        .slice(at + 1)
        .trim()
        .toLowerCase() || null;
};

/**
 * Builds the linker for one workspace's customers. Order: (1) a `customerId` that is a known customer; (2) the email,
 * case-insensitive, when exactly one customer has it; (3) the email's domain, when exactly one customer has an email
 * at that domain. An ambiguous email or domain links nothing, so two customers never share a record.
 *
 * Note: rule 3 is literal to the spec, so a public domain (gmail.com) held by exactly one customer links every
 * gmail.com record to it; see issue #7.
 */
export function createCustomerLinker(customers: readonly LinkableCustomer[]): CustomerLinker {
  const ids = new Set(customers.map((customer) => customer.customerId));
  const byEmail = new Map<string, string | null>(); // null marks an email shared by several customers
  const byDomain = new Map<string, string | null>();
  const remember = (map: Map<string, string | null>, key: string, customerId: string) => {
    const existing = map.get(key);
    map.set(key, existing === undefined || existing === customerId ? customerId : null);
  };
  for (const { customerId, email } of customers) {
    if (!email) continue;
    remember(byEmail, email.trim().toLowerCase(), customerId);
    const domain = domainOf(email);
    if (domain) remember(byDomain, domain, customerId);
  }
  const explain: CustomerLinker["explain"] = (record) => {
    if (record.customerId && ids.has(record.customerId)) return { customerId: record.customerId, method: "customerId" };
    if (!record.email) return null;
    const byMail = byEmail.get(record.email.trim().toLowerCase());
    if (byMail) return { customerId: byMail, method: "email" };
    const domain = domainOf(record.email);
    const byDom = domain ? byDomain.get(domain) : undefined;
    return byDom ? { customerId: byDom, method: "domain" } : null;
  };
  return { explain, link: (record) => explain(record)?.customerId ?? null };
}

export type MrrLookup = {
  /** Customer MRR at the end of `day`; 0 for unknown customers. */
  mrrOn(customerId: string, day: Day): number;
  /** Whether MRR > 0 at the end of any day in [from, to]. */
  isPaidBetween(customerId: string, from: Day, to: Day): boolean;
};

/** Wraps a change-point series in O(log n) lookups. */
export function createMrrLookup(series: MrrSeries): MrrLookup {
  const indexAtOrBefore = (points: ReadonlyArray<{ day: Day }>, day: Day): number => {
    let [lo, hi] = [0, points.length - 1];
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if ((points[mid] as { day: Day }).day <= day) [found, lo] = [mid, mid + 1];
      else hi = mid - 1;
    }
    return found;
  };
  const mrrOn = (customerId: string, day: Day) => {
    const points = series[customerId] ?? [];
    const i = indexAtOrBefore(points, day);
    return i < 0 ? 0 : (points[i]?.mrr ?? 0);
  };
  const isPaidBetween = (customerId: string, from: Day, to: Day) => {
    if (from > to) return false;
    if (mrrOn(customerId, from) > 0) return true;
    const points = series[customerId] ?? [];
    for (let i = indexAtOrBefore(points, from) + 1; i < points.length && (points[i]?.day ?? "") <= to; i++) {
      if ((points[i]?.mrr ?? 0) > 0) return true;
    }
    return false;
  };
  return { mrrOn, isPaidBetween };
}
