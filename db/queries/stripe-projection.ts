// Upserts for the Stripe projection. Each write is one statement: INSERT … ON CONFLICT DO UPDATE … WHERE the stored
// row's `last_event_key` is smaller than the incoming one, RETURNING whether it wrote (false = stale).
import { eq, getTableColumns, getTableName, sql, type SQL } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import type { Executor } from "../client";
import { rowsOf } from "../client";
import { jsonRows, snakeCase, textList } from "./mrr";
import {
  charges,
  coupons,
  creditNotes,
  customers,
  discounts,
  invoiceLines,
  invoicePaymentFailures,
  invoicePayments,
  invoices,
  prices,
  products,
  promotionCodes,
  refunds,
  subscriptionItems,
  subscriptionSchedules,
  subscriptions,
  subscriptionVersions,
} from "../schema";

type Row = Record<string, unknown>;

/**
 * Newer-wins upsert of many rows (distinct ids) in one statement, as SQL to which the caller adds RETURNING.
 * `excluded.<column>` rather than the values again: the payloads travel once.
 *
 * The rows travel as ONE jsonb parameter read as the table's row type (`jsonRows`, `jsonb_populate_recordset`),
 * which inserts the columns that have a value in the first row; the others take their defaults, as with drizzle's
 * builder. So the text depends only on the table and those columns, not on the row count, and no per-column
 * parameters are built: drizzle's builder took about 0.2 ms of CPU for one invoice row, this about 0.04 ms. When
 * the rows do not all give the same columns, a row without one would get null where the builder gives the column's
 * default: those go through the builder.
 */
function freshUpsert(
  db: Executor,
  table: PgTable,
  keyColumn: PgColumn,
  target: PgColumn[],
  rows: Row[],
  extraWhere?: SQL,
): SQL {
  const columns = getTableColumns(table);
  const givenOf = (r: Row) => Object.keys(r).filter((k) => Object.hasOwn(columns, k) && r[k] !== undefined);
  const first = rows[0]!;
  const given = givenOf(first);
  const updated = Object.keys(first).filter((k) => Object.hasOwn(columns, k) && k !== "workspaceId" && k !== "id");
  const where = extraWhere
    ? sql`${keyColumn} < excluded.last_event_key and ${extraWhere}`
    : sql`${keyColumn} < excluded.last_event_key`;
  const uniform = rows.every((r) => givenOf(r).length === given.length && given.every((k) => r[k] !== undefined));
  if (!uniform) {
    const set = Object.fromEntries(updated.map((k) => [k, sql.raw(`excluded."${snakeCase(k)}"`)]));
    // The table is generic here; each exported wrapper below types its values.
    return db
      .insert(table)
      .values(rows as never)
      .onConflictDoUpdate({ target, set: set as never, setWhere: where })
      .getSQL();
  }
  const name = sql.identifier(getTableName(table));
  const list = sql.raw(given.map((k) => `"${snakeCase(k)}"`).join(", "));
  const conflict = sql.raw(target.map((c) => `"${snakeCase(c.name)}"`).join(", "));
  const set = sql.raw(updated.map((k) => `"${snakeCase(k)}" = excluded."${snakeCase(k)}"`).join(", "));
  return sql`insert into ${name} (${list}) select ${list} from jsonb_populate_recordset(null::${name}, ${jsonRows(rows)})
    on conflict (${conflict}) do update set ${set} where ${where}`;
}

async function upsertFreshMany(
  db: Executor,
  table: PgTable,
  keyColumn: PgColumn,
  idColumn: PgColumn,
  target: PgColumn[],
  rows: Row[],
  extraWhere?: SQL,
): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const out = rowsOf<{ id: string }>(
    await db.execute(
      sql`${freshUpsert(db, table, keyColumn, target, rows, extraWhere)} returning "${sql.raw(snakeCase(idColumn.name))}" as id`,
    ),
  );
  return new Set(out.map((r) => r.id));
}

async function upsertFresh(
  db: Executor,
  table: PgTable,
  keyColumn: PgColumn,
  target: PgColumn[],
  values: Row,
  extraWhere?: SQL,
): Promise<boolean> {
  const idColumn = target[target.length - 1]!;
  return (await upsertFreshMany(db, table, keyColumn, idColumn, target, [values], extraWhere)).size === 1;
}

