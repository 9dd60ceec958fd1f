import { sql, type SQL } from "drizzle-orm";
import type { SubscriptionState } from "@/lib/metrics/types";
import { rowsOf, type Executor } from "../client";
import { customerAttributes, filterCondition, hasFilter, type CustomerFilter } from "./dashboard";

// Customer read models: the list (sorted and paged in SQL) and one customer's page.

export type CustomerSort = "mrr" | "name" | "email" | "created" | "plan";
export type CustomerListRow = {
  id: string;
  name: string | null;
  email: string | null;
  created: Date | null;
  mrr: number;
  trialing: boolean;
  plan: string | null;
  billing: string | null;
  currency: string | null;
  /** ISO 3166-1 alpha-2 from the customer's address; null when unknown. */
  country: string | null;
};

const toDate = (v: unknown): Date | null => (v === null || v === undefined ? null : new Date(v as string));

/**
 * Customers with their MRR at the end of `asOf`, sorted and paged in SQL. A customer is anyone in the Stripe
 * projection or the MRR ledger. `status` "paying" keeps customers with MRR > 0; `q` matches id, name or email.
 */
export async function listCustomerPage(
  workspaceId: string,
  db: Executor,
  opts: {
    asOf: string;
    q?: string;
    status: "all" | "paying";
    filter: CustomerFilter;
    /** Customers whose first `new` movement falls in this month (YYYY-MM): a cohort row of the retention table. */
    cohort?: string;
    sort: CustomerSort;
    dir: "asc" | "desc";
    limit: number;
    offset: number;
  },
): Promise<{ rows: CustomerListRow[]; total: number; totalMrr: number }> {
  const dir = opts.dir === "asc" ? sql`asc` : sql`desc`;
  const nulls = opts.dir === "asc" ? sql`nulls first` : sql`nulls last`;
  const order = {
    mrr: sql`coalesce(l.mrr, 0) ${dir}, ids.id asc`,
    name: sql`coalesce(c.name, c.email, ids.id) ${dir}`,
    email: sql`c.email ${dir} ${nulls}, ids.id asc`,
    created: sql`c.created ${dir} ${nulls}, ids.id asc`,
    plan: sql`a.plan ${dir} ${nulls}, ids.id asc`,
  }[opts.sort];
  const like = opts.q ? `%${opts.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%` : null;
  const conditions: SQL[] = [sql`true`];
  if (opts.status === "paying") conditions.push(sql`coalesce(l.mrr, 0) > 0`);
  if (like) conditions.push(sql`(ids.id ilike ${like} or c.name ilike ${like} or c.email ilike ${like})`);
  if (hasFilter(opts.filter)) conditions.push(filterCondition(opts.filter));
  if (opts.cohort)
    conditions.push(sql`(select to_char(min(f.day), 'YYYY-MM') from mrr_changes f
      where f.workspace_id = ${workspaceId} and f.customer_id = ids.id and f.kind = 'new') = ${opts.cohort}`);
  const where = sql.join(conditions, sql` and `);
  const from = sql`
    (select id from customers where workspace_id = ${workspaceId} and not deleted
     union select distinct customer_id from mrr_changes where workspace_id = ${workspaceId}) ids
    left join customers c on c.workspace_id = ${workspaceId} and c.id = ids.id
    left join lateral (
      select m.mrr, m.trialing from mrr_changes m
      where m.workspace_id = ${workspaceId} and m.customer_id = ids.id and m.day <= ${opts.asOf}
      order by m.day desc limit 1
    ) l on true
    left join ${customerAttributes(workspaceId)} a on a.customer_id = ids.id`;
  const rows = rowsOf<Record<string, unknown>>(
    await db.execute(sql`
      select ids.id, c.name, c.email, c.created, coalesce(l.mrr, 0) as mrr, coalesce(l.trialing, false) as trialing,
             a.plan, a.billing, a.currency, c.country::text as country
      from ${from}
      where ${where}
      order by ${order}
      limit ${opts.limit} offset ${opts.offset}`),
  );
  const [totals] = rowsOf<{ n: string | number; mrr: string | number | null }>(
    await db.execute(
      sql`select count(*) as n, coalesce(sum(coalesce(l.mrr, 0)), 0) as mrr from ${from} where ${where}`,
    ),
  );
  return {
    rows: rows.map((r) => ({
      id: String(r.id),
      name: (r.name as string | null) ?? null,
      email: (r.email as string | null) ?? null,
      created: toDate(r.created),
      mrr: Number(r.mrr),
      trialing: Boolean(r.trialing),
      plan: (r.plan as string | null) ?? null,
      billing: (r.billing as string | null) ?? null,
      currency: (r.currency as string | null) ?? null,
      country: (r.country as string | null) ?? null,
    })),
    total: Number(totals?.n ?? 0),
    totalMrr: Number(totals?.mrr ?? 0),
  };
}

export type CustomerDetail = {
  id: string;
  name: string | null;
  email: string | null;
  currency: string | null;
  country: string | null;
  created: Date | null;
  delinquent: boolean;
  deleted: boolean;
};

