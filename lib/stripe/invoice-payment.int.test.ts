// 2025-03-31+ charges carry no `invoice`: invoice_payment.paid links them. Cash collected must count an invoice's
// payment once, whichever of the charge and the invoice payment arrives first.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb } from "@/db/testing";
import { createTestWorkspace } from "@/db/testing/factories";
import type { DbHandle } from "@/db/client";
import { listChargeRecords, listInvoiceRecords, listRefundRecords } from "@/db/queries/finance";
import { computeCashCollected, computeFailedPaymentRecovery } from "@/lib/metrics/cash";
import { buildRateTable } from "@/lib/metrics/fx";
import type { StripeEvent } from "./event";
import { ingestEvent } from "./ingest";
import { rebuildProjection } from "./rebuild";
import { dumpProjection, shuffleWithDuplicates } from "./testing";

let h: DbHandle;
beforeAll(async () => {
  h = await createTestDb();
});
afterAll(async () => h?.close());

const T = 1788253200; // 2026-09-01 09:00 UTC
const CUS = "cus_IpCustomer000001";
const API = "2026-10-28.endive";

let n = 0;
const event = (type: string, created: number, object: Record<string, unknown>): StripeEvent => ({
  id: `evt_Ip${String(++n).padStart(4, "0")}`,
  object: "event",
  type,
  created,
  api_version: API,
  data: { object },
});

const invoice = (id: string, status: "open" | "paid", amount: number, paidAt: number | null, attempts: number) => ({
  object: "invoice",
  id,
  customer: CUS,
  status,
  currency: "usd",
  amount_due: amount,
  amount_paid: status === "paid" ? amount : 0,
  amount_remaining: status === "paid" ? 0 : amount,
  subtotal: amount,
  total: amount,
  attempt_count: attempts,
  billing_reason: "subscription_cycle",
  created: T,
  period_start: T,
  period_end: T,
  status_transitions: { finalized_at: T, paid_at: paidAt, voided_at: null, marked_uncollectible_at: null },
  parent: { type: "subscription_details", subscription_details: { subscription: "sub_IpSub000000001" } },
  lines: { object: "list", has_more: false, data: [] },
});

const charge = (id: string, amount: number, paymentIntent: string | null, created: number, refunded = 0) => ({
  object: "charge",
  id,
  customer: CUS,
  amount,
  amount_captured: amount,
  amount_refunded: refunded,
  currency: "usd",
  status: "succeeded",
  paid: true,
  refunded: refunded >= amount,
  created,
  payment_intent: paymentIntent,
  refunds: { object: "list", data: [], has_more: false },
});

const invoicePayment = (id: string, invoiceId: string, amount: number, payment: Record<string, unknown>) => ({
  object: "invoice_payment",
  id,
  invoice: invoiceId,
  status: "paid",
  amount_paid: amount,
  amount_requested: amount,
  currency: "usd",
  is_default: true,
  livemode: false,
  payment,
  created: T + 60,
  status_transitions: { canceled_at: null, paid_at: T + 60 },
});

// in_IpInvoice000001: 2000, paid through payment intent pi_IpIntent00001 (charge ch_IpCharge0000001), of which
// 500 is refunded later. in_IpInvoice000002: 3000, first attempt fails, the retry is paid by ch_IpCharge0000002,
// a charge without a payment intent (so the invoice payment names the charge). ch_IpCharge0000003: 700, no invoice.
const events: StripeEvent[] = [
  event("invoice.paid", T + 60, invoice("in_IpInvoice000001", "paid", 2000, T + 60, 1)),
  event("charge.succeeded", T + 60, charge("ch_IpCharge0000001", 2000, "pi_IpIntent00001", T + 60)),
  event(
    "invoice_payment.paid",
    T + 61,
    invoicePayment("inpay_IpPayment0001", "in_IpInvoice000001", 2000, {
      type: "payment_intent",
      payment_intent: "pi_IpIntent00001",
    }),
  ),
  event("invoice.payment_failed", T + 120, invoice("in_IpInvoice000002", "open", 3000, null, 1)),
  event("invoice.paid", T + 3600, invoice("in_IpInvoice000002", "paid", 3000, T + 3600, 2)),
  event("charge.succeeded", T + 3600, charge("ch_IpCharge0000002", 3000, null, T + 3600)),
  event(
    "invoice_payment.paid",
    T + 3601,
    invoicePayment("inpay_IpPayment0002", "in_IpInvoice000002", 3000, {
      type: "charge",
      charge: "ch_IpCharge0000002",
    }),
  ),
  event("charge.succeeded", T + 7200, charge("ch_IpCharge0000003", 700, "pi_IpIntent00003", T + 7200)),
  // The refund arrives as charge.refunded: the charge is written again, still without `invoice`.
  event("charge.refunded", T + 86400, {
    ...charge("ch_IpCharge0000001", 2000, "pi_IpIntent00001", T + 60, 500),
    refunds: {
      object: "list",
      has_more: false,
      data: [
        {
          object: "refund",
          id: "re_IpRefund0000001",
          charge: "ch_IpCharge0000001",
          amount: 500,
          currency: "usd",
          status: "succeeded",
          created: T + 86400,
        },
      ],
    },
  }),
];