export type Freshness = { connectionId: string; lastEventKey: string; lastEventId: string; lastEventCreated: Date };

/** Several customers (distinct ids, the same columns in every row) in one statement: the ids written. */
export const upsertCustomers = (
  workspaceId: string,
  db: Executor,
  rows: Omit<typeof customers.$inferInsert, "workspaceId">[],
) =>
  upsertFreshMany(
    db,
    customers,
    customers.lastEventKey,
    customers.id,
    [customers.workspaceId, customers.id],
    rows.map((r) => ({ ...r, workspaceId })),
  );

export const upsertProduct = (
  workspaceId: string,
  db: Executor,
  v: Omit<typeof products.$inferInsert, "workspaceId">,
) => upsertFresh(db, products, products.lastEventKey, [products.workspaceId, products.id], { ...v, workspaceId });

/** A plan-sourced write never replaces a price-sourced row: plans lack tax behavior and custom amounts. */
export const upsertPrice = (workspaceId: string, db: Executor, v: Omit<typeof prices.$inferInsert, "workspaceId">) =>
  upsertFresh(
    db,
    prices,
    prices.lastEventKey,
    [prices.workspaceId, prices.id],
    { ...v, workspaceId },
    sql`(excluded.source_object = 'price' or ${prices.sourceObject} = 'plan')`,
  );

export const upsertCoupon = (workspaceId: string, db: Executor, v: Omit<typeof coupons.$inferInsert, "workspaceId">) =>
  upsertFresh(db, coupons, coupons.lastEventKey, [coupons.workspaceId, coupons.id], { ...v, workspaceId });

export const upsertPromotionCode = (
  workspaceId: string,
  db: Executor,
  v: Omit<typeof promotionCodes.$inferInsert, "workspaceId">,
) =>
  upsertFresh(db, promotionCodes, promotionCodes.lastEventKey, [promotionCodes.workspaceId, promotionCodes.id], {
    ...v,
    workspaceId,
  });

/** Several discounts (distinct ids) in one statement: the ids written. */
export const upsertDiscounts = (
  workspaceId: string,
  db: Executor,
  rows: Omit<typeof discounts.$inferInsert, "workspaceId">[],
) =>
  upsertFreshMany(
    db,
    discounts,
    discounts.lastEventKey,
    discounts.id,
    [discounts.workspaceId, discounts.id],
    rows.map((r) => ({ ...r, workspaceId })),
  );

type ItemRow = Omit<typeof subscriptionItems.$inferInsert, "workspaceId">;

/** A subscription version's key within its workspace. */
export type VersionKey = { subscriptionId: string; eventId: string };

/**
 * Inserts history versions (idempotent: a repeated event id is skipped) and judges whether each repeats the state
 * before it (ADR 0015). A version that lands at the end of its subscription's history, alone in the statement, is
 * compared with the version before it; one that lands in the middle, or beside another of the same subscription,
 * is left for the ledger refresh to judge (null), with the version after it. The refresh, under the customer's
 * lock, checks the ones judged here too (a concurrent event may have inserted a version in between).
 */
function insertVersions(
  workspaceId: string,
  versions: Omit<typeof subscriptionVersions.$inferInsert, "workspaceId">[],
) {
  const rows = JSON.stringify(
    versions.map((v) => ({
      workspace_id: workspaceId,
      subscription_id: v.subscriptionId,
      event_id: v.eventId,
      connection_id: v.connectionId,
      customer_id: v.customerId,
      valid_from: v.validFrom.toISOString(),
      event_key: v.eventKey,
      state: v.state,
      source: v.source,
      refs: v.refs ?? [],
    })),
  );
  return sql`
    insert into subscription_versions (workspace_id, subscription_id, event_id, connection_id, customer_id,
      valid_from, event_key, state, source, refs, repeats)
    select n.workspace_id, n.subscription_id, n.event_id, n.connection_id, n.customer_id, n.valid_from, n.event_key,
      n.state, n.source, n.refs,
      case
        when count(*) over (partition by n.subscription_id) > 1 or exists (
          select 1 from subscription_versions x
          where x.workspace_id = n.workspace_id and x.subscription_id = n.subscription_id
            and (x.valid_from, x.event_key) > (n.valid_from, n.event_key)) then null
        else coalesce((
          select p.state = n.state from subscription_versions p
          where p.workspace_id = n.workspace_id and p.subscription_id = n.subscription_id
            and (p.valid_from, p.event_key) < (n.valid_from, n.event_key)
          order by p.valid_from desc, p.event_key desc limit 1), false)
      end
    from jsonb_populate_recordset(null::subscription_versions, ${rows}::jsonb) n
    on conflict do nothing
    returning subscription_id`;
}

