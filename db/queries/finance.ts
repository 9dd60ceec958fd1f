import { and, eq, gte, inArray, lt, lte, or, sql } from "drizzle-orm";
import type { CashGroup, ChargeRecord, InvoiceRecord, RecoveryGroup, RefundRecord } from "@/lib/metrics/cash";
import type {
  Coupon,
  Day,
  Discount,
  Price,
  SchedulePhase,
  SubscriptionItem,
  SubscriptionVersion,
} from "@/lib/metrics/types";
import { endOfLocalDay, startOfLocalDay, toLocalDay } from "@/lib/metrics/time";
import { rowsOf, type Executor } from "../client";
import { ofCustomers } from "./mrr";
import {
  charges,
  coupons,
  discounts,
  invoicePaymentFailures,
  invoicePayments,
  invoices,
  prices,
  refunds,
  subscriptionSchedules,
} from "../schema";

const ms = (d: Date | null) => (d ? d.getTime() : null);

/**
 * Invoices with their first failed attempt (cash collected and recovery). With `from`, only those paid in
 * [from, before) or whose first failure falls in it: the only ones a period's cash and recovery read.
 */
export async function listInvoiceRecords(
  workspaceId: string,
  db: Executor,
  range: { before: Date; from?: Date },
): Promise<InvoiceRecord[]> {
  const failures = db
    .select({
      invoiceId: invoicePaymentFailures.invoiceId,
      firstFailedAt: sql<Date>`min(${invoicePaymentFailures.failedAt})`.as("first_failed_at"),
      amountDueAtFirstFailure:
        sql<string>`(array_agg(${invoicePaymentFailures.amountDue} order by ${invoicePaymentFailures.failedAt}, ${invoicePaymentFailures.eventId}))[1]`.as(
          "amount_due_at_first_failure",
        ),
    })
    .from(invoicePaymentFailures)
    .where(eq(invoicePaymentFailures.workspaceId, workspaceId))
    .groupBy(invoicePaymentFailures.invoiceId)
    .as("f");
  const rows = await db
    .select({
      id: invoices.id,
      customerId: invoices.customerId,
      currency: invoices.currency,
      status: invoices.status,
      amountDue: invoices.amountDue,
      amountPaid: invoices.amountPaid,
      paidAt: invoices.paidAt,
      reportedAt: invoices.lastEventCreated,
      firstFailedAt: failures.firstFailedAt,
      amountDueAtFirstFailure: failures.amountDueAtFirstFailure,
    })
    .from(invoices)
    .leftJoin(failures, eq(failures.invoiceId, invoices.id))
    .where(
      and(
        eq(invoices.workspaceId, workspaceId),
        lte(invoices.created, range.before),
        range.from
          ? or(
              and(gte(invoices.paidAt, range.from), lt(invoices.paidAt, range.before)),
              // An aliased aggregate has no column type to map a Date: compare with ISO strings.
              sql`${failures.firstFailedAt} >= ${range.from.toISOString()} and ${failures.firstFailedAt} < ${range.before.toISOString()}`,
            )
          : undefined,
      ),
    );
  return rows.map((r) => ({
    id: r.id,
    customerId: r.customerId,
    currency: r.currency,
    status: (r.status ?? "draft") as InvoiceRecord["status"],
    amountDue: r.amountDue,
    amountPaid: r.amountPaid,
    paidAt: ms(r.paidAt),
    reportedAt: ms(r.reportedAt),
    firstFailedAt: r.firstFailedAt ? new Date(r.firstFailedAt).getTime() : null,
    amountDueAtFirstFailure: r.amountDueAtFirstFailure === null ? null : Number(r.amountDueAtFirstFailure),
  }));
}

/**
 * The invoice a charge paid: its own `invoice` (before 2025-03-31), else the invoice payment that names the charge
 * or its payment intent (a paid one first). Joined at read time, so it holds whichever arrived first.
 */
// Written out in full: drizzle renders a column without its table inside a subquery, where it would bind to `ip`.
const linkedInvoiceId = sql<string | null>`coalesce("charges"."invoice_id", (
  select ip.invoice_id from ${invoicePayments} ip
  where ip.workspace_id = "charges"."workspace_id"
    and (ip.charge_id = "charges"."id" or ip.payment_intent_id = "charges"."payment_intent_id")
  order by (ip.status = 'paid') desc, ip.id
  limit 1))`;

