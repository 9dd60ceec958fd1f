import { and, asc, eq, getTableColumns, inArray, lte, sql } from "drizzle-orm";
import type { MrrChange } from "@/lib/metrics/movements";
import type { MeteredUsageLine } from "@/lib/metrics/metered";
import type { SubscriptionVersion } from "@/lib/metrics/types";
import { rowsOf, type Executor } from "../client";
import { invoiceLines, invoices, mrrChanges, prices, subscriptionVersions } from "../schema";

/** Every subscription version of the given customers (their whole history), as the KPI engine reads them. */
export async function listSubscriptionVersions(workspaceId: string, db: Executor, customerIds: readonly string[]) {
  if (customerIds.length === 0) return [];
  const rows = await db
    .select({
      customerId: subscriptionVersions.customerId,
      validFrom: subscriptionVersions.validFrom,
      state: subscriptionVersions.state,
      eventId: subscriptionVersions.eventId,
    })
    .from(subscriptionVersions)
    .where(
      and(
        eq(subscriptionVersions.workspaceId, workspaceId),
        inArray(subscriptionVersions.customerId, [...customerIds]),
      ),
    );
  return rows.map((r) => ({
    customerId: r.customerId,
    version: { validFrom: r.validFrom.getTime(), state: r.state, eventId: r.eventId } satisfies SubscriptionVersion,
  }));
}

/** The customers that have any subscription history in the workspace. */
export async function listCustomersWithVersions(workspaceId: string, db: Executor): Promise<string[]> {
  const rows = await db
    .selectDistinct({ customerId: subscriptionVersions.customerId })
    .from(subscriptionVersions)
    .where(eq(subscriptionVersions.workspaceId, workspaceId))
    .orderBy(asc(subscriptionVersions.customerId));
  return rows.map((r) => r.customerId);
}

/** Replaces the ledger rows of these customers. */
export async function replaceMrrChanges(
  workspaceId: string,
  db: Executor,
  customerIds: readonly string[],
  rows: readonly MrrChange[],
) {
  if (customerIds.length > 0)
    await db
      .delete(mrrChanges)
      .where(and(eq(mrrChanges.workspaceId, workspaceId), inArray(mrrChanges.customerId, [...customerIds])));
  for (let i = 0; i < rows.length; i += 1000) {
    await db.insert(mrrChanges).values(
      rows.slice(i, i + 1000).map((r) => ({
        workspaceId,
        customerId: r.customerId,
        day: r.day,
        mrr: r.mrr,
        previousMrr: r.previousMrr,
        kind: r.kind,
        amount: r.amount,
        fxImpact: r.fxImpact,
        annualMrr: r.annualMrr,
        trialing: r.trialing,
        involuntary: r.involuntary,
        eventIds: r.eventIds,
        unconverted: r.unconverted ?? null,
        warnings: r.warnings,
      })),
    );
  }
}

export async function deleteAllMrrChanges(workspaceId: string, db: Executor) {
  await db.delete(mrrChanges).where(eq(mrrChanges.workspaceId, workspaceId));
}

/** A stored ledger row as the KPI engine reads it. */
export function toMrrChange(r: typeof mrrChanges.$inferSelect): MrrChange {
  const change: MrrChange = {
    customerId: r.customerId,
    day: r.day,
    mrr: r.mrr,
    previousMrr: r.previousMrr,
    kind: r.kind,
    amount: r.amount,
    fxImpact: r.fxImpact,
    annualMrr: r.annualMrr,
    trialing: r.trialing,
    involuntary: r.involuntary,
    eventIds: r.eventIds,
    warnings: r.warnings,
  };
  if (r.unconverted) change.unconverted = r.unconverted;
  return change;
}

/** Ledger rows of the workspace up to `to` (inclusive), optionally for some customers only. */
export async function listMrrChanges(
  workspaceId: string,
  db: Executor,
  range: { to: string; customerIds?: readonly string[]; withEventIds?: boolean },
) {
  const where = [eq(mrrChanges.workspaceId, workspaceId), lte(mrrChanges.day, range.to)];
  if (range.customerIds) where.push(inArray(mrrChanges.customerId, [...range.customerIds]));
  // KPI totals don't need the causing events; leaving them out halves what a big workspace sends over the wire.
  const columns = getTableColumns(mrrChanges);
  const rows = await db
    .select(range.withEventIds === false ? { ...columns, eventIds: sql<string[]>`'{}'::text[]` } : columns)
    .from(mrrChanges)
    .where(and(...where))
    .orderBy(asc(mrrChanges.customerId), asc(mrrChanges.day));
  return rows.map(toMrrChange);
}

/** Σ customer MRR as of `day`: each customer's latest row on or before it. */
export async function sumMrrAsOf(workspaceId: string, db: Executor, day: string): Promise<number> {
  const [row] = await db
    .select({ mrr: sql<string>`coalesce(sum(latest.mrr), 0)` })
    .from(
      sql`(select distinct on (customer_id) mrr from mrr_changes where workspace_id = ${workspaceId} and day <= ${day} order by customer_id, day desc) as latest`,
    );
  return Number(row?.mrr ?? 0);
}

