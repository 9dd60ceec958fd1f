import { and, eq, gte, inArray, lt, lte, or, sql } from "drizzle-orm";
import type { ChargeRecord, InvoiceRecord, RefundRecord } from "@/lib/metrics/cash";
import type {
  Coupon,
  Discount,
  Price,
  SchedulePhase,
  SubscriptionItem,
  SubscriptionVersion,
} from "@/lib/metrics/types";
import { rowsOf, type Executor } from "../client";
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
        sql<string>`(array_agg(${invoicePaymentFailures.amountDue} order by ${invoicePaymentFailures.failedAt}))[1]`.as(
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
            and s.created < ${range.before.toISOString()})`),
  );
  return rows.map((r) => ({ validFrom: new Date(r.valid_from).getTime(), state: r.state, eventId: r.event_id }));
}
