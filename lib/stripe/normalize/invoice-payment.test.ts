import { describe, expect, it } from "vitest";
import { loadFixture } from "../testing";
import { normalizeCharge } from "./charge";
import { normalizeInvoicePayment } from "./invoice-payment";

const fixture = () => loadFixture<Record<string, unknown>>("openapi-fixtures3", "invoice_payment");
// The fixture's shape with realistic values, as in Stripe's API reference for the object.
const paid = () => ({
  ...fixture(),
  id: "inpay_1M3USa2eZvKYlo2CBjuwbq0N",
  amount_paid: 2000,
  amount_requested: 2000,
  created: 1391288554,
  currency: "usd",
  invoice: "in_103Q0w2eZvKYlo2C5PYwf6Wf",
  payment: { type: "payment_intent", payment_intent: "pi_103Q0w2eZvKYlo2C364X582Z" },
  status: "paid",
  status_transitions: { canceled_at: null, paid_at: 1391288554 },
});

const ok = <T>(n: { ok: true; value: T } | { ok: false; reason: string }): T => {
  if (!n.ok) throw new Error(n.reason);
  return n.value;
};

describe("invoice-payment (2025-03-31+)", () => {
  it("links invoice in_103Q… to payment intent pi_103Q…, 2000 usd paid at 1391288554 s", () => {
    expect(ok(normalizeInvoicePayment(paid()))).toEqual({
      id: "inpay_1M3USa2eZvKYlo2CBjuwbq0N",
      invoiceId: "in_103Q0w2eZvKYlo2C5PYwf6Wf",
      status: "paid",
      amountPaid: 2000,
      amountRequested: 2000,
      currency: "usd",
      isDefault: true,
      chargeId: null,
      paymentIntentId: "pi_103Q0w2eZvKYlo2C364X582Z",
      created: 1391288554000,
      paidAt: 1391288554000,
      canceledAt: null,
    });
  });
  it("reads a charge payment (a charge without a payment intent) and an expanded invoice", () => {
    const p = ok(
      normalizeInvoicePayment({
        ...paid(),
        invoice: { id: "in_X", object: "invoice" },
        payment: { type: "charge", charge: "ch_X" },
      }),
    );
    expect([p.invoiceId, p.chargeId, p.paymentIntentId]).toEqual(["in_X", "ch_X", null]);
  });
  it("rejects a payment that names neither a charge nor a payment intent", () => {
    const n = normalizeInvoicePayment({ ...paid(), payment: { type: "payment_intent" } });
    expect(!n.ok && n.reason).toBe("payment: names neither a charge nor a payment intent");
  });
  it("rejects the openapi fixture's made-up currency ('currency'), naming the field", () => {
    const n = normalizeInvoicePayment({ ...fixture(), payment: { type: "payment_intent", payment_intent: "pi_1" } });
    expect(!n.ok && n.reason).toMatch(/^currency: /);
  });
  it("keeps a charge's payment intent (openapi charge fixture: null; a 2025+ charge: pi_…)", () => {
    const charge = loadFixture<Record<string, unknown>>("openapi-fixtures3", "charge");
    expect(ok(normalizeCharge(charge)).paymentIntentId).toBeNull();
    expect(ok(normalizeCharge({ ...charge, payment_intent: "pi_3Ab" })).paymentIntentId).toBe("pi_3Ab");
  });
});