/** Charges created before `before` (and from `from`, when given), each with the invoice it paid, if any. */
export async function listChargeRecords(
  workspaceId: string,
  db: Executor,
  range: { before: Date; from?: Date },
): Promise<ChargeRecord[]> {
  const rows = await db
    .select({
      id: charges.id,
      customerId: charges.customerId,
      currency: charges.currency,
      amount: charges.amount,
      amountCaptured: charges.amountCaptured,
      status: charges.status,
      created: charges.created,
      invoiceId: linkedInvoiceId,
    })
    .from(charges)
    .where(
      and(
        eq(charges.workspaceId, workspaceId),
        lt(charges.created, range.before),
        range.from ? gte(charges.created, range.from) : undefined,
      ),
    );
  return rows.map((r) => ({
    id: r.id,
    customerId: r.customerId,
    currency: r.currency,
    amount: r.amountCaptured || r.amount,
    status: (r.status === "succeeded" || r.status === "pending" ? r.status : "failed") as ChargeRecord["status"],
    createdAt: r.created.getTime(),
    invoiceId: r.invoiceId,
  }));
}

/** Refunds created before `before` (and from `from`, when given). */
export async function listRefundRecords(
  workspaceId: string,
  db: Executor,
  range: { before: Date; from?: Date },
): Promise<RefundRecord[]> {
  const rows = await db
    .select({ refund: refunds, customerId: charges.customerId })
    .from(refunds)
    .leftJoin(charges, and(eq(charges.workspaceId, refunds.workspaceId), eq(charges.id, refunds.chargeId)))
    .where(
      and(
        eq(refunds.workspaceId, workspaceId),
        lt(refunds.created, range.before),
        range.from ? gte(refunds.created, range.from) : undefined,
      ),
    );
  return rows.map(({ refund: r, customerId }) => ({
    id: r.id,
    customerId,
    currency: r.currency,
    amount: r.amount,
    status: (r.status ?? "succeeded") as RefundRecord["status"],
    createdAt: r.created.getTime(),
  }));
}

type PhaseRecord = {
  start: number;
  end: number | null;
  currency: string | null;
  items: { priceId: string; quantity: number; discountIds: string[] }[];
  discountIds: string[];
};

/**
 * Open subscription schedules (not started or active) with their last phase resolved to prices and discounts, for
 * committed MRR: a signed schedule commits its final phase.
 */
export async function listSchedulePhases(
  workspaceId: string,
  db: Executor,
  customerIds?: readonly string[],
): Promise<SchedulePhase[]> {
  if (customerIds?.length === 0) return [];
  const rows = await db
    .select()
    .from(subscriptionSchedules)
    .where(
      and(
        eq(subscriptionSchedules.workspaceId, workspaceId),
        inArray(subscriptionSchedules.status, ["not_started", "active"]),
        customerIds ? inArray(subscriptionSchedules.customerId, [...customerIds]) : undefined,
      ),
    );
  if (rows.length === 0) return [];
  const last = rows.map((r) => ({ row: r, phase: (r.phases as PhaseRecord[]).at(-1) ?? null }));
  const priceIds = [...new Set(last.flatMap((l) => l.phase?.items.map((i) => i.priceId) ?? []))];
  const discountIds = [
    ...new Set(
      last.flatMap((l) => [...(l.phase?.discountIds ?? []), ...(l.phase?.items.flatMap((i) => i.discountIds) ?? [])]),
    ),
  ];
  const [priceRows, discountRows] = await Promise.all([
    priceIds.length
      ? db
          .select()
          .from(prices)
          .where(and(eq(prices.workspaceId, workspaceId), inArray(prices.id, priceIds)))
      : [],
    discountIds.length
      ? db
          .select({ discount: discounts, couponData: coupons.data })
          .from(discounts)
          .leftJoin(coupons, and(eq(coupons.workspaceId, discounts.workspaceId), eq(coupons.id, discounts.couponId)))
          .where(and(eq(discounts.workspaceId, workspaceId), inArray(discounts.id, discountIds)))
      : [],
  ]);
  const priceById = new Map(priceRows.map((p) => [p.id, p.data as Price]));
  const discountById = new Map<string, Discount>(
    discountRows.map(({ discount: d, couponData }) => [
      d.id,
      {
        id: d.id,
        coupon: (d.coupon ?? couponData) as Coupon,
        start: d.start.getTime(),
        end: d.end ? d.end.getTime() : null,
      },
    ]),
  );
  const resolveDiscounts = (ids: string[]) =>
    ids.map((id) => discountById.get(id)).filter((d): d is Discount => !!d && !!d.coupon);
  return last.map(({ row, phase }) => {
    const items: SubscriptionItem[] = (phase?.items ?? []).flatMap((i, n) => {
      const price = priceById.get(i.priceId);
      return price
        ? [
            {
              id: `${row.id}:${n}`,
              price,
              quantity: i.quantity,
              discounts: resolveDiscounts(i.discountIds),
              inclusiveTaxPercents: [],
            },
          ]
        : [];
    });
    return {
      scheduleId: row.id,
      customerId: row.customerId,
      subscriptionId: row.subscriptionId,
      status: row.status as SchedulePhase["status"],
      endBehavior: row.endBehavior as SchedulePhase["endBehavior"],
      lastPhase: phase
        ? {
            currency: phase.currency ?? items[0]?.price.currency ?? "usd",
            items,
            discounts: resolveDiscounts(phase.discountIds),
            start: phase.start,
          }
        : null,
    };
  });
}