/** One customer of the projection, or undefined (a ledger-only id still gets a page from its ledger rows). */
export async function findCustomer(workspaceId: string, db: Executor, id: string): Promise<CustomerDetail | undefined> {
  const [r] = rowsOf<Record<string, unknown>>(
    await db.execute(sql`select id, name, email, currency, country::text as country, created, delinquent, deleted from customers
      where workspace_id = ${workspaceId} and id = ${id}`),
  );
  if (!r) return undefined;
  return {
    id: String(r.id),
    name: (r.name as string | null) ?? null,
    email: (r.email as string | null) ?? null,
    currency: (r.currency as string | null) ?? null,
    country: (r.country as string | null) ?? null,
    created: toDate(r.created),
    delinquent: Boolean(r.delinquent),
    deleted: Boolean(r.deleted),
  };
}

export type CustomerSubscriptionRow = {
  id: string;
  status: string;
  currency: string;
  created: Date | null;
  cancelAtPeriodEnd: boolean;
  canceledAt: Date | null;
  endedAt: Date | null;
  trialEnd: Date | null;
  currentPeriodEnd: Date | null;
  state: SubscriptionState;
  products: Record<string, string>;
};

/** The customer's subscriptions (latest state), newest first, with the names of the products on their items. */
export async function listCustomerSubscriptions(
  workspaceId: string,
  db: Executor,
  customerId: string,
): Promise<CustomerSubscriptionRow[]> {
  const rows = rowsOf<Record<string, unknown>>(
    await db.execute(sql`select s.id, s.status, s.currency, s.created, s.cancel_at_period_end, s.canceled_at, s.ended_at,
        s.trial_end, s.current_period_end, s.state,
        (select coalesce(jsonb_object_agg(p.id, p.name), '{}'::jsonb) from products p
          where p.workspace_id = s.workspace_id
            and p.id in (select i->'price'->>'productId' from jsonb_array_elements(s.state->'items') i)) as products
      from subscriptions s
      where s.workspace_id = ${workspaceId} and s.customer_id = ${customerId}
      order by s.created desc`),
  );
  return rows.map((r) => ({
    id: String(r.id),
    status: String(r.status),
    currency: String(r.currency),
    created: toDate(r.created),
    cancelAtPeriodEnd: Boolean(r.cancel_at_period_end),
    canceledAt: toDate(r.canceled_at),
    endedAt: toDate(r.ended_at),
    trialEnd: toDate(r.trial_end),
    currentPeriodEnd: toDate(r.current_period_end),
    state: (typeof r.state === "string" ? JSON.parse(r.state) : r.state) as SubscriptionState,
    products: ((typeof r.products === "string" ? JSON.parse(r.products) : r.products) ?? {}) as Record<string, string>,
  }));
}

export type CustomerInvoiceRow = {
  id: string;
  status: string | null;
  currency: string;
  amountDue: number;
  amountPaid: number;
  total: number;
  billingReason: string | null;
  created: Date;
  paidAt: Date | null;
  attemptCount: number;
};

/** The customer's invoices, newest first (at most `limit`). */
export async function listCustomerInvoices(
  workspaceId: string,
  db: Executor,
  customerId: string,
  limit = 100,
): Promise<CustomerInvoiceRow[]> {
  const rows = rowsOf<Record<string, unknown>>(
    await db.execute(sql`select id, status, currency, amount_due, amount_paid, total, billing_reason, created, paid_at, attempt_count
      from invoices where workspace_id = ${workspaceId} and customer_id = ${customerId}
      order by created desc limit ${limit}`),
  );
  return rows.map((r) => ({
    id: String(r.id),
    status: (r.status as string | null) ?? null,
    currency: String(r.currency),
    amountDue: Number(r.amount_due),
    amountPaid: Number(r.amount_paid),
    total: Number(r.total),
    billingReason: (r.billing_reason as string | null) ?? null,
    created: toDate(r.created) ?? new Date(0),
    paidAt: toDate(r.paid_at),
    attemptCount: Number(r.attempt_count),
  }));
}

export type CustomerEventRow = {
  id: string;
  connectionId: string;
  type: string;
  created: Date;
  outcome: "applied" | "ignored" | "stale" | "rejected" | null;
  reason: string | null;
};

/**
 * The raw Stripe events about a customer, newest first: those whose object is the customer or names it as
 * `customer`, plus any event a ledger row of the customer cites. With the projection's outcome and reason.
 * The JSON match scans the workspace's events (no expression index on the payload yet); `limit` bounds the page.
 */
export async function listCustomerStripeEvents(
  workspaceId: string,
  db: Executor,
  customerId: string,
  limit = 200,
): Promise<CustomerEventRow[]> {
  const rows = rowsOf<Record<string, unknown>>(
    await db.execute(sql`select e.id, e.connection_id, e.type, e.created, o.outcome, o.reason
      from stripe_events e
      left join stripe_event_outcomes o
        on o.workspace_id = e.workspace_id and o.connection_id = e.connection_id and o.event_id = e.id
      where e.workspace_id = ${workspaceId}
        and (e.payload->'data'->'object'->>'customer' = ${customerId}
          or (e.payload->'data'->'object'->>'id' = ${customerId})
          or e.id in (select unnest(m.event_ids) from mrr_changes m where m.workspace_id = ${workspaceId} and m.customer_id = ${customerId}))
      order by e.created desc, e.id desc
      limit ${limit}`),
  );
  return rows.map((r) => ({
    id: String(r.id),
    connectionId: String(r.connection_id),
    type: String(r.type),
    created: toDate(r.created) ?? new Date(0),
    outcome: (r.outcome as CustomerEventRow["outcome"]) ?? null,
    reason: (r.reason as string | null) ?? null,
  }));
}