/**
 * A subscription handler's writes in ONE statement (data-modifying CTEs): the newer-wins upsert of the latest rows,
 * the history versions (idempotent), and, for the subscriptions the upsert wrote, the replacement of their items
 * (upsert the current ones, delete the others: the delete spares exactly the rows the upsert returned, and no part
 * sees another's writes). Returns the ids written (`applied`) and the subscription ids that got a new version
 * (`inserted`).
 */
export async function writeSubscriptions(
  workspaceId: string,
  db: Executor,
  input: {
    subscriptions: Omit<typeof subscriptions.$inferInsert, "workspaceId">[];
    items: ItemRow[];
    versions: Omit<typeof subscriptionVersions.$inferInsert, "workspaceId">[];
  },
): Promise<{ applied: Set<string>; inserted: Set<string> }> {
  const applied = new Set<string>();
  const inserted = new Set<string>();
  if (input.subscriptions.length === 0) return { applied, inserted };
  const upsert = freshUpsert(
    db,
    subscriptions,
    subscriptions.lastEventKey,
    [subscriptions.workspaceId, subscriptions.id],
    input.subscriptions.map((r) => ({ ...r, workspaceId })),
  );
  const versions = input.versions.length ? sql`, v as (${insertVersions(workspaceId, input.versions)})` : sql``;
  const items = JSON.stringify(
    input.items.map((i) => ({
      id: i.id,
      subscription_id: i.subscriptionId,
      price_id: i.priceId,
      quantity: i.quantity,
      current_period_start: i.currentPeriodStart?.toISOString() ?? null,
      current_period_end: i.currentPeriodEnd?.toISOString() ?? null,
      last_event_key: i.lastEventKey,
    })),
  );
  const rows = rowsOf<{ k: "s" | "v"; id: string }>(
    await db.execute(sql`
      with s as (${upsert} returning id)${versions},
      iu as (
        insert into subscription_items (workspace_id, id, subscription_id, price_id, quantity, current_period_start,
          current_period_end, last_event_key)
        select ${workspaceId}, r.id, r.subscription_id, r.price_id, r.quantity, r.current_period_start,
          r.current_period_end, r.last_event_key
        from jsonb_to_recordset(${items}::jsonb) as r(id text, subscription_id text, price_id text, quantity integer,
          current_period_start timestamptz, current_period_end timestamptz, last_event_key text)
        where r.subscription_id in (select id from s)
        on conflict (workspace_id, id) do update set subscription_id = excluded.subscription_id,
          price_id = excluded.price_id, quantity = excluded.quantity,
          current_period_start = excluded.current_period_start, current_period_end = excluded.current_period_end,
          last_event_key = excluded.last_event_key
        returning id
      ),
      idel as (
        delete from subscription_items where workspace_id = ${workspaceId}
          and subscription_id in (select id from s)
          and id not in (select id from iu)
      )
      select 's' as k, id from s
      ${input.versions.length ? sql`union all select 'v', subscription_id from v` : sql``}`),
  );
  for (const r of rows) (r.k === "s" ? applied : inserted).add(r.id);
  return { applied, inserted };
}

export const upsertSubscriptionSchedule = (
  workspaceId: string,
  db: Executor,
  v: Omit<typeof subscriptionSchedules.$inferInsert, "workspaceId">,
) =>
  upsertFresh(
    db,
    subscriptionSchedules,
    subscriptionSchedules.lastEventKey,
    [subscriptionSchedules.workspaceId, subscriptionSchedules.id],
    { ...v, workspaceId },
  );

/**
 * Invoices and their lines in ONE statement: the newer-wins upsert of the invoices, and, for the ones it wrote that
 * carry a full `lines` list (`linesOf`), their lines replaced (upsert the given ones, delete the others). Returns the
 * invoice ids written (a stale invoice is left out, its lines untouched).
 */
