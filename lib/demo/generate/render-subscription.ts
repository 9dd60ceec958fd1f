// Subscriptions, customers and discounts in both API shapes. Key sets follow fixtures/stripe/lifecycle/07, 08, 16
// (current) and legacy-api-2020/subscription_*.json and customer_updated.json (2020-03-02); the shape tests
// compare them key by key.
import { renderCoupon, renderLegacyPlan, renderLegacyPrice, renderPlan, renderPrice } from "./catalog";
import type { CustomerModel, DiscountModel, ItemModel, Shape, SubscriptionModel } from "./models";

const nullAddress = { city: null, country: null, line1: null, line2: null, postal_code: null, state: null };

/** The customer's billing address and shipping details, with the country on the one `addressOn` names. */
export function renderCustomerAddresses(c: CustomerModel, shape: Shape) {
  const located = { ...nullAddress, country: c.country };
  return {
    // The current shape sends an all-null address object for "no address"; the 2020 one sends null.
    address: c.addressOn === "billing" ? located : shape === "v1" ? null : nullAddress,
    shipping: c.addressOn === "shipping" ? { address: located, name: c.name, phone: null } : null,
  };
}

export function renderCustomer(c: CustomerModel, shape: Shape) {
  const { address, shipping } = renderCustomerAddresses(c, shape);
  if (shape === "v1") {
    return {
      id: c.id,
      object: "customer",
      address,
      balance: 0,
      created: c.created,
      currency: c.currency,
      default_source: null,
      delinquent: false,
      description: null,
      discount: null,
      email: c.email,
      invoice_prefix: c.invoicePrefix,
      invoice_settings: { custom_fields: null, default_payment_method: c.paymentMethod, footer: null },
      livemode: false,
      metadata: {},
      name: c.name,
      next_invoice_sequence: c.nextInvoiceSequence,
      phone: null,
      preferred_locales: [],
      shipping,
      sources: { object: "list", data: [], has_more: false, total_count: 0, url: `/v1/customers/${c.id}/sources` },
      subscriptions: {
        object: "list",
        data: [],
        has_more: false,
        total_count: 0,
        url: `/v1/customers/${c.id}/subscriptions`,
      },
      tax_exempt: "none",
      tax_ids: { object: "list", data: [], has_more: false, total_count: 0, url: `/v1/customers/${c.id}/tax_ids` },
    };
  }
  return {
    address,
    balance: 0,
    created: c.created,
    currency: c.currency,
    default_source: null,
    delinquent: false,
    description: null,
    discount: null,
    email: c.email,
    id: c.id,
    invoice_prefix: c.invoicePrefix,
    invoice_settings: {
      custom_fields: null,
      default_payment_method: c.paymentMethod,
      footer: null,
      rendering_options: { amount_tax_display: null, template: null },
    },
    livemode: false,
    metadata: {},
    name: c.name,
    next_invoice_sequence: c.nextInvoiceSequence,
    object: "customer",
    phone: null,
    preferred_locales: ["en"],
    shipping,
    tax_exempt: "none",
    test_clock: null,
  };
}

export function renderDiscount(d: DiscountModel, shape: Shape) {
  if (shape === "v1") {
    return {
      id: d.id,
      object: "discount",
      checkout_session: null,
      coupon: renderCoupon(d.coupon),
      customer: d.customer,
      end: d.end,
      invoice: null,
      invoice_item: null,
      promotion_code: null,
      start: d.start,
      subscription: d.subscription,
    };
  }
  return {
    checkout_session: null,
    customer: d.customer,
    end: d.end,
    id: d.id,
    invoice: null,
    invoice_item: null,
    object: "discount",
    promotion_code: null,
    start: d.start,
    subscription: d.subscription,
    subscription_item: null,
    source: { type: "coupon", coupon: d.coupon.id },
    customer_account: null,
  };
}

function renderItemV2(item: ItemModel, s: SubscriptionModel) {
  return {
    created: item.created,
    discounts: [],
    id: item.id,
    metadata: {},
    object: "subscription_item",
    price: renderPrice(item.price),
    quantity: item.quantity,
    subscription: s.id,
    tax_rates: [],
    plan: renderPlan(item.price),
    current_period_end: s.periodEnd,
    current_period_start: s.periodStart,
    billing_thresholds: null,
    current_trial: null,
  };
}

