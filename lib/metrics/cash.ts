/**
 * Cash KPIs from payment records (metrics.md §4.1 `cashCollected`, `failedPaymentRecoveryRate`; N14: refunds and
 * credit notes touch cash only, never MRR).
 */
import { convertFlow, type RateTable } from "./fx";
import { ratio } from "./money";
import type { KpiResult } from "./kpi";
import { endOfLocalDay, startOfLocalDay, toLocalDay } from "./time";
import type { Day, Instant } from "./types";

export type InvoiceRecord = {
  id: string;
  customerId: string;
  currency: string;
  status: "draft" | "open" | "paid" | "void" | "uncollectible";
  amountDue: number;
  amountPaid: number;
  /** `status_transitions.paid_at`; null while unpaid. */
  paidAt: Instant | null;
  /** The `created` of the first `invoice.payment_failed` event for this invoice; null if no attempt failed. */
  firstFailedAt: Instant | null;
  /** `amount_due` at that first failure (defaults to `amountDue`). */
  amountDueAtFirstFailure?: number | null;
  /**
   * When the state above (status, amountPaid) was reported: the `created` of the event that last changed it. A
   * part paid on an invoice still open carries no time of its own, so it is known to be paid by this instant only.
   * Null or absent: unknown, and such a part counts nowhere.
   */
  reportedAt?: Instant | null;
};

export type ChargeRecord = {
  id: string;
  customerId: string | null;
  currency: string;
  amount: number;
  status: "succeeded" | "pending" | "failed";
  createdAt: Instant;
  /** Charges paying an invoice are counted through the invoice, not again here. */
  invoiceId: string | null;
};

export type RefundRecord = {
  id: string;
  customerId: string | null;
  currency: string;
  amount: number;
  status: "succeeded" | "pending" | "failed" | "canceled" | "requires_action";
  createdAt: Instant;
};

export type CashRow = { kind: "invoice" | "charge" | "refund"; id: string; day: Day; amount: number };

/**
 * `count` payments of one kind, currency, local day and amount. Equal amounts of one currency and day convert and
 * round alike (§1.1), so a period's cash can be summed from such groups as well as from the records themselves.
 */
export type CashGroup = { kind: CashRow["kind"]; currency: string; day: Day; amount: number; count: number };

/**
 * `count` invoices whose first failed attempt fell on local day `day`, with the amount due then and the amount paid
 * on them by the end of the as-of day (0 when not recovered; recoveredAmount of computeFailedPaymentRecovery).
 */
export type RecoveryGroup = { currency: string; day: Day; due: number; recovered: number; count: number };

type Window = { from: Day; to: Day; timeZone: string };

function inWindow(t: Instant | null, w: Window): boolean {
  return t !== null && t >= startOfLocalDay(w.from, w.timeZone) && t < endOfLocalDay(w.to, w.timeZone);
}

/** Converts each group at its day's rate; refunds count negative. A group without a rate goes to `unconverted`. */
function tallyCash<G extends CashGroup>(groups: readonly G[], rates: RateTable) {
  const kept: (G & { converted: number })[] = [];
  const unconverted: Record<string, number> = {};
  const warnings = new Set<string>();
  for (const g of groups) {
    const sign = g.kind === "refund" ? -1 : 1;
    const c = convertFlow(g.amount, g.currency, g.day, rates);
    if (!c) {
      unconverted[g.currency] = (unconverted[g.currency] ?? 0) + sign * g.amount * g.count;
      warnings.add(`missing_fx_rate:${g.currency}:${g.day}`);
      continue;
    }
    if (c.warning) warnings.add(c.warning);
    kept.push({ ...g, converted: sign * c.amount });
  }
  const value = kept.reduce((acc, g) => acc + g.converted * g.count, 0);
  return { value, kept, unconverted, warnings: [...warnings] };
}

/** A period's payment records: the invoices, charges and refunds that may touch its cash. */
type CashRecords = {
  invoices: readonly InvoiceRecord[];
  charges: readonly ChargeRecord[];
  refunds: readonly RefundRecord[];
} & Window;

/** The period's paid invoices, stand-alone succeeded charges and succeeded refunds, one group per record. */
function listCashRecords(input: CashRecords): (CashGroup & { id: string })[] {
  const out: (CashGroup & { id: string })[] = [];
  const take = (kind: CashRow["kind"], id: string, amount: number, currency: string, t: Instant) =>
    out.push({ kind, id, currency, day: toLocalDay(t, input.timeZone), amount, count: 1 });
  for (const inv of input.invoices)
    if (inv.status === "paid" && inv.paidAt !== null && inWindow(inv.paidAt, input))
      take("invoice", inv.id, inv.amountPaid, inv.currency, inv.paidAt);
  for (const ch of input.charges)
    if (ch.status === "succeeded" && ch.invoiceId === null && inWindow(ch.createdAt, input))
      take("charge", ch.id, ch.amount, ch.currency, ch.createdAt);
  for (const r of input.refunds)
    if (r.status === "succeeded" && inWindow(r.createdAt, input))
      take("refund", r.id, r.amount, r.currency, r.createdAt);
  return out;
}

/**
 * cashCollected(P) = Σ amountPaid of invoices paid in P + Σ succeeded charges in P without an invoice − Σ
 * succeeded refunds created in P. Gross of fees; tax and one-time fees included. Each transaction is converted
 * at the rate of its own local day and rounded on its own, then summed (§1.1); one without a rate is left out and
 * listed in `unconverted` with a `missing_fx_rate` warning. An empty period is 0.
 */
