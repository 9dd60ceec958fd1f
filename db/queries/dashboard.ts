import { sql, type SQL } from "drizzle-orm";
import type { MovementKind } from "@/lib/metrics/movements";
import { rowsOf, type Executor } from "../client";

// Read models of the finance dashboard. Sums, grouping, sorting and paging run in SQL so a page stays fast on
// 10,000 customers; the KPI rules stay in lib/metrics (these only add up ledger rows the engine wrote).

/**
 * Customer filters of the finance view: plan, billing interval and currency by the customer's main subscription,
 * country by the customer's address (see customerAttributes). `country` is an ISO 3166-1 alpha-2 code, or
 * UNKNOWN_COUNTRY for customers whose addresses name no country.
 */
export type CustomerFilter = { plan?: string; billing?: string; currency?: string; country?: string };

/** The filter value and breakdown key of customers without a country. */
export const UNKNOWN_COUNTRY = "unknown";

export function hasFilter(f: CustomerFilter): boolean {
  return Boolean(f.plan || f.billing || f.currency || f.country);
}

/**
 * One row per customer: the plan (product), billing interval ("month:1", "year:1", …) and currency of its main
 * subscription, i.e. the first of active, past_due, trialing, then anything else, newest first, and the country of
 * the customer's address (null when unknown). A customer's whole MRR is attributed to that subscription: the ledger
 * is per customer, so splitting it across plans would need per-subscription MRR, which the ledger does not store.
 * These are current attributes, not as-of ones. A customer without a subscription has null plan, billing and
 * currency; a subscription whose customer object has not arrived yet has a null country.
 * The first item's price is taken out of the jsonb state once per subscription (`offset 0` keeps the planner from
 * inlining that subquery): reading the state again for each field took twice the time on 10,000 customers.
 */
export function customerAttributes(workspaceId: string): SQL {
  return sql`(
    select coalesce(m.customer_id, cu.id) as customer_id, m.currency, m.plan_id, m.plan, m.billing,
      cu.country::text as country
    from (
      select distinct on (s.customer_id)
        s.customer_id,
        lower(s.currency) as currency,
        coalesce(s.price->>'productId', '') as plan_id,
        coalesce(pr.name, s.price->>'nickname', s.price->>'productId', 'No plan') as plan,
        concat(s.price->>'interval', ':', s.price->>'intervalCount') as billing
      from (
        select workspace_id, customer_id, currency, status, created, state->'items'->0->'price' as price
        from subscriptions
        where workspace_id = ${workspaceId}
        offset 0
      ) s
      left join products pr on pr.workspace_id = s.workspace_id and pr.id = s.price->>'productId'
      order by s.customer_id,
        case s.status when 'active' then 0 when 'past_due' then 1 when 'trialing' then 2 else 3 end,
        s.created desc
    ) m
    full join (select id, country from customers where workspace_id = ${workspaceId}) cu on cu.id = m.customer_id
  )`;
}

/** The WHERE part matching a filter against an attributes row aliased `a`. */
export function filterCondition(f: CustomerFilter): SQL {
  const parts: SQL[] = [sql`true`];
  if (f.plan) parts.push(sql`a.plan_id = ${f.plan}`);
  if (f.billing) parts.push(sql`a.billing = ${f.billing}`);
  if (f.currency) parts.push(sql`a.currency = ${f.currency.toLowerCase()}`);
  if (f.country) parts.push(f.country === UNKNOWN_COUNTRY ? sql`a.country is null` : sql`a.country = ${f.country}`);
  return sql.join(parts, sql` and `);
}

/**
 * Each customer's latest ledger row on or before `day` (its state at the end of that day). Both keys descending,
 * so the primary key is read backwards instead of sorting every row.
 */
function latestRows(workspaceId: string, day: string): SQL {
  return sql`(
    select distinct on (customer_id) customer_id, mrr, annual_mrr, trialing
    from mrr_changes
    where workspace_id = ${workspaceId} and day <= ${day}
    order by customer_id desc, day desc
  )`;
}

/** The ids of customers matching a filter. */
export async function listFilteredCustomerIds(workspaceId: string, db: Executor, f: CustomerFilter): Promise<string[]> {
  const rows = rowsOf<{ customer_id: string }>(
    await db.execute(sql`select a.customer_id from ${customerAttributes(workspaceId)} a where ${filterCondition(f)}`),
  );
  return rows.map((r) => r.customer_id);
}

export type FilterOptions = {
  plans: { id: string; name: string }[];
  billing: string[];
  currencies: string[];
  /** Country codes, sorted, then UNKNOWN_COUNTRY if some customer has none. */
  countries: string[];
};