function renderItemV1(item: ItemModel, s: SubscriptionModel) {
  return {
    id: item.id,
    object: "subscription_item",
    billing_thresholds: null,
    created: item.created,
    metadata: {},
    plan: renderLegacyPlan(item.price),
    price: renderLegacyPrice(item.price),
    quantity: item.quantity,
    subscription: s.id,
    tax_rates: [],
  };
}

const itemList = (s: SubscriptionModel, data: unknown[]) => ({
  object: "list",
  data,
  has_more: false,
  total_count: data.length,
  url: `/v1/subscription_items?subscription=${s.id}`,
});

export function renderSubscription(s: SubscriptionModel, shape: Shape) {
  if (shape === "v1") return renderSubscriptionV1(s);
  return {
    application: null,
    application_fee_percent: null,
    automatic_tax: { enabled: false, liability: null, disabled_reason: null },
    billing_cycle_anchor: s.billingCycleAnchor,
    billing_cycle_anchor_config: null,
    cancel_at: s.cancelAt,
    canceled_at: s.canceledAt,
    cancellation_details: { ...s.cancellation, feedback_option: null },
    collection_method: "charge_automatically",
    created: s.created,
    currency: s.currency,
    customer: s.customer,
    days_until_due: null,
    default_payment_method: s.paymentMethod,
    default_source: null,
    default_tax_rates: [],
    description: null,
    discounts: s.discount ? [s.discount.id] : [],
    ended_at: s.endedAt,
    id: s.id,
    invoice_settings: {
      account_tax_ids: null,
      issuer: { type: "self" },
      custom_fields: null,
      description: null,
      footer: null,
    },
    items: itemList(
      s,
      s.items.map((i) => renderItemV2(i, s)),
    ),
    latest_invoice: s.latestInvoice,
    livemode: false,
    metadata: { plan_key: s.planKey },
    next_pending_invoice_item_invoice: null,
    object: "subscription",
    on_behalf_of: null,
    pause_collection: null,
    payment_settings: {
      payment_method_options: null,
      payment_method_types: null,
      save_default_payment_method: "on_subscription",
    },
    pending_invoice_item_interval: null,
    pending_setup_intent: null,
    pending_update: null,
    schedule: null,
    start_date: s.created,
    status: s.status,
    test_clock: null,
    transfer_data: null,
    trial_end: s.trialEnd,
    trial_settings: { end_behavior: { missing_payment_method: "create_invoice" } },
    trial_start: s.trialStart,
    cancel_at_period_end: s.cancelAtPeriodEnd,
    billing_thresholds: null,
    billing_mode: { type: "flexible", flexible: { proration_discounts: "included" }, updated_at: s.created },
    customer_account: null,
    managed_payments: null,
    billing_schedules: [],
  };
}

function renderSubscriptionV1(s: SubscriptionModel) {
  const first = s.items[0]!;
  return {
    id: s.id,
    object: "subscription",
    application_fee_percent: null,
    billing_cycle_anchor: s.billingCycleAnchor,
    billing_thresholds: null,
    cancel_at: s.cancelAt,
    cancel_at_period_end: s.cancelAtPeriodEnd,
    canceled_at: s.canceledAt,
    collection_method: "charge_automatically",
    created: s.created,
    current_period_end: s.periodEnd,
    current_period_start: s.periodStart,
    customer: s.customer,
    days_until_due: null,
    default_payment_method: s.paymentMethod,
    default_source: null,
    default_tax_rates: [],
    discount: s.discount ? renderDiscount(s.discount, "v1") : null,
    ended_at: s.endedAt,
    items: itemList(
      s,
      s.items.map((i) => renderItemV1(i, s)),
    ),
    latest_invoice: s.latestInvoice,
    livemode: false,
    metadata: { plan_key: s.planKey },
    next_pending_invoice_item_invoice: null,
    pause_collection: null,
    pending_invoice_item_interval: null,
    pending_setup_intent: null,
    pending_update: null,
    plan: renderLegacyPlan(first.price),
    quantity: first.quantity,
    schedule: null,
    start_date: s.created,
    status: s.status,
    tax_percent: null,
    transfer_data: null,
    trial_end: s.trialEnd,
    trial_start: s.trialStart,
  };
}