export async function writeInvoices(
  workspaceId: string,
  db: Executor,
  input: {
    invoices: Omit<typeof invoices.$inferInsert, "workspaceId">[];
    /** The ids of the invoices whose lines are replaced, and those lines. */
    linesOf: string[];
    lines: Omit<typeof invoiceLines.$inferInsert, "workspaceId">[];
  },
): Promise<Set<string>> {
  if (input.invoices.length === 0) return new Set();
  const upsert = freshUpsert(
    db,
    invoices,
    invoices.lastEventKey,
    [invoices.workspaceId, invoices.id],
    input.invoices.map((r) => ({ ...r, workspaceId })),
  );
  if (input.linesOf.length === 0) {
    const out = rowsOf<{ id: string }>(await db.execute(sql`${upsert} returning id`));
    return new Set(out.map((r) => r.id));
  }
  const lines = JSON.stringify(
    input.lines.map((l) => ({
      invoice_id: l.invoiceId,
      id: l.id,
      amount: l.amount,
      currency: l.currency,
      subscription_id: l.subscriptionId ?? null,
      subscription_item_id: l.subscriptionItemId ?? null,
      price_id: l.priceId ?? null,
      quantity: l.quantity ?? null,
      proration: l.proration,
      period_start: l.periodStart?.toISOString() ?? null,
      period_end: l.periodEnd?.toISOString() ?? null,
      discount_amount: l.discountAmount,
    })),
  );
  // Fixed text whatever the number of lines: the lines travel once, as one jsonb parameter read by both the upsert
  // and the delete of the others.
  const rows = rowsOf<{ id: string }>(
    await db.execute(sql`
      with s as (${upsert} returning id),
      r as materialized (
        select * from jsonb_to_recordset(${lines}::jsonb) as r(invoice_id text, id text, amount bigint, currency text,
          subscription_id text, subscription_item_id text, price_id text, quantity integer, proration boolean,
          period_start timestamptz, period_end timestamptz, discount_amount bigint)
      ),
      lu as (
        insert into invoice_lines (workspace_id, invoice_id, id, amount, currency, subscription_id, subscription_item_id,
          price_id, quantity, proration, period_start, period_end, discount_amount)
        select ${workspaceId}, r.invoice_id, r.id, r.amount, r.currency, r.subscription_id, r.subscription_item_id,
          r.price_id, r.quantity, r.proration, r.period_start, r.period_end, r.discount_amount
        from r
        where r.invoice_id in (select id from s)
        on conflict (workspace_id, invoice_id, id) do update set amount = excluded.amount,
          currency = excluded.currency, subscription_id = excluded.subscription_id,
          subscription_item_id = excluded.subscription_item_id, price_id = excluded.price_id,
          quantity = excluded.quantity, proration = excluded.proration, period_start = excluded.period_start,
          period_end = excluded.period_end, discount_amount = excluded.discount_amount
      ),
      ld as (
        delete from invoice_lines where workspace_id = ${workspaceId}
          and invoice_id in (select id from s)
          and invoice_id in (${textList(input.linesOf)})
          and (invoice_id, id) not in (select invoice_id, id from r)
      )
      select id from s`),
  );
  return new Set(rows.map((r) => r.id));
}

export const upsertCreditNote = (
  workspaceId: string,
  db: Executor,
  v: Omit<typeof creditNotes.$inferInsert, "workspaceId">,
) =>
  upsertFresh(db, creditNotes, creditNotes.lastEventKey, [creditNotes.workspaceId, creditNotes.id], {
    ...v,
    workspaceId,
  });

/** Several charges (distinct ids) in one statement: the ids written. */
export const upsertCharges = (
  workspaceId: string,
  db: Executor,
  rows: Omit<typeof charges.$inferInsert, "workspaceId">[],
) =>
  upsertFreshMany(
    db,
    charges,
    charges.lastEventKey,
    charges.id,
    [charges.workspaceId, charges.id],
    rows.map((r) => ({ ...r, workspaceId })),
  );

/** Several invoice payments (distinct ids) in one statement: the ids written. */
export const upsertInvoicePayments = (
  workspaceId: string,
  db: Executor,
  rows: Omit<typeof invoicePayments.$inferInsert, "workspaceId">[],
) =>
  upsertFreshMany(
    db,
    invoicePayments,
    invoicePayments.lastEventKey,
    invoicePayments.id,
    [invoicePayments.workspaceId, invoicePayments.id],
    rows.map((r) => ({ ...r, workspaceId })),
  );