async function replay(order: StripeEvent[]) {
  const ws = await createTestWorkspace(h.db);
  const connection = { id: `con_${ws.id.slice(3)}`, workspaceId: ws.id };
  const outcomes: string[] = [];
  for (const e of order) outcomes.push(await ingestEvent({ db: h.db, connection, event: e }));
  return { workspaceId: ws.id, outcomes };
}

async function cash(workspaceId: string) {
  const range = { before: new Date("2026-10-01T00:00:00Z") };
  const [invoices, charges, refunds] = await Promise.all([
    listInvoiceRecords(workspaceId, h.db, range),
    listChargeRecords(workspaceId, h.db, range),
    listRefundRecords(workspaceId, h.db, range),
  ]);
  const window = { from: "2026-09-01", to: "2026-09-30", timeZone: "UTC", rates: buildRateTable([], "usd") };
  return {
    links: Object.fromEntries(charges.map((c) => [c.id, c.invoiceId])),
    cashCollected: computeCashCollected({ invoices, charges, refunds, ...window }).value,
    recovery: computeFailedPaymentRecovery({ invoices, asOf: "2026-09-30", ...window }).breakdown,
  };
}

const LINKS = {
  ch_IpCharge0000001: "in_IpInvoice000001",
  ch_IpCharge0000002: "in_IpInvoice000002",
  ch_IpCharge0000003: null,
};

describe("invoice_payment.paid links 2025+ charges to their invoices", () => {
  let inOrder: Awaited<ReturnType<typeof replay>>;
  beforeAll(async () => {
    inOrder = await replay(events);
  });

  it("applies all 9 events in delivery order", () => {
    expect(inOrder.outcomes).toEqual(Array(9).fill("applied"));
  });

  it("links ch_…1 through its payment intent and ch_…2 by charge id; ch_…3 stays standalone", async () => {
    expect((await cash(inOrder.workspaceId)).links).toEqual(LINKS);
  });

  it("counts cash once: 2000 + 3000 (invoices) + 700 (standalone charge) − 500 (refund) = 5200, not 10200", async () => {
    expect((await cash(inOrder.workspaceId)).cashCollected).toBe(5200);
  });

  it("recovers 3000 of the 3000 that failed on in_…2 (rate 1)", async () => {
    const { recovery } = await cash(inOrder.workspaceId);
    expect([recovery.numerator, recovery.denominator, recovery.failedInvoices]).toEqual([3000, 3000, 1]);
  });

  it.each([
    ["reversed", [...events].reverse()],
    ["shuffled with repeats (seed 4)", shuffleWithDuplicates(events, 4)],
    ["shuffled with repeats (seed 9)", shuffleWithDuplicates(events, 9)],
  ])("reaches the same links, 5200 cash and projection %s", async (_name, order) => {
    const other = await replay(order);
    const got = await cash(other.workspaceId);
    expect(got.links).toEqual(LINKS);
    expect(got.cashCollected).toBe(5200);
    expect(await dumpProjection(other.workspaceId, h.db)).toEqual(await dumpProjection(inOrder.workspaceId, h.db));
  });

  it("keeps the links after a rebuild from the raw events", async () => {
    const before = await dumpProjection(inOrder.workspaceId, h.db);
    await rebuildProjection({ db: h.db, workspaceId: inOrder.workspaceId });
    expect(await dumpProjection(inOrder.workspaceId, h.db)).toEqual(before);
    expect((await cash(inOrder.workspaceId)).cashCollected).toBe(5200);
  });
});
