// Invoices and invoice lines in both API shapes. Key sets follow fixtures/stripe/lifecycle/09–21 (current) and
// legacy-api-2020/invoice_*.json (2020-03-02). Values are realistic where the lifecycle fixtures keep made-up
// ones (`shipping_cost`, `from_invoice`, `last_finalization_error`): we render those as null.
import { renderLegacyPlan, renderLegacyPrice } from "./catalog";
import type { InvoiceModel, LineModel, Shape } from "./models";

const ACCOUNT_NAME = "Acme Analytics Inc.";
const ACCOUNT = "acct_1DemoAcmeAnalytic";

const nullAddress = { city: null, country: null, line1: null, line2: null, postal_code: null, state: null };

function renderLineV2(l: LineModel, inv: InvoiceModel) {
  const discounts = l.discountAmount > 0 && inv.discount ? [inv.discount.id] : [];
  return {
    amount: l.amount,
    currency: inv.currency,
    description: l.description,
    discount_amounts: discounts.map((id) => ({ amount: l.discountAmount, discount: id })),
    discountable: !l.proration,
    discounts,
    id: l.id,
    invoice: inv.id,
    livemode: false,
    metadata: {},
    object: "line_item",
    period: { start: l.periodStart, end: l.periodEnd },
    quantity: l.quantity,
    subscription: inv.subscription.id,
    pretax_credit_amounts: [],
    taxes: [],
    parent: {
      type: "subscription_item_details",
      invoice_item_details: null,
      subscription_item_details: {
        invoice_item: l.invoiceItem,
        proration: l.proration,
        proration_details: { credited_items: null },
        subscription: inv.subscription.id,
        subscription_item: l.itemId,
      },
    },
    pricing: {
      type: "price_details",
      price_details: { price: l.price.id, product: l.price.product },
      unit_amount_decimal: String(l.price.unitAmount),
    },
    subtotal: l.amount,
    quantity_decimal: String(l.quantity),
  };
}

function renderLineV1(l: LineModel, inv: InvoiceModel) {
  const discounts = l.discountAmount > 0 && inv.discount ? [inv.discount.id] : [];
  return {
    id: l.id,
    object: "line_item",
    amount: l.amount,
    currency: inv.currency,
    description: l.description,
    discount_amounts: discounts.map((id) => ({ amount: l.discountAmount, discount: id })),
    discountable: !l.proration,
    discounts,
    livemode: false,
    metadata: {},
    period: { end: l.periodEnd, start: l.periodStart },
    plan: renderLegacyPlan(l.price),
    price: { ...renderLegacyPrice(l.price), tax_behavior: "unspecified" },
    proration: l.proration,
    quantity: l.quantity,
    subscription: inv.subscription.id,
    subscription_item: l.itemId,
    tax_amounts: [],
    tax_rates: [],
    type: l.invoiceItem ? "invoiceitem" : "subscription",
  };
}

const lineList = (inv: InvoiceModel, data: unknown[]) => ({
  object: "list",
  data,
  has_more: false,
  total_count: data.length,
  url: `/v1/invoices/${inv.id}/lines`,
});

function common(inv: InvoiceModel) {
  const finalized = inv.status !== "draft";
  const paid = inv.status === "paid";
  return {
    amount_due: inv.total,
    amount_paid: paid ? inv.total : 0,
    amount_remaining: paid ? 0 : inv.total,
    hosted_invoice_url: finalized ? `https://invoice.stripe.com/i/${ACCOUNT}/test_${inv.hostedToken}` : null,
    invoice_pdf: finalized ? `https://pay.stripe.com/invoice/${ACCOUNT}/test_${inv.hostedToken}/pdf` : null,
    status_transitions: {
      finalized_at: inv.finalizedAt,
      marked_uncollectible_at: null,
      paid_at: inv.paidAt,
      voided_at: null,
    },
    total_discount_amounts:
      inv.discount && inv.discountTotal > 0 ? [{ amount: inv.discountTotal, discount: inv.discount.id }] : [],
  };
}

export function renderInvoice(inv: InvoiceModel, shape: Shape) {
  return shape === "v1" ? renderInvoiceV1(inv) : renderInvoiceV2(inv);
}

