import { describe, expect, it } from "vitest";
import {
  computeCashCollected,
  computeFailedPaymentRecovery,
  computeRecoveryFromGroups,
  type InvoiceRecord,
} from "./cash";
import { buildRateTable } from "./fx";
import { at } from "./testing/builders";

const rates = buildRateTable(
  [
    { currency: "eur", rateDate: "2026-07-01", rate: "1.10" },
    { currency: "eur", rateDate: "2026-07-15", rate: "1.20" },
  ],
  "usd",
);
const invoice = (over: Partial<InvoiceRecord>): InvoiceRecord => ({
  id: "in_1",
  customerId: "cus_1",
  currency: "usd",
  status: "paid",
  amountDue: 1000,
  amountPaid: 1000,
  paidAt: at("2026-07-05T10:00:00Z"),
  firstFailedAt: null,
  ...over,
});
const window = { from: "2026-07-01", to: "2026-07-31", timeZone: "UTC", rates };

describe("cashCollected", () => {
  it("converts each flow at its own day's rate: eur 1000 paid Jul 5 × 1.10 + charge 500 usd − eur 100 refund Jul 20 × 1.20 = 1100 + 500 − 120 = 1480", () => {
    const r = computeCashCollected({
      ...window,
      invoices: [invoice({ currency: "eur" }), invoice({ id: "in_void", status: "void", paidAt: null })],
      charges: [
        {
          id: "ch_1",
          customerId: "cus_1",
          currency: "usd",
          amount: 500,
          status: "succeeded",
          createdAt: at("2026-07-06T00:00:00Z"),
          invoiceId: null,
        },
        {
          id: "ch_inv",
          customerId: "cus_1",
          currency: "usd",
          amount: 1000,
          status: "succeeded",
          createdAt: at("2026-07-05T10:00:00Z"),
          invoiceId: "in_1",
        },
      ],
      refunds: [
        {
          id: "re_1",
          customerId: "cus_1",
          currency: "eur",
          amount: 100,
          status: "succeeded",
          createdAt: at("2026-07-20T00:00:00Z"),
        },
      ],
    });
    expect(r.value).toBe(1480);
  });

  it("is 0 for an empty period and leaves out a flow without a rate (gbp 700 → unconverted, warning)", () => {
    expect(computeCashCollected({ ...window, invoices: [], charges: [], refunds: [] }).value).toBe(0);
    const r = computeCashCollected({
      ...window,
      invoices: [invoice({ currency: "gbp", amountPaid: 700 })],
      charges: [],
      refunds: [],
    });
    expect(r.value).toBe(0);
    expect(r.breakdown.unconverted).toEqual({ gbp: 700 });
    expect(r.breakdown.warnings).toEqual(["missing_fx_rate:gbp:2026-07-05"]);
  });
});