/** Several refunds in one statement (a charge payload lists its refunds); each row keeps its own freshness. */
export async function upsertRefunds(
  workspaceId: string,
  db: Executor,
  rows: Omit<typeof refunds.$inferInsert, "workspaceId">[],
): Promise<number> {
  if (rows.length === 0) return 0;
  const out = await db
    .insert(refunds)
    .values(rows.map((r) => ({ ...r, workspaceId })))
    .onConflictDoUpdate({
      target: [refunds.workspaceId, refunds.id],
      set: {
        chargeId: sql`excluded.charge_id`,
        amount: sql`excluded.amount`,
        currency: sql`excluded.currency`,
        status: sql`excluded.status`,
        created: sql`excluded.created`,
        connectionId: sql`excluded.connection_id`,
        lastEventKey: sql`excluded.last_event_key`,
        lastEventId: sql`excluded.last_event_id`,
        lastEventCreated: sql`excluded.last_event_created`,
      },
      setWhere: sql`${refunds.lastEventKey} < excluded.last_event_key`,
    })
    .returning({ id: refunds.id });
  return out.length;
}

/**
 * Recomputes `pastDueSince` over each subscription's history: the valid_from of the first version of each run of
 * past_due versions (ordered by valid_from, event_key), null elsewhere. Order-independent by construction.
 */
export async function refreshPastDueSince(workspaceId: string, db: Executor, subscriptionIds: string[]): Promise<void> {
  if (subscriptionIds.length === 0) return;
  const ids = sql`array[${sql.join(
    subscriptionIds.map((i) => sql`${i}`),
    sql`, `,
  )}]::text[]`;
  await db.execute(sql`
    with ordered as (
      select subscription_id, event_id, valid_from, state->>'status' = 'past_due' as pd,
        sum(case when state->>'status' = 'past_due' then 0 else 1 end)
          over (partition by subscription_id order by valid_from, event_key) as grp
      from subscription_versions where workspace_id = ${workspaceId} and subscription_id = any(${ids})
    ), runs as (
      select subscription_id, event_id,
        case when pd then (extract(epoch from min(valid_from) over (partition by subscription_id, grp, pd)) * 1000)::bigint end as since
      from ordered
    )
    , upd as (
      update subscription_versions v set state = jsonb_set(v.state, '{pastDueSince}', coalesce(to_jsonb(r.since), 'null'::jsonb))
      from runs r
      where v.workspace_id = ${workspaceId} and v.subscription_id = r.subscription_id and v.event_id = r.event_id
        and v.state->'pastDueSince' is distinct from coalesce(to_jsonb(r.since), 'null'::jsonb)
      returning v.event_id
    )
    update subscriptions s set state = jsonb_set(s.state, '{pastDueSince}', coalesce(to_jsonb(r.since), 'null'::jsonb))
    from runs r
    where s.workspace_id = ${workspaceId} and s.id = r.subscription_id and s.last_event_id = r.event_id
      and s.state->'pastDueSince' is distinct from coalesce(to_jsonb(r.since), 'null'::jsonb)`);
}

export async function insertInvoicePaymentFailure(
  workspaceId: string,
  db: Executor,
  v: Omit<typeof invoicePaymentFailures.$inferInsert, "workspaceId">,
): Promise<void> {
  await db
    .insert(invoicePaymentFailures)
    .values({ ...v, workspaceId })
    .onConflictDoNothing();
}

export type ResolutionRow = {
  kind: "discount" | "coupon" | "customer";
  id: string;
  coupon_id: string | null;
  coupon: unknown;
  coupon_data: unknown;
  start: unknown;
  end: unknown;
  discount_id: string | null;
};

/**
 * Everything needed to resolve discount references, in one query: the discounts (with their coupon joined), the
 * coupons named directly, and the customers' own discounts (pre-2025 shape). The discounts are found by key
 * (`= any(…)`): an `or` of two `in` lists made the planner scan the workspace's discounts. Each id list is one
 * jsonb parameter, so the text never depends on how many ids there are: one prepared statement serves every
 * event, where a text per list length was planned again at each bind (ADR 0012).
 */