/**
 * Whole histories of the subscriptions that had a trial and whose trial could have ended in [from, before): the
 * trial conversion rate of a period reads only these.
 */
export async function listTrialHistories(workspaceId: string, db: Executor, range: { from: Date; before: Date }) {
  const rows = rowsOf<{ valid_from: string | Date; state: SubscriptionVersion["state"]; event_id: string }>(
    await db.execute(sql`
      select v.valid_from, v.state, v.event_id
      from subscription_versions v
      where v.workspace_id = ${workspaceId}
        and v.subscription_id in (
          select s.id from subscriptions s
          where s.workspace_id = ${workspaceId} and s.trial_end is not null
            and (s.trial_end >= ${range.from.toISOString()} or s.canceled_at >= ${range.from.toISOString()}
                 or s.ended_at >= ${range.from.toISOString()})
            and s.created < ${range.before.toISOString()})
      order by v.valid_from, v.event_key`),
  );
  return rows.map((r) => ({ validFrom: new Date(r.valid_from).getTime(), state: r.state, eventId: r.event_id }));
}

type CashRange = { from: Date; before: Date; timeZone: string; customers?: readonly string[] | null };

/** The local days [from, to] that [from, before) spans, when both ends fall on the workspace's day bounds. */
function wholeLocalDays(range: CashRange): { from: Day; to: Day } | null {
  const from = toLocalDay(range.from.getTime(), range.timeZone);
  const to = toLocalDay(range.before.getTime() - 1, range.timeZone);
  const bounded =
    startOfLocalDay(from, range.timeZone) === range.from.getTime() &&
    endOfLocalDay(to, range.timeZone) === range.before.getTime();
  return bounded && from <= to ? { from, to } : null;
}

/**
 * The invoices paid in [from, before), created by `before`, grouped by currency, local paid day and amount: what
 * cashCollected reads from invoices, a few hundred groups however many invoices (lib/metrics/cash.ts CashGroup).
 * For the whole workspace over whole local days it reads the `paid_invoice_daily` rollup (ADR 0014), else the
 * invoices (`listPaidInvoiceGroupsFromInvoices`).
 */
export async function listPaidInvoiceGroups(workspaceId: string, db: Executor, range: CashRange): Promise<CashGroup[]> {
  const days = range.customers ? null : wholeLocalDays(range);
  if (!days) return listPaidInvoiceGroupsFromInvoices(workspaceId, db, range);
  const rows = rowsOf<{ currency: string; day: string; amount: string | number; count: string | number }>(
    await db.execute(sql`
      select currency, to_char(day, 'YYYY-MM-DD') as day, amount, sum(count) as count
      from paid_invoice_daily
      where workspace_id = ${workspaceId} and day >= ${days.from} and day <= ${days.to}
        and created_after <= ${range.before.toISOString()}
      group by 1, 2, 3 having sum(count) > 0`),
  );
  return rows.map(toCashGroup);
}