describe("failedPaymentRecoveryRate", () => {
  it("counts void and uncollectible invoices as not recovered (2000 ÷ (2000 + 1000 + 500) = 0.5714) and null without failures", () => {
    const failed = at("2026-07-03T00:00:00Z");
    const r = computeFailedPaymentRecovery({
      ...window,
      asOf: "2026-07-31",
      invoices: [
        invoice({ id: "a", amountDue: 2000, amountPaid: 2000, firstFailedAt: failed }),
        invoice({ id: "b", status: "void", amountDue: 1000, amountPaid: 0, paidAt: null, firstFailedAt: failed }),
        invoice({
          id: "c",
          status: "uncollectible",
          amountDue: 500,
          amountPaid: 0,
          paidAt: null,
          firstFailedAt: failed,
        }),
      ],
    });
    expect(r.value).toBe(0.5714);
    expect(r.breakdown).toMatchObject({ numerator: 2000, denominator: 3500, failedInvoices: 3, recoveredInvoices: 1 });
    expect(computeFailedPaymentRecovery({ ...window, asOf: "2026-07-31", invoices: [invoice({})] }).value).toBeNull();
  });

  it("counts a payment only if it happened by the end of D (paid Aug 2, as of Jul 31 → 0 ÷ 2000 = 0)", () => {
    const inv = invoice({
      amountDue: 2000,
      amountPaid: 2000,
      paidAt: at("2026-08-02T00:00:00Z"),
      firstFailedAt: at("2026-07-03T00:00:00Z"),
    });
    expect(computeFailedPaymentRecovery({ ...window, asOf: "2026-07-31", invoices: [inv] }).value).toBe(0);
    expect(computeFailedPaymentRecovery({ ...window, asOf: "2026-08-02", invoices: [inv] }).value).toBe(1);
  });

  it("leaves out eur invoices without a rate: usd 2000 recovered ÷ 2000 = 1; unconverted eur 4000 + 1500 = 5500, one warning", () => {
    const failed = at("2026-07-03T09:00:00Z");
    const r = computeFailedPaymentRecovery({
      ...window,
      rates: buildRateTable([], "usd"),
      asOf: "2026-07-31",
      invoices: [
        invoice({ id: "usd", amountDue: 2000, amountPaid: 2000, firstFailedAt: failed }),
        invoice({
          id: "eur_open",
          currency: "eur",
          status: "open",
          amountDue: 4000,
          amountPaid: 0,
          paidAt: null,
          firstFailedAt: failed,
        }),
        invoice({ id: "eur_paid", currency: "eur", amountDue: 1500, amountPaid: 1500, firstFailedAt: failed }),
      ],
    });
    expect(r.value).toBe(1);
    expect(r.breakdown).toMatchObject({ numerator: 2000, denominator: 2000, failedInvoices: 1, recoveredInvoices: 1 });
    expect(r.breakdown.unconverted).toEqual({ eur: 5500 });
    expect(r.breakdown.warnings).toEqual(["missing_fx_rate:eur:2026-07-03"]);
  });

  describe("a part paid on an invoice still open counts what was paid, once reported (§4.1: amount paid by D)", () => {
    // First attempts failed Jul 3. "full": 2000, paid Jul 10. "part": 3000 due, still open, 1000 paid, the state
    // saying so reported on Jul 20. "written off": 1000 due, 500 paid, then marked uncollectible.
    const failed = at("2026-07-03T09:00:00Z");
    const invoices = [
      invoice({
        id: "full",
        amountDue: 2000,
        amountPaid: 2000,
        paidAt: at("2026-07-10T09:00:00Z"),
        firstFailedAt: failed,
      }),
      invoice({
        id: "part",
        status: "open",
        amountDue: 3000,
        amountPaid: 1000,
        paidAt: null,
        firstFailedAt: failed,
        reportedAt: at("2026-07-20T15:00:00Z"),
      }),
      invoice({
        id: "written off",
        status: "uncollectible",
        amountDue: 1000,
        amountPaid: 500,
        paidAt: null,
        firstFailedAt: failed,
        reportedAt: at("2026-07-22T15:00:00Z"),
      }),
    ];
    const recovery = (asOf: string) => computeFailedPaymentRecovery({ ...window, asOf, invoices });

    it("as of Jul 31: (2000 + 1000) ÷ (2000 + 3000 + 1000) = 0.5; the uncollectible 500 is not recovered", () => {
      const r = recovery("2026-07-31");
      expect(r.value).toBe(0.5);
      expect(r.breakdown).toMatchObject({
        numerator: 3000,
        denominator: 6000,
        failedInvoices: 3,
        recoveredInvoices: 2,
      });
      expect(r.breakdown.rows).toContainEqual({ invoiceId: "part", failed: 3000, recovered: 1000 });
    });

    it("as of Jul 19, before the part payment was reported: 2000 ÷ 6000 = 0.3333; as of Jul 9: 0", () => {
      expect(recovery("2026-07-19").value).toBe(0.3333);
      expect(recovery("2026-07-09").value).toBe(0);
    });

    it("without a report time the part counts nowhere (2000 ÷ 6000); grouped, the part counts as its group says", () => {
      const unknown = invoices.map((inv) => ({ ...inv, reportedAt: null }));
      expect(computeFailedPaymentRecovery({ ...window, asOf: "2026-07-31", invoices: unknown }).value).toBe(0.3333);
      const groups = [
        { currency: "usd", day: "2026-07-03", due: 2000, recovered: 2000, count: 1 },
        { currency: "usd", day: "2026-07-03", due: 3000, recovered: 1000, count: 1 },
        { currency: "usd", day: "2026-07-03", due: 1000, recovered: 0, count: 1 },
      ];
      expect(computeRecoveryFromGroups(groups, rates).value).toBe(0.5);
    });
  });
});