type OptionRow = {
  plan_id: string | null;
  plan: string | null;
  billing: string | null;
  currency: string | null;
  country: string | null;
};

function toFilterOptions(rows: readonly OptionRow[]): FilterOptions {
  const plans = new Map<string, string>();
  const billing = new Set<string>();
  const currencies = new Set<string>();
  const countries = new Set<string>();
  let unknownCountry = false;
  for (const r of rows) {
    if (r.plan_id) plans.set(r.plan_id, r.plan ?? r.plan_id);
    if (r.billing && r.billing !== ":") billing.add(r.billing);
    if (r.currency) currencies.add(r.currency);
    if (r.country) countries.add(r.country);
    else unknownCountry = true;
  }
  return {
    plans: [...plans].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name)),
    billing: [...billing].sort(),
    currencies: [...currencies].sort(),
    countries: [...[...countries].sort(), ...(unknownCountry ? [UNKNOWN_COUNTRY] : [])],
  };
}

/**
 * The values the filter controls offer: every plan, billing interval and currency of a main subscription, and
 * every customer country.
 */
export async function listFilterOptions(workspaceId: string, db: Executor): Promise<FilterOptions> {
  const rows = rowsOf<OptionRow>(
    await db.execute(
      sql`select distinct a.plan_id, a.plan, a.billing, a.currency, a.country from ${customerAttributes(workspaceId)} a`,
    ),
  );
  return toFilterOptions(rows);
}

export type RevenueSlice = { key: string; label: string; mrr: number; customers: number };
export type RevenueBreakdown = {
  plan: RevenueSlice[];
  billing: RevenueSlice[];
  currency: RevenueSlice[];
  country: RevenueSlice[];
};

/**
 * MRR of paying customers as of `day`, grouped by plan, billing interval and currency of their main subscription
 * (reporting currency; "currency" is the subscription's own), and by the customer's country. Customers without a
 * subscription row group as "—"; customers without a country under the key UNKNOWN_COUNTRY. Each grouping covers
 * every paying customer once, so each adds up to the view's MRR.
 */
export async function listRevenueBreakdown(
  workspaceId: string,
  db: Executor,
  opts: { day: string; filter: CustomerFilter },
): Promise<RevenueBreakdown> {
  return (await listBreakdownAndOptions(workspaceId, db, opts)).breakdown;
}

/**
 * listRevenueBreakdown and listFilterOptions in one statement: the customers' attributes are worked out once
 * (the costly part: a pass over every subscription's state), then grouped each way.
 */
export async function listBreakdownAndOptions(
  workspaceId: string,
  db: Executor,
  opts: { day: string; filter: CustomerFilter },
): Promise<{ breakdown: RevenueBreakdown; options: FilterOptions }> {
  // The view's filter is a column of the attributes, not a condition on them: the planner cannot estimate a
  // condition on a CTE and took a nested loop for a filtered view (9 s on PGlite at 10,000 customers).
  const filtered = hasFilter(opts.filter);
  const groupings = {
    plan: [sql`plan_id`, sql`plan`],
    billing: [sql`billing`, sql`billing`],
    currency: [sql`currency`, sql`upper(currency)`],
    country: [sql`coalesce(country, ${UNKNOWN_COUNTRY})`, sql`coalesce(country, ${UNKNOWN_COUNTRY})`],
  } as const;
  const rows = rowsOf<
    OptionRow & {
      grouping: keyof RevenueBreakdown | "option";
      key: string | null;
      label: string | null;
      mrr: string | number | null;
      customers: string | number | null;
    }
  >(
    await db.execute(sql`
      with a as materialized (
        select a.*, ${filtered ? sql`(${filterCondition(opts.filter)})` : sql`true`} as in_view
        from ${customerAttributes(workspaceId)} a
      ),
      v as materialized (
        select l.mrr, a.plan_id, a.plan, a.billing, a.currency, a.country::text as country
        from ${latestRows(workspaceId, opts.day)} l
        left join a on a.customer_id = l.customer_id
        where l.mrr > 0 ${filtered ? sql`and a.in_view` : sql``}
      )
      select * from (
        select 'option' as grouping, null as key, null as label, null::numeric as mrr, null::bigint as customers,
          plan_id, plan, billing, currency, country::text as country
        from (select distinct plan_id, plan, billing, currency, country from a) o
        union all
        ${sql.join(
          Object.entries(groupings).map(
            ([name, [keyExpr, labelExpr]]) => sql`
              select ${name}::text, ${keyExpr}, min(${labelExpr}), sum(mrr), count(*), null, null, null, null, null
              from v group by 2`,
          ),
          sql` union all `,
        )}) g
      order by grouping, mrr desc, key`),
  );
  const breakdown: RevenueBreakdown = { plan: [], billing: [], currency: [], country: [] };
  const options: OptionRow[] = [];
  for (const r of rows) {
    if (r.grouping === "option") options.push(r);
    else
      breakdown[r.grouping].push({
        key: r.key ?? "",
        label: r.label ?? "—",
        mrr: Number(r.mrr),
        customers: Number(r.customers),
      });
  }
  return { breakdown, options: toFilterOptions(options) };
}

