import { and, eq, lte, sql, type SQL } from "drizzle-orm";
import type { MovementKind, MrrChange } from "@/lib/metrics/movements";
import { rowsOf, type Executor } from "../client";
import { mrrChanges } from "../schema";
import { toMrrChange } from "./mrr";

// Read models of the finance dashboard. Sums, grouping, sorting and paging run in SQL so a page stays fast on
// 10,000 customers; the KPI rules stay in lib/metrics (these only add up ledger rows the engine wrote).

/** Customer filters of the finance view, by the customer's main subscription (see customerAttributes). */
export type CustomerFilter = { plan?: string; billing?: string; currency?: string };

export function hasFilter(f: CustomerFilter): boolean {
  return Boolean(f.plan || f.billing || f.currency);
}

/**
 * One row per customer: the plan (product), billing interval ("month:1", "year:1", …) and currency of its main
 * subscription, i.e. the first of active, past_due, trialing, then anything else, newest first. A customer's whole
 * MRR is attributed to that subscription: the ledger is per customer, so splitting it across plans would need
 * per-subscription MRR, which the ledger does not store. These are current attributes, not as-of ones.
 */
export function customerAttributes(workspaceId: string): SQL {
  return sql`(
    select distinct on (s.customer_id)
      s.customer_id,
      lower(s.currency) as currency,
      coalesce(s.state->'items'->0->'price'->>'productId', '') as plan_id,
      coalesce(pr.name, s.state->'items'->0->'price'->>'nickname', s.state->'items'->0->'price'->>'productId', 'No plan') as plan,
      concat(s.state->'items'->0->'price'->>'interval', ':', s.state->'items'->0->'price'->>'intervalCount') as billing
    from subscriptions s
    left join products pr on pr.workspace_id = s.workspace_id and pr.id = s.state->'items'->0->'price'->>'productId'
    where s.workspace_id = ${workspaceId}
    order by s.customer_id,
      case s.status when 'active' then 0 when 'past_due' then 1 when 'trialing' then 2 else 3 end,
      s.created desc
  )`;
}

/** The WHERE part matching a filter against an attributes row aliased `a`. */
export function filterCondition(f: CustomerFilter): SQL {
  const parts: SQL[] = [sql`true`];
  if (f.plan) parts.push(sql`a.plan_id = ${f.plan}`);
  if (f.billing) parts.push(sql`a.billing = ${f.billing}`);
  if (f.currency) parts.push(sql`a.currency = ${f.currency.toLowerCase()}`);
  return sql.join(parts, sql` and `);
}

/** Each customer's latest ledger row on or before `day` (its state at the end of that day). */
function latestRows(workspaceId: string, day: string): SQL {
  return sql`(
    select distinct on (customer_id) customer_id, mrr, annual_mrr, trialing
    from mrr_changes
    where workspace_id = ${workspaceId} and day <= ${day}
    order by customer_id, day desc
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
};

/** The values the filter controls offer: every plan, billing interval and currency of a main subscription. */
export async function listFilterOptions(workspaceId: string, db: Executor): Promise<FilterOptions> {
  const rows = rowsOf<{ plan_id: string; plan: string; billing: string; currency: string }>(
    await db.execute(
      sql`select distinct a.plan_id, a.plan, a.billing, a.currency from ${customerAttributes(workspaceId)} a`,
    ),
  );
  const plans = new Map<string, string>();
  const billing = new Set<string>();
  const currencies = new Set<string>();
  for (const r of rows) {
    if (r.plan_id) plans.set(r.plan_id, r.plan);
    if (r.billing && r.billing !== ":") billing.add(r.billing);
    if (r.currency) currencies.add(r.currency);
  }
  return {
    plans: [...plans].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name)),
    billing: [...billing].sort(),
    currencies: [...currencies].sort(),
  };
}

export type RevenueSlice = { key: string; label: string; mrr: number; customers: number };
export type RevenueBreakdown = { plan: RevenueSlice[]; billing: RevenueSlice[]; currency: RevenueSlice[] };

/**
 * MRR of paying customers as of `day`, grouped by plan, billing interval and currency of their main subscription
 * (reporting currency; "currency" is the subscription's own). Customers without a subscription row group as "—".
 */
export async function listRevenueBreakdown(
  workspaceId: string,
  db: Executor,
  opts: { day: string; filter: CustomerFilter },
): Promise<RevenueBreakdown> {
  const group = async (keyExpr: SQL, labelExpr: SQL) =>
    rowsOf<{ key: string | null; label: string | null; mrr: string | number; customers: string | number }>(
      await db.execute(sql`
        select ${keyExpr} as key, min(${labelExpr}) as label, sum(l.mrr) as mrr, count(*) as customers
        from ${latestRows(workspaceId, opts.day)} l
        left join ${customerAttributes(workspaceId)} a on a.customer_id = l.customer_id
        where l.mrr > 0 and ${filterCondition(opts.filter)}
        group by 1
        order by 3 desc`),
    ).map((r) => ({
      key: r.key ?? "",
      label: r.label ?? "—",
      mrr: Number(r.mrr),
      customers: Number(r.customers),
    }));
  const plan = await group(sql`a.plan_id`, sql`a.plan`);
  const billing = await group(sql`a.billing`, sql`a.billing`);
  const currency = await group(sql`a.currency`, sql`upper(a.currency)`);
  return { plan, billing, currency };
}

/** Ledger rows up to `to` of the customers matching the filter (the dashboard's input when a filter is set). */
export async function listFilteredMrrChanges(
  workspaceId: string,
  db: Executor,
  opts: { to: string; filter: CustomerFilter },
): Promise<MrrChange[]> {
  const rows = await db
    .select()
    .from(mrrChanges)
    .where(
      and(
        eq(mrrChanges.workspaceId, workspaceId),
        lte(mrrChanges.day, opts.to),
        sql`${mrrChanges.customerId} in (select a.customer_id from ${customerAttributes(workspaceId)} a where ${filterCondition(opts.filter)})`,
      ),
    )
    .orderBy(mrrChanges.customerId, mrrChanges.day);
  return rows.map(toMrrChange);
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