const toCashGroup = (r: { currency: string; day: string; amount: string | number; count: string | number }) => ({
  kind: "invoice" as const,
  currency: r.currency,
  day: r.day,
  amount: Number(r.amount),
  count: Number(r.count),
});

/** `listPaidInvoiceGroups` from the invoices themselves (of some customers only, when given): the paid index. */
export async function listPaidInvoiceGroupsFromInvoices(
  workspaceId: string,
  db: Executor,
  range: CashRange,
): Promise<CashGroup[]> {
  const rows = rowsOf<{ currency: string; day: string; amount: string | number; count: string | number }>(
    await db.execute(sql`
      select currency, to_char(paid_at at time zone ${range.timeZone}, 'YYYY-MM-DD') as day,
        amount_paid as amount, count(*) as count
      from invoices
      where workspace_id = ${workspaceId} and status = 'paid'
        and paid_at >= ${range.from.toISOString()} and paid_at < ${range.before.toISOString()}
        and created <= ${range.before.toISOString()} and ${ofCustomers(range.customers ?? null)}
      group by 1, 2, 3`),
  );
  return rows.map(toCashGroup);
}

/**
 * `listRecoveryGroupsFromInvoices` from the `payment_recovery_daily` rollup (ADR 0014) for the whole workspace over
 * whole local days: the invoices whose first failure fell on those days, with what was paid on them when that is
 * known by the last one (`paid_day`: the paid day, or for a part paid on an open invoice the day it was reported;
 * migration 0013).
 */
export async function listRecoveryGroups(
  workspaceId: string,
  db: Executor,
  range: CashRange,
): Promise<RecoveryGroup[]> {
  const days = range.customers ? null : wholeLocalDays(range);
  if (!days) return listRecoveryGroupsFromInvoices(workspaceId, db, range);
  const rows = rowsOf<Record<"currency" | "day" | "due" | "recovered" | "count", string | number>>(
    await db.execute(sql`
      select currency, to_char(day, 'YYYY-MM-DD') as day, due,
        case when paid_day <= ${days.to} then amount_paid else 0 end as recovered, sum(count) as count
      from payment_recovery_daily
      where workspace_id = ${workspaceId} and day >= ${days.from} and day <= ${days.to}
        and created_after <= ${range.before.toISOString()}
      group by 1, 2, 3, 4 having sum(count) > 0`),
  );
  return rows.map(toRecoveryGroup);
}

const toRecoveryGroup = (r: Record<"currency" | "day" | "due" | "recovered" | "count", string | number>) => ({
  currency: String(r.currency),
  day: String(r.day),
  due: Number(r.due),
  recovered: Number(r.recovered),
  count: Number(r.count),
});

/**
 * The invoices created by `before` whose first failed attempt fell in [from, before), grouped by currency, local
 * day of that failure, the amount due then and the amount paid on them before `before` (lib/metrics/cash.ts
 * amountRecoveredBy: paid by then, or part paid on an invoice still open whose state was reported by then; else
 * 0): what failedPaymentRecoveryRate reads (lib/metrics/cash.ts RecoveryGroup). Reads only the window's failures. A first
 * failure is the earliest by time, then by event id. `listRecoveryGroups` reads the same from the rollup.
 */
export async function listRecoveryGroupsFromInvoices(
  workspaceId: string,
  db: Executor,
  range: CashRange,
): Promise<RecoveryGroup[]> {
  const from = range.from.toISOString();
  const before = range.before.toISOString();
  const rows = rowsOf<Record<"currency" | "day" | "due" | "recovered" | "count", string | number>>(
    await db.execute(sql`
      with first_failure as (
        select f.invoice_id, (array_agg(f.failed_at order by f.failed_at))[1] as failed_at,
          (array_agg(f.amount_due order by f.failed_at, f.event_id))[1] as due
        from invoice_payment_failures f
        where f.workspace_id = ${workspaceId} and f.failed_at >= ${from} and f.failed_at < ${before}
          and ${ofCustomers(range.customers ?? null, sql`f.customer_id`)}
        group by f.invoice_id
        -- no earlier failure: one probe of the invoice's own failures each (not a scan of the workspace's)
        having (
          select min(e.failed_at) from invoice_payment_failures e
          where e.workspace_id = ${workspaceId} and e.invoice_id = f.invoice_id) >= ${from}
      )
      select i.currency, to_char(ff.failed_at at time zone ${range.timeZone}, 'YYYY-MM-DD') as day, ff.due,
        case when i.status = 'paid' and i.paid_at < ${before} then i.amount_paid
          when i.status = 'open' and i.amount_paid > 0 and i.last_event_created < ${before} then i.amount_paid
          else 0 end as recovered,
        count(*) as count
      from first_failure ff
      join invoices i on i.workspace_id = ${workspaceId} and i.id = ff.invoice_id
      where i.created <= ${before}
      group by 1, 2, 3, 4`),
  );
  return rows.map(toRecoveryGroup);
}