export type MovementSort = "day" | "amount" | "customer" | "kind";
export type MovementListRow = {
  customerId: string;
  name: string | null;
  email: string | null;
  day: string;
  kind: MovementKind;
  amount: number;
  previousMrr: number;
  mrr: number;
  eventIds: string[];
};

/**
 * The movements behind a number: ledger rows with a movement in [from, to], optionally of some kinds, sorted and
 * paged in SQL, with the total count and sum of every matching row (not just the page).
 */
export async function listMovementRows(
  workspaceId: string,
  db: Executor,
  opts: {
    from: string;
    to: string;
    kinds: readonly MovementKind[];
    filter: CustomerFilter;
    sort: MovementSort;
    dir: "asc" | "desc";
    limit: number;
    offset: number;
  },
): Promise<{ rows: MovementListRow[]; total: number; sum: number }> {
  const kinds = opts.kinds.length > 0 ? opts.kinds : ["new", "expansion", "contraction", "churn", "reactivation"];
  const filtered = hasFilter(opts.filter);
  const where = sql`m.workspace_id = ${workspaceId} and m.day >= ${opts.from} and m.day <= ${opts.to}
    and m.kind in (${sql.join(
      kinds.map((k) => sql`${k}`),
      sql`, `,
    )})
    ${filtered ? sql`and m.customer_id in (select a.customer_id from ${customerAttributes(workspaceId)} a where ${filterCondition(opts.filter)})` : sql``}`;
  const dir = opts.dir === "asc" ? sql`asc` : sql`desc`;
  const order = {
    day: sql`m.day ${dir}, m.customer_id asc`,
    amount: sql`m.amount ${dir}, m.day asc, m.customer_id asc`,
    customer: sql`coalesce(c.name, c.email, m.customer_id) ${dir}, m.day asc`,
    kind: sql`m.kind ${dir}, m.day asc, m.customer_id asc`,
  }[opts.sort];
  const rows = rowsOf<{
    customer_id: string;
    name: string | null;
    email: string | null;
    day: string;
    kind: MovementKind;
    amount: string | number;
    previous_mrr: string | number;
    mrr: string | number;
    event_ids: string[];
  }>(
    await db.execute(sql`
      select m.customer_id, c.name, c.email, m.day::text as day, m.kind, m.amount, m.previous_mrr, m.mrr, m.event_ids
      from mrr_changes m
      left join customers c on c.workspace_id = m.workspace_id and c.id = m.customer_id
      where ${where}
      order by ${order}
      limit ${opts.limit} offset ${opts.offset}`),
  );
  const [totals] = rowsOf<{ n: string | number; sum: string | number | null }>(
    await db.execute(sql`select count(*) as n, coalesce(sum(m.amount), 0) as sum from mrr_changes m where ${where}`),
  );
  return {
    rows: rows.map((r) => ({
      customerId: r.customer_id,
      name: r.name,
      email: r.email,
      day: r.day,
      kind: r.kind,
      amount: Number(r.amount),
      previousMrr: Number(r.previous_mrr),
      mrr: Number(r.mrr),
      eventIds: r.event_ids ?? [],
    })),
    total: Number(totals?.n ?? 0),
    sum: Number(totals?.sum ?? 0),
  };
}

/** Whether the workspace has any Stripe data yet (the empty state tells a new workspace how to connect Stripe). */
export async function findDataPresence(
  workspaceId: string,
  db: Executor,
): Promise<{ connections: number; events: number; ledgerRows: number }> {
  const [row] = rowsOf<{ connections: string | number; events: string | number; ledger: string | number }>(
    await db.execute(sql`select
      (select count(*) from connections where workspace_id = ${workspaceId}) as connections,
      (select count(*) from (select 1 from stripe_events where workspace_id = ${workspaceId} limit 1) e) as events,
      (select count(*) from (select 1 from mrr_changes where workspace_id = ${workspaceId} limit 1) m) as ledger`),
  );
  return {
    connections: Number(row?.connections ?? 0),
    events: Number(row?.events ?? 0),
    ledgerRows: Number(row?.ledger ?? 0),
  };
}
