// A local, deterministic fake of the Stripe list endpoints the backfill calls. Tests only: binds 127.0.0.1 on a
// random port, serves generated objects in the 2026 API shape, and caps list pages at 100 like Stripe.
import http from "node:http";
import type { AddressInfo } from "node:net";

export type FakeStripeOptions = { subscriptions: number; seed?: number };
export type FakeStripe = {
  url: string;
  host: string;
  port: number;
  requests: string[];
  objects: Record<string, Record<string, unknown>[]>;
  close: () => Promise<void>;
};

const T0 = 1779872400; // 2026-05-27 09:00 UTC, the lifecycle fixtures' T0
const MAX_SUBSCRIPTIONS = 50_000;

const price = (id: string, interval: "month" | "year", amount: number) => ({
  id,
  object: "price",
  active: true,
  billing_scheme: "per_unit",
  created: T0 - 86400,
  currency: "usd",
  custom_unit_amount: null,
  livemode: false,
  lookup_key: null,
  metadata: {},
  nickname: id,
  product: "prod_Fake000000000001",
  recurring: { interval, interval_count: 1, meter: null, usage_type: "licensed", trial_period_days: null },
  tax_behavior: "exclusive",
  tiers_mode: null,
  transform_quantity: null,
  type: "recurring",
  unit_amount: amount,
  unit_amount_decimal: String(amount),
});

const COUNTRIES = ["US", "DE", "GB", "FR", "SG", "BR", "JP"];
const address = (country: string | null) => ({
  city: null,
  country,
  line1: null,
  line2: null,
  postal_code: null,
  state: null,
});

/**
 * The address shapes the country rule reads (billing, else shipping, else unknown), in turn: a billing address; only
 * a shipping address; a billing address without a country next to a shipping one; neither.
 */
function addresses(i: number) {
  const country = COUNTRIES[i % COUNTRIES.length]!;
  const shipping = { address: address(country), name: "Shipping", phone: null };
  switch (i % 4) {
    case 0:
      return { address: address(country), shipping: null };
    case 1:
      return { address: null, shipping };
    case 2:
      return { address: address(""), shipping };
    default:
      return { address: null, shipping: null };
  }
}

