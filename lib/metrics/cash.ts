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

type Window = { from: Day; to: Day; timeZone: string };

function inWindow(t: Instant | null, w: Window): boolean {
  return t !== null && t >= startOfLocalDay(w.from, w.timeZone) && t < endOfLocalDay(w.to, w.timeZone);
}

/**
 * cashCollected(P) = Σ amountPaid of invoices paid in P + Σ succeeded charges in P without an invoice − Σ
 * succeeded refunds created in P. Gross of fees; tax and one-time fees included. Each transaction is converted
 * at the rate of its own local day and rounded on its own, then summed (§1.1); one without a rate is left out and
 * listed in `unconverted` with a `missing_fx_rate` warning. An empty period is 0.
 */
export function computeCashCollected(input: {
  invoices: readonly InvoiceRecord[];
  charges: readonly ChargeRecord[];
  refunds: readonly RefundRecord[];
  from: Day;
  to: Day;
  timeZone: string;
  rates: RateTable;
}): KpiResult<number> & { breakdown: { rows: CashRow[]; unconverted: Record<string, number>; warnings: string[] } } {
  const rows: CashRow[] = [];
  const unconverted: Record<string, number> = {};
  const warnings: string[] = [];
  const take = (kind: CashRow["kind"], id: string, amount: number, currency: string, t: Instant, sign: 1 | -1) => {
    const day = toLocalDay(t, input.timeZone);
    const c = convertFlow(amount, currency, day, input.rates);
    if (!c) {
      unconverted[currency] = (unconverted[currency] ?? 0) + sign * amount;
      warnings.push(`missing_fx_rate:${currency}:${day}`);
      return;
    }
    if (c.warning) warnings.push(c.warning);
    rows.push({ kind, id, day, amount: sign * c.amount });
  };
  for (const inv of input.invoices)
    if (inv.status === "paid" && inv.paidAt !== null && inWindow(inv.paidAt, input))
      take("invoice", inv.id, inv.amountPaid, inv.currency, inv.paidAt, 1);
  for (const ch of input.charges)
    if (ch.status === "succeeded" && ch.invoiceId === null && inWindow(ch.createdAt, input))
      take("charge", ch.id, ch.amount, ch.currency, ch.createdAt, 1);
  for (const r of input.refunds)
    if (r.status === "succeeded" && inWindow(r.createdAt, input))
      take("refund", r.id, r.amount, r.currency, r.createdAt, -1);
  const value = rows.reduce((acc, r) => acc + r.amount, 0);
  return { value, breakdown: { rows, unconverted, warnings: [...new Set(warnings)] } };
}

/**
 * failedPaymentRecoveryRate(P) = recoveredAmount ÷ failedPaymentAmount over invoices whose first failed attempt
 * falls in P: failed = Σ amount due at that failure, recovered = Σ amount paid on them by the end of `asOf`.
 * Void and uncollectible invoices count as not recovered. Amounts are converted at the first failure's day.
 * No failed invoices → null.
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
    warnings: string[];
  };
} {
  const asOfEnd = endOfLocalDay(input.asOf, input.timeZone);
  const rows: { invoiceId: string; failed: number; recovered: number }[] = [];
  const warnings: string[] = [];
  for (const inv of input.invoices) {
    if (!inWindow(inv.firstFailedAt, input) || inv.firstFailedAt === null) continue;
    const day = toLocalDay(inv.firstFailedAt, input.timeZone);
    const due = convertFlow(inv.amountDueAtFirstFailure ?? inv.amountDue, inv.currency, day, input.rates);
    if (!due) {
      warnings.push(`missing_fx_rate:${inv.currency}:${day}`);
      continue;
    }
    const paid = inv.status === "paid" && inv.paidAt !== null && inv.paidAt < asOfEnd;
    const recovered = paid ? (convertFlow(inv.amountPaid, inv.currency, day, input.rates)?.amount ?? 0) : 0;
    rows.push({ invoiceId: inv.id, failed: due.amount, recovered });
  }
  const numerator = rows.reduce((a, r) => a + r.recovered, 0);
  const denominator = rows.reduce((a, r) => a + r.failed, 0);
  return {
    value: ratio(numerator, denominator),
    breakdown: {
      numerator,
      denominator,
      failedInvoices: rows.length,
      recoveredInvoices: rows.filter((r) => r.recovered > 0).length,
      rows,
      warnings,
    },
  };
}