export async function listDiscountResolution(
  workspaceId: string,
  db: Executor,
  input: { discountIds: string[]; couponIds: string[]; customerIds: string[] },
): Promise<ResolutionRow[]> {
  const ids = (list: string[]) => sql`array(${textList(list)})`;
  const result = await db.execute(sql`
    with cd as (select id as customer_id, discount_id from customers where workspace_id = ${workspaceId} and id = any(${ids(input.customerIds)}) and discount_id is not null)
    select 'discount' as kind, d.id, d.coupon_id, d.coupon, c.data as coupon_data,
      (extract(epoch from d.start) * 1000)::bigint as start, (extract(epoch from d."end") * 1000)::bigint as "end", null as discount_id
    from discounts d left join coupons c on c.workspace_id = d.workspace_id and c.id = d.coupon_id
    where d.workspace_id = ${workspaceId} and d.id = any(${ids(input.discountIds)} || array(select discount_id from cd))
    union all
    select 'coupon', id, id, null, data, null, null, null from coupons where workspace_id = ${workspaceId} and id = any(${ids(input.couponIds)})
    union all
    select 'customer', customer_id, null, null, null, null, null, discount_id from cd`);
  return rowsOf<ResolutionRow>(result);
}

export type DerivedRow = {
  table: "versions" | "subscriptions";
  subscription_id: string;
  event_id: string | null;
  source: unknown;
  state: unknown;
  refs: string[];
};

/** Versions and latest rows whose resolution used any of these refs (discount, coupon or `cus:` ids). */
export async function listRowsByRefs(workspaceId: string, db: Executor, refs: string[]): Promise<DerivedRow[]> {
  const arr = sql`array[${sql.join(
    refs.map((r) => sql`${r}`),
    sql`, `,
  )}]::text[]`;
  const result = await db.execute(sql`
    select 'versions' as table, subscription_id, event_id, source, state, to_jsonb(refs) as refs from subscription_versions where workspace_id = ${workspaceId} and refs && ${arr}
    union all
    select 'subscriptions', id, null, source, state, to_jsonb(refs) from subscriptions where workspace_id = ${workspaceId} and refs && ${arr}`);
  return rowsOf<DerivedRow>(result);
}

/**
 * Re-resolved state and refs for many versions and latest rows: one statement per table. The rows travel as one
 * jsonb array (`jsonb_to_recordset`), which both drivers pass the same way.
 */
export async function updateDerivedStates(
  workspaceId: string,
  db: Executor,
  rows: {
    table: "versions" | "subscriptions";
    subscriptionId: string;
    eventId: string | null;
    state: unknown;
    refs: string[];
  }[],
): Promise<void> {
  const payload = (table: "versions" | "subscriptions") =>
    JSON.stringify(
      rows
        .filter((r) => r.table === table)
        .map((r) => ({ subscription_id: r.subscriptionId, event_id: r.eventId, state: r.state, refs: r.refs })),
    );
  const recordset = (json: string) =>
    sql`jsonb_to_recordset(${json}::jsonb) as v(subscription_id text, event_id text, state jsonb, refs jsonb)`;
  const refs = sql`array(select jsonb_array_elements_text(v.refs))`;
  if (rows.some((r) => r.table === "versions"))
    await db.execute(sql`
      update subscription_versions t set state = v.state, refs = ${refs} from ${recordset(payload("versions"))}
      where t.workspace_id = ${workspaceId} and t.subscription_id = v.subscription_id and t.event_id = v.event_id`);
  if (rows.some((r) => r.table === "subscriptions"))
    await db.execute(sql`
      update subscriptions t set state = v.state, refs = ${refs} from ${recordset(payload("subscriptions"))}
      where t.workspace_id = ${workspaceId} and t.id = v.subscription_id`);
}

/** The projection tables, in a stable order: what rebuild drops and what tests compare. */
export const projectionTables = {
  customers,
  products,
  prices,
  coupons,
  promotionCodes,
  discounts,
  subscriptions,
  subscriptionItems,
  subscriptionVersions,
  subscriptionSchedules,
  invoices,
  invoiceLines,
  invoicePaymentFailures,
  creditNotes,
  charges,
  refunds,
  invoicePayments,
} as const;

export async function deleteProjection(workspaceId: string, db: Executor): Promise<void> {
  for (const table of Object.values(projectionTables)) {
    await db.delete(table).where(eq((table as unknown as { workspaceId: PgColumn }).workspaceId, workspaceId));
  }
}