export function generateObjects({ subscriptions: n, seed = 1 }: FakeStripeOptions) {
  const count = Math.min(n, MAX_SUBSCRIPTIONS);
  const prices = [price("price_FakeMonthly00001", "month", 2000), price("price_FakeYearly000001", "year", 20000)];
  const products = [
    { id: "prod_Fake000000000001", object: "product", name: "Fake Pro", active: true, created: T0 - 86400 },
  ];
  const coupons = [
    {
      id: "FAKE20",
      object: "coupon",
      percent_off: 20,
      amount_off: null,
      currency: null,
      duration: "forever",
      duration_in_months: null,
      created: T0 - 86400,
    },
  ];
  const customers: Record<string, unknown>[] = [];
  const subs: Record<string, unknown>[] = [];
  const invoices: Record<string, unknown>[] = [];
  const charges: Record<string, unknown>[] = [];
  const invoicePayments: Record<string, unknown>[] = [];
  const statuses = ["active", "active", "active", "trialing", "past_due", "canceled"] as const;
  for (let i = 0; i < count; i++) {
    const k = String(i).padStart(8, "0");
    const cus = `cus_Fake${k}`;
    const created = T0 + i * 60;
    const status = statuses[(i * 7 + seed) % statuses.length]!;
    const p = prices[i % 5 === 0 ? 1 : 0]!;
    const periodEnd = created + (p.recurring.interval === "year" ? 365 : 30) * 86400;
    customers.push({
      id: cus,
      object: "customer",
      email: `c${k}@example.test`,
      name: `Customer ${k}`,
      currency: "usd",
      created,
      delinquent: status === "past_due",
      discount: null,
      ...addresses(i),
    });
    const discounts =
      i % 4 === 0
        ? [
            {
              id: `di_Fake${k}`,
              object: "discount",
              customer: cus,
              subscription: `sub_Fake${k}`,
              subscription_item: null,
              promotion_code: null,
              start: created,
              end: null,
              source: { type: "coupon", coupon: coupons[0] },
            },
          ]
        : [];
    subs.push({
      id: `sub_Fake${k}`,
      object: "subscription",
      customer: cus,
      currency: "usd",
      status,
      created,
      start_date: created,
      items: {
        object: "list",
        has_more: false,
        data: [
          {
            id: `si_Fake${k}`,
            object: "subscription_item",
            price: p,
            quantity: 1 + (i % 3),
            discounts: [],
            tax_rates: [],
            current_period_start: created,
            current_period_end: periodEnd,
          },
        ],
      },
      discounts,
      default_tax_rates: [],
      trial_start: status === "trialing" ? created : null,
      trial_end: status === "trialing" ? created + 14 * 86400 : null,
      pause_collection: null,
      cancel_at_period_end: false,
      cancel_at: null,
      canceled_at: status === "canceled" ? created + 86400 : null,
      ended_at: status === "canceled" ? created + 86400 : null,
      cancellation_details: { reason: status === "canceled" ? "cancellation_requested" : null },
      latest_invoice: `in_Fake${k}`,
      schedule: null,
    });
    const amount = p.unit_amount * (1 + (i % 3));
    invoices.push({
      id: `in_Fake${k}`,
      object: "invoice",
      customer: cus,
      status: "paid",
      currency: "usd",
      amount_due: amount,
      amount_paid: amount,
      amount_remaining: 0,
      subtotal: amount,
      total: amount,
      attempt_count: 1,
      billing_reason: "subscription_create",
      created,
      period_start: created,
      period_end: created,
      status_transitions: {
        finalized_at: created,
        paid_at: created + 60,
        voided_at: null,
        marked_uncollectible_at: null,
      },
      parent: { type: "subscription_details", subscription_details: { subscription: `sub_Fake${k}` } },
      lines: { object: "list", has_more: false, data: [] },
    });
    // Every 10th invoice is paid by a card charge through a payment intent (2025-03-31+: the charge carries no
    // `invoice`; the invoice payment links them).
    if (i % 10 === 0) {
      charges.push({
        id: `ch_Fake${k}`,
        object: "charge",
        customer: cus,
        amount,
        amount_captured: amount,
        amount_refunded: 0,
        currency: "usd",
        status: "succeeded",
        paid: true,
        refunded: false,
        created: created + 60,
        payment_intent: `pi_Fake${k}`,
        refunds: { object: "list", has_more: false, data: [] },
      });
      invoicePayments.push({
        id: `inpay_Fake${k}`,
        object: "invoice_payment",
        invoice: `in_Fake${k}`,
        status: "paid",
        amount_paid: amount,
        amount_requested: amount,
        currency: "usd",
        is_default: true,
        livemode: false,
        payment: { type: "payment_intent", payment_intent: `pi_Fake${k}` },
        created: created + 60,
        status_transitions: { canceled_at: null, paid_at: created + 60 },
      });
    }
  }
  // Stripe lists newest first; the backfill must not depend on it, but keep the order realistic.
  const newestFirst = (xs: Record<string, unknown>[]) => [...xs].reverse();
  return {
    products,
    prices,
    coupons,
    promotion_codes: [],
    customers: newestFirst(customers),
    subscriptions: newestFirst(subs),
    subscription_schedules: [],
    invoices: newestFirst(invoices),
    invoice_payments: newestFirst(invoicePayments),
    credit_notes: [],
    charges: newestFirst(charges),
    refunds: [],
  } as Record<string, Record<string, unknown>[]>;
}

export async function startFakeStripe(opts: FakeStripeOptions): Promise<FakeStripe> {
  const objects = generateObjects(opts);
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    requests.push(`${req.method} ${url.pathname}${url.search}`);
    const match = /^\/v1\/([a-z_]+)$/.exec(url.pathname);
    const list = match ? objects[match[1]!] : undefined;
    if (req.method !== "GET" || !list) {
      res
        .writeHead(404, { "content-type": "application/json" })
        .end(JSON.stringify({ error: { type: "invalid_request_error", message: "Unrecognized request URL" } }));
      return;
    }
    const limit = Math.max(1, Math.min(100, Number(url.searchParams.get("limit") ?? 10)));
    const after = url.searchParams.get("starting_after");
    const start = after ? list.findIndex((o) => o.id === after) + 1 : 0;
    const data = list.slice(start, start + limit);
    res.writeHead(200, { "content-type": "application/json", "request-id": `req_fake_${requests.length}` });
    res.end(JSON.stringify({ object: "list", url: url.pathname, has_more: start + limit < list.length, data }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    host: "127.0.0.1",
    port,
    requests,
    objects,
    close: () => new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };
}