export function computeCashCollected(
  input: CashRecords & { rates: RateTable },
): KpiResult<number> & { breakdown: { rows: CashRow[]; unconverted: Record<string, number>; warnings: string[] } } {
  const { value, kept, unconverted, warnings } = tallyCash(listCashRecords(input), input.rates);
  const rows = kept.map((g) => ({ kind: g.kind, id: g.id, day: g.day, amount: g.converted }));
  return { value, breakdown: { rows, unconverted, warnings } };
}

/** cashCollected from payments already grouped (the same rules as computeCashCollected; groups must lie in P). */
export function computeCashFromGroups(groups: readonly CashGroup[], rates: RateTable) {
  const { value, unconverted, warnings } = tallyCash(groups, rates);
  return { value, breakdown: { unconverted, warnings } };
}

/**
 * Converts each group at its first failure's day. A group without a rate is left out of both sums: its amount due
 * (which holds what was recovered of it) goes to `unconverted` in original minor units, with a `missing_fx_rate`
 * warning (§1.1).
 */
function tallyRecovery<G extends RecoveryGroup>(groups: readonly G[], rates: RateTable) {
  const rows: (G & { failed: number; recoveredConverted: number })[] = [];
  const unconverted: Record<string, number> = {};
  const warnings = new Set<string>();
  for (const g of groups) {
    const due = convertFlow(g.due, g.currency, g.day, rates);
    if (!due) {
      unconverted[g.currency] = (unconverted[g.currency] ?? 0) + g.due * g.count;
      warnings.add(`missing_fx_rate:${g.currency}:${g.day}`);
      continue;
    }
    const recovered = g.recovered > 0 ? (convertFlow(g.recovered, g.currency, g.day, rates)?.amount ?? 0) : 0;
    rows.push({ ...g, failed: due.amount, recoveredConverted: recovered });
  }
  const numerator = rows.reduce((a, r) => a + r.recoveredConverted * r.count, 0);
  const denominator = rows.reduce((a, r) => a + r.failed * r.count, 0);
  return {
    value: ratio(numerator, denominator),
    rows,
    numerator,
    denominator,
    failedInvoices: rows.reduce((a, r) => a + r.count, 0),
    recoveredInvoices: rows.reduce((a, r) => a + (r.recoveredConverted > 0 ? r.count : 0), 0),
    unconverted,
    warnings: [...warnings],
  };
}

/**
 * What was paid on an invoice by `asOfEnd` (an instant), for failed-payment recovery: the amount paid of an invoice
 * paid by then; the amount paid so far of an invoice still open, when the state saying so was reported by then
 * (InvoiceRecord.reportedAt: a part payment has no time of its own); else 0. Void and uncollectible invoices count
 * as not recovered (metrics.md §4.1), whatever was paid on them.
 */
export function amountRecoveredBy(
  inv: Pick<InvoiceRecord, "status" | "amountPaid" | "paidAt" | "reportedAt">,
  asOfEnd: Instant,
): number {
  if (inv.status === "paid") return inv.paidAt !== null && inv.paidAt < asOfEnd ? inv.amountPaid : 0;
  if (inv.status === "open" && inv.amountPaid > 0)
    return inv.reportedAt != null && inv.reportedAt < asOfEnd ? inv.amountPaid : 0;
  return 0;
}

/**
 * failedPaymentRecoveryRate(P) = recoveredAmount ÷ failedPaymentAmount over invoices whose first failed attempt
 * falls in P: failed = Σ amount due at that failure, recovered = Σ amount paid on them by the end of `asOf`
 * (amountRecoveredBy: a part paid on an invoice still open counts too). Void and uncollectible invoices count as
 * not recovered. Amounts are converted at the first failure's day; an invoice without a rate is left out and
 * listed in `unconverted`. `recoveredInvoices` counts the invoices with anything recovered. No failed invoices →
 * null.
 */
export function computeFailedPaymentRecovery(input: {
  invoices: readonly InvoiceRecord[];
  from: Day;
  to: Day;
  asOf: Day;
  timeZone: string;
  rates: RateTable;
}): KpiResult<number> & {
  breakdown: {
    numerator: number;
    denominator: number;
    failedInvoices: number;
    recoveredInvoices: number;
    rows: { invoiceId: string; failed: number; recovered: number }[];
    unconverted: Record<string, number>;
    warnings: string[];
  };
} {
  const asOfEnd = endOfLocalDay(input.asOf, input.timeZone);
  const groups: (RecoveryGroup & { invoiceId: string })[] = [];
  for (const inv of input.invoices) {
    if (!inWindow(inv.firstFailedAt, input) || inv.firstFailedAt === null) continue;
    groups.push({
      invoiceId: inv.id,
      currency: inv.currency,
      day: toLocalDay(inv.firstFailedAt, input.timeZone),
      due: inv.amountDueAtFirstFailure ?? inv.amountDue,
      recovered: amountRecoveredBy(inv, asOfEnd),
      count: 1,
    });
  }
  const { value, rows, ...totals } = tallyRecovery(groups, input.rates);
  return {
    value,
    breakdown: {
      ...totals,
      rows: rows.map((r) => ({ invoiceId: r.invoiceId, failed: r.failed, recovered: r.recoveredConverted })),
    },
  };
}

/** failedPaymentRecoveryRate from invoices already grouped (the same rules; groups must lie in P). */
export function computeRecoveryFromGroups(groups: readonly RecoveryGroup[], rates: RateTable) {
  const { value, unconverted, warnings } = tallyRecovery(groups, rates);
  return { value, breakdown: { unconverted, warnings } };
}