/**
 * Invoice lines of metered prices for these customers (policy `metered: "trailing3MonthAverage"`), after
 * discounts and before tax, with their invoice's status.
 */
export async function listMeteredLines(
  workspaceId: string,
  db: Executor,
  customerIds: readonly string[],
): Promise<MeteredUsageLine[]> {
  if (customerIds.length === 0) return [];
  const rows = await db
    .select({
      id: invoiceLines.id,
      customerId: invoices.customerId,
      currency: invoiceLines.currency,
      amount: invoiceLines.amount,
      discountAmount: invoiceLines.discountAmount,
      periodEnd: invoiceLines.periodEnd,
      status: invoices.status,
    })
    .from(invoiceLines)
    .innerJoin(
      invoices,
      and(eq(invoices.workspaceId, invoiceLines.workspaceId), eq(invoices.id, invoiceLines.invoiceId)),
    )
    .innerJoin(prices, and(eq(prices.workspaceId, invoiceLines.workspaceId), eq(prices.id, invoiceLines.priceId)))
    .where(
      and(
        eq(invoiceLines.workspaceId, workspaceId),
        inArray(invoices.customerId, [...customerIds]),
        sql`${prices.data}->>'usageType' = 'metered'`,
      ),
    );
  return rows
    .filter((r) => r.periodEnd !== null)
    .map((r) => ({
      id: r.id,
      customerId: r.customerId,
      currency: r.currency,
      amount: r.amount - r.discountAmount,
      serviceEnd: r.periodEnd!.getTime(),
      invoiceStatus: (r.status ?? "draft") as MeteredUsageLine["invoiceStatus"],
    }));
}

export type MovementSums = {
  periodKey: string;
  new: number;
  expansion: number;
  contraction: number;
  churn: number;
  reactivation: number;
  fxImpact: number;
  newCustomers: number;
  reactivatedCustomers: number;
  expandedCustomers: number;
  contractedCustomers: number;
  churnedCustomers: number;
};

const TRUNC_UNIT = { day: "day", week: "week", month: "month", quarter: "quarter" } as const;

/**
 * Ledger sums per calendar period over [from, to]: each movement type, fxImpact and the distinct customers behind
 * each type, keyed by the period's calendar start (`date_trunc`; ISO weeks start on Monday). Plus the MRR at the
 * end of the day before `from`: every row satisfies previous_mrr + amount + fx_impact = mrr, so Σ(amount +
 * fx_impact) over a customer's rows up to a day is its MRR then. lib/metrics/movement-periods.ts holds the rules;
 * a test checks both agree.
 */
export async function sumMovementsByPeriod(
  workspaceId: string,
  db: Executor,
  range: { from: string; to: string; interval: keyof typeof TRUNC_UNIT },
): Promise<{ startMrr: number; periods: MovementSums[] }> {
  const unit = sql.raw(`'${TRUNC_UNIT[range.interval]}'`);
  const n = (kind: string) => sql`coalesce(sum(amount) filter (where kind = ${kind}), 0)`;
  const c = (kind: string) => sql`count(distinct customer_id) filter (where kind = ${kind})`;
  const [start] = rowsOf<{ mrr: string | number }>(
    await db.execute(
      sql`select coalesce(sum(amount + fx_impact), 0) as mrr from mrr_changes where workspace_id = ${workspaceId} and day < ${range.from}`,
    ),
  );
  const rows = rowsOf<Record<string, string | number>>(
    await db.execute(sql`
      select to_char(date_trunc(${unit}, day::timestamp), 'YYYY-MM-DD') as period_key,
        ${n("new")} as new, ${n("expansion")} as expansion, ${n("contraction")} as contraction,
        ${n("churn")} as churn, ${n("reactivation")} as reactivation, coalesce(sum(fx_impact), 0) as fx_impact,
        ${c("new")} as new_customers, ${c("reactivation")} as reactivated_customers, ${c("expansion")} as expanded_customers,
        ${c("contraction")} as contracted_customers, ${c("churn")} as churned_customers
      from mrr_changes
      where workspace_id = ${workspaceId} and day >= ${range.from} and day <= ${range.to}
      group by 1`),
  );
  return {
    startMrr: Number(start?.mrr ?? 0),
    periods: rows.map((r) => ({
      periodKey: String(r.period_key),
      new: Number(r.new),
      expansion: Number(r.expansion),
      contraction: Number(r.contraction),
      churn: Number(r.churn),
      reactivation: Number(r.reactivation),
      fxImpact: Number(r.fx_impact),
      newCustomers: Number(r.new_customers),
      reactivatedCustomers: Number(r.reactivated_customers),
      expandedCustomers: Number(r.expanded_customers),
      contractedCustomers: Number(r.contracted_customers),
      churnedCustomers: Number(r.churned_customers),
    })),
  };
}
