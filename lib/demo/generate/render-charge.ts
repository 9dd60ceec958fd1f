// Charges and refunds (charge.refunded, refund.created) in both API shapes: openapi-fixtures3/charge.json, plus
// `invoice` on the charge in 2020-03-02 (from 2025-03-31 invoice payments link charges to invoices instead), and
// those invoice payments (invoice_payment.paid, openapi-fixtures3/invoice_payment.json).
import type { ChargeModel, RefundModel, Shape } from "./models";

const nullAddress = { city: null, country: null, line1: null, line2: null, postal_code: null, state: null };

export function renderRefund(r: RefundModel, charge: ChargeModel, shape: Shape) {
  const base = {
    id: r.id,
    object: "refund",
    amount: r.amount,
    balance_transaction: r.balanceTransaction,
    charge: charge.id,
    created: r.created,
    currency: charge.currency,
    metadata: {},
    payment_intent: charge.paymentIntent,
    reason: r.reason,
    receipt_number: null,
    source_transfer_reversal: null,
    status: "succeeded",
    transfer_reversal: null,
  };
  if (shape === "v1") return base;
  return {
    ...base,
    destination_details: {
      card: { reference_status: "pending", reference_type: "acquirer_reference_number", type: "refund" },
      type: "card",
    },
  };
}

/** A charge with its refunds (charge.refunded). The 2020 shape has `invoice`; from 2025-03-31 it is gone. */
export function renderCharge(ch: ChargeModel, shape: Shape) {
  const refunded = ch.refunds.reduce((s, r) => s + r.amount, 0);
  const refunds = ch.refunds.map((r) => renderRefund(r, ch, shape));
  const body = {
    amount: ch.amount,
    amount_captured: ch.amount,
    amount_refunded: refunded,
    application: null,
    application_fee: null,
    application_fee_amount: null,
    balance_transaction: ch.balanceTransaction,
    billing_details: {
      address: { ...nullAddress, country: ch.customer.country },
      email: ch.customer.email,
      name: ch.customer.name,
      phone: null,
      tax_id: null,
    },
    calculated_statement_descriptor: "ACME ANALYTICS",
    captured: true,
    created: ch.created,
    currency: ch.currency,
    customer: ch.customer.id,
    description: "Subscription update",
    disputed: false,
    failure_balance_transaction: null,
    failure_code: null,
    failure_message: null,
    fraud_details: {},
    id: ch.id,
    ...(shape === "v1" ? { invoice: ch.invoice } : {}),
    livemode: false,
    metadata: {},
    object: "charge",
    on_behalf_of: null,
    outcome: {
      advice_code: null,
      network_advice_code: null,
      network_decline_code: null,
      network_status: "approved_by_network",
      reason: null,
      risk_level: "normal",
      seller_message: "Payment complete.",
      type: "authorized",
    },
    paid: true,
    payment_intent: ch.paymentIntent,
    payment_method: ch.paymentMethod,
    payment_method_details: {
      card: {
        brand: "visa",
        country: ch.customer.country,
        exp_month: 8,
        exp_year: 2030,
        funding: "credit",
        last4: "4242",
        network: "visa",
      },
      type: "card",
    },
    receipt_email: ch.customer.email,
    receipt_number: null,
    receipt_url: `https://pay.stripe.com/receipts/payment/${ch.receiptToken}`,
    refunded: refunded >= ch.amount,
    refunds: {
      object: "list",
      data: refunds,
      has_more: false,
      total_count: refunds.length,
      url: `/v1/charges/${ch.id}/refunds`,
    },
    review: null,
    shipping: null,
    source: null,
    source_transfer: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: "succeeded",
    transfer_data: null,
    transfer_group: null,
  };
  return body;
}

/** The 2025-03-31+ link from a charge's payment intent to the invoice it paid, paid at `at`. */
export function renderInvoicePayment(ch: ChargeModel, id: string, at: number) {
  return {
    amount_paid: ch.amount,
    amount_requested: ch.amount,
    created: at,
    currency: ch.currency,
    id,
    invoice: ch.invoice,
    is_default: true,
    livemode: false,
    object: "invoice_payment",
    payment: { payment_intent: ch.paymentIntent, type: "payment_intent" },
    status: "paid",
    status_transitions: { canceled_at: null, paid_at: at },
  };
}