/**
 * Trial outcomes (lib/metrics/trials.ts `listTrialOutcomes`) of the trials that ended in [from, before), counted
 * from the trial marks: per subscription the last trialing version known before `before` (a mark started before
 * it, with no later trialing version started before it), ended by the next version if that one is known by then,
 * else by its trial end, and converted as judged then.
 */
export async function countTrialOutcomes(
  workspaceId: string,
  db: Executor,
  range: { from: Date; before: Date; customers?: readonly string[] | null },
): Promise<{ ended: number; converted: number }> {
  const from = range.from.toISOString();
  const before = range.before.toISOString();
  const [row] = rowsOf<{ ended: string | number; converted: string | number }>(
    await db.execute(sql`
      with known as (
        select m.next_from is not null and m.next_from < ${before} as next_known, m.*
        from trial_marks m
        where m.workspace_id = ${workspaceId} and m.trial_from < ${before}
          and ((m.next_from >= ${from} and m.next_from < ${before}) or (m.trial_end >= ${from} and m.trial_end < ${before}))
          and (m.later_trial_from is null or m.later_trial_from >= ${before})
          and ${ofCustomers(range.customers ?? null, sql`m.customer_id`)}
      ),
      judged as (
        select case when next_known then next_from else trial_end end as ended_at,
          case when next_known then converted_at_next else converted_at_trial_end end as converted
        from known
      )
      select count(*) as ended, count(*) filter (where converted) as converted
      from judged where ended_at >= ${from} and ended_at < ${before}`),
  );
  return { ended: Number(row?.ended ?? 0), converted: Number(row?.converted ?? 0) };
}

/**
 * Succeeded charges that paid no invoice and succeeded refunds, created in [from, before), grouped by kind,
 * currency, local day and amount (lib/metrics/cash.ts CashGroup): the rest of cash collected besides invoices.
 * With `customers`, only theirs (a refund's customer is its charge's).
 */
export async function listOtherCashGroups(
  workspaceId: string,
  db: Executor,
  range: { from: Date; before: Date; timeZone: string; customers?: readonly string[] | null },
): Promise<CashGroup[]> {
  const from = range.from.toISOString();
  const before = range.before.toISOString();
  const customers = range.customers ?? null;
  const rows = rowsOf<{
    kind: "charge" | "refund";
    currency: string;
    day: string;
    amount: string | number;
    count: string | number;
  }>(
    await db.execute(sql`
      select 'charge' as kind, currency, to_char(created at time zone ${range.timeZone}, 'YYYY-MM-DD') as day,
        coalesce(nullif(amount_captured, 0), amount) as amount, count(*) as count
      from charges
      where workspace_id = ${workspaceId} and status = 'succeeded' and created >= ${from} and created < ${before}
        and ${linkedInvoiceId} is null and ${ofCustomers(customers, sql`"charges"."customer_id"`)}
      group by 2, 3, 4
      union all
      select 'refund', r.currency, to_char(r.created at time zone ${range.timeZone}, 'YYYY-MM-DD'), r.amount, count(*)
      from refunds r
      left join charges c on c.workspace_id = r.workspace_id and c.id = r.charge_id
      where r.workspace_id = ${workspaceId} and coalesce(r.status, 'succeeded') = 'succeeded'
        and r.created >= ${from} and r.created < ${before}
        and ${customers ? sql`c.customer_id is not null and ${ofCustomers(customers, sql`c.customer_id`)}` : sql`true`}
      group by 2, 3, 4`),
  );
  return rows.map((r) => ({
    kind: r.kind,
    currency: r.currency,
    day: r.day,
    amount: Number(r.amount),
    count: Number(r.count),
  }));
}