function renderInvoiceV2(inv: InvoiceModel) {
  const c = common(inv);
  const finalized = inv.status !== "draft";
  return {
    account_country: "US",
    account_name: ACCOUNT_NAME,
    account_tax_ids: null,
    amount_due: c.amount_due,
    amount_paid: c.amount_paid,
    amount_remaining: c.amount_remaining,
    amount_shipping: 0,
    application: null,
    attempt_count: inv.attemptCount,
    attempted: inv.attempted,
    auto_advance: inv.status !== "paid",
    automatic_tax: { enabled: false, liability: null, status: null, disabled_reason: null, provider: null },
    billing_reason: inv.billingReason,
    collection_method: "charge_automatically",
    created: inv.created,
    currency: inv.currency,
    custom_fields: null,
    customer: inv.customer.id,
    // The invoice copies the customer's addresses as they are when it is finalized.
    customer_address: inv.customer.addressOn === "billing" ? { ...nullAddress, country: inv.customer.country } : null,
    customer_email: inv.customer.email,
    customer_name: inv.customer.name,
    customer_phone: null,
    customer_shipping:
      inv.customer.addressOn === "shipping"
        ? { address: { ...nullAddress, country: inv.customer.country }, name: inv.customer.name, phone: null }
        : null,
    customer_tax_exempt: "none",
    customer_tax_ids: [],
    default_payment_method: null,
    default_source: null,
    default_tax_rates: [],
    description: null,
    discounts: inv.discount ? [inv.discount.id] : [],
    due_date: null,
    effective_at: inv.finalizedAt,
    ending_balance: finalized ? 0 : null,
    footer: null,
    from_invoice: null,
    hosted_invoice_url: c.hosted_invoice_url,
    id: inv.id,
    invoice_pdf: c.invoice_pdf,
    issuer: { type: "self" },
    last_finalization_error: null,
    latest_revision: null,
    lines: lineList(
      inv,
      inv.lines.map((l) => renderLineV2(l, inv)),
    ),
    livemode: false,
    metadata: {},
    next_payment_attempt: inv.nextPaymentAttempt,
    number: inv.number,
    object: "invoice",
    on_behalf_of: null,
    payment_settings: { default_mandate: null, payment_method_options: null, payment_method_types: null },
    period_end: inv.periodEnd,
    period_start: inv.periodStart,
    post_payment_credit_notes_amount: 0,
    pre_payment_credit_notes_amount: 0,
    receipt_number: null,
    rendering: { amount_tax_display: null, pdf: { page_size: "auto" }, template: null, template_version: null },
    shipping_cost: null,
    shipping_details: null,
    starting_balance: 0,
    statement_descriptor: null,
    status: inv.status,
    status_transitions: c.status_transitions,
    subtotal: inv.subtotal,
    subtotal_excluding_tax: inv.subtotal,
    test_clock: null,
    total: inv.total,
    total_discount_amounts: c.total_discount_amounts,
    total_excluding_tax: inv.total,
    webhooks_delivered_at: finalized ? inv.created : null,
    automatically_finalizes_at: finalized ? null : inv.created + 3600,
    total_pretax_credit_amounts: [],
    total_taxes: [],
    amount_overpaid: 0,
    parent: {
      type: "subscription_details",
      quote_details: null,
      subscription_details: { metadata: { plan_key: inv.subscription.planKey }, subscription: inv.subscription.id },
    },
    customer_account: null,
  };
}

function renderInvoiceV1(inv: InvoiceModel) {
  const c = common(inv);
  const finalized = inv.status !== "draft";
  return {
    id: inv.id,
    object: "invoice",
    account_country: "US",
    account_name: ACCOUNT_NAME,
    account_tax_ids: null,
    amount_due: c.amount_due,
    amount_paid: c.amount_paid,
    amount_remaining: c.amount_remaining,
    application_fee_amount: null,
    attempt_count: inv.attemptCount,
    attempted: inv.attempted,
    auto_advance: inv.status !== "paid",
    automatic_tax: { enabled: false, status: null },
    billing_reason: inv.billingReason,
    charge: inv.charge,
    collection_method: "charge_automatically",
    created: inv.created,
    currency: inv.currency,
    custom_fields: null,
    customer: inv.customer.id,
    customer_address: null,
    customer_email: inv.customer.email,
    customer_name: inv.customer.name,
    customer_phone: null,
    customer_shipping: null,
    customer_tax_exempt: "none",
    customer_tax_ids: [],
    default_payment_method: null,
    default_source: null,
    default_tax_rates: [],
    description: null,
    discount: inv.discount
      ? {
          id: inv.discount.id,
          object: "discount",
          checkout_session: null,
          coupon: { id: inv.discount.coupon.id },
          customer: inv.discount.customer,
          end: inv.discount.end,
          invoice: null,
          invoice_item: null,
          promotion_code: null,
          start: inv.discount.start,
          subscription: inv.discount.subscription,
        }
      : null,
    discounts: inv.discount ? [inv.discount.id] : [],
    due_date: null,
    ending_balance: finalized ? 0 : null,
    footer: null,
    hosted_invoice_url: c.hosted_invoice_url,
    invoice_pdf: c.invoice_pdf,
    last_finalization_error: null,
    lines: lineList(
      inv,
      inv.lines.map((l) => renderLineV1(l, inv)),
    ),
    livemode: false,
    metadata: {},
    next_payment_attempt: inv.nextPaymentAttempt,
    number: inv.number,
    on_behalf_of: null,
    paid: inv.status === "paid",
    paid_out_of_band: false,
    payment_intent: inv.paymentIntent,
    payment_settings: { payment_method_options: null, payment_method_types: null },
    period_end: inv.periodEnd,
    period_start: inv.periodStart,
    post_payment_credit_notes_amount: 0,
    pre_payment_credit_notes_amount: 0,
    quote: null,
    receipt_number: null,
    starting_balance: 0,
    statement_descriptor: null,
    status: inv.status,
    status_transitions: c.status_transitions,
    subscription: inv.subscription.id,
    subtotal: inv.subtotal,
    tax: null,
    tax_percent: null,
    total: inv.total,
    total_discount_amounts: c.total_discount_amounts,
    total_tax_amounts: [],
    transfer_data: null,
    webhooks_delivered_at: finalized ? inv.created : null,
  };
}
