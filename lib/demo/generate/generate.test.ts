import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ingestEventSchema } from "@/lib/ingest/schemas";
import { eventEnvelopeSchema } from "@/lib/stripe/event";
import { normalizeCustomer } from "@/lib/stripe/normalize/customer";
import { normalizeInvoicePayment } from "@/lib/stripe/normalize/invoice-payment";
import { generateBusiness, type GeneratedItem, type StripeEventEnvelope } from "./index";

const FIXTURES = path.resolve(import.meta.dirname, "../../../fixtures/stripe");
type Obj = Record<string, unknown>;
const fixture = (file: string) => JSON.parse(fs.readFileSync(path.join(FIXTURES, file), "utf8")) as StripeEventEnvelope;
const objectOf = (file: string) => fixture(file).data.object;
const keys = (o: unknown) => Object.keys(o as Obj).sort();
const itemOf = (sub: Obj) => (sub.items as { data: Obj[] }).data[0]!;
const lineOf = (inv: Obj) => (inv.lines as { data: Obj[] }).data[0]!;

const OPTIONS = { seed: "unit", customers: 80, months: 18, endDate: "2026-11-30" } as const;
const business = generateBusiness(OPTIONS);
const items: GeneratedItem[] = [...business];
const summary = business.summary();
const stripe = items.flatMap((i) => (i.kind === "stripe" ? [i.event] : []));
const ingest = items.flatMap((i) => (i.kind === "ingest" ? [i.event] : []));
const at = (i: GeneratedItem) => (i.kind === "stripe" ? i.event.created : Date.parse(i.event.occurredAt) / 1000);
const LEGACY = "2020-03-02";
const CURRENT = "2026-10-28.endive";

const digest = (list: Iterable<GeneratedItem>) => {
  const hash = createHash("sha256");
  for (const item of list) hash.update(JSON.stringify(item));
  return hash.digest("hex");
};

describe("determinism", () => {
  it("renders the identical history twice for seed 'unit' (80 customers × 18 months)", () => {
    expect(digest(generateBusiness(OPTIONS))).toBe(digest(items));
  });

  it("renders a different history for another seed", () => {
    expect(digest(generateBusiness({ ...OPTIONS, seed: "other" }))).not.toBe(digest(items));
  });

  it("iterates the same items asynchronously", async () => {
    const asyncItems: GeneratedItem[] = [];
    for await (const item of generateBusiness({ ...OPTIONS, customers: 10 })) asyncItems.push(item);
    expect(digest(asyncItems)).toBe(digest(generateBusiness({ ...OPTIONS, customers: 10 })));
  });

  it("uses unique Stripe event ids and unique ingest ids", () => {
    expect(new Set(stripe.map((e) => e.id)).size).toBe(stripe.length);
    expect(new Set(ingest.map((e) => e.id)).size).toBe(ingest.length);
  });
});

describe("time order and horizon", () => {
  it("yields items in non-decreasing time, all within the 18 months ending 2026-11-30", () => {
    const times = items.map(at);
    for (let i = 1; i < times.length; i++) expect(times[i]!).toBeGreaterThanOrEqual(times[i - 1]!);
    expect(Math.min(...times)).toBeGreaterThanOrEqual(Date.parse("2025-06-01T00:00:00Z") / 1000);
    expect(Math.max(...times)).toBeLessThanOrEqual(Date.parse("2026-11-30T23:59:59Z") / 1000);
  });

  it("sometimes sends several events of one customer in the same second (e.g. invoice.paid + subscription.updated)", () => {
    const paidAndUpdated = stripe.filter(
      (e, i) =>
        e.type === "invoice.paid" &&
        stripe.some((o, j) => j !== i && o.created === e.created && o.type === "customer.subscription.updated"),
    );
    expect(paidAndUpdated.length).toBeGreaterThan(0);
  });
});

describe("Stripe envelopes and object shapes", () => {
  it("makes every event a valid envelope: evt_ id, object event, livemode false, one of two API versions", () => {
    const envelopeKeys = keys(fixture("lifecycle/08_customer.subscription.created.json"));
    for (const e of stripe) {
      expect(eventEnvelopeSchema.safeParse(e).success).toBe(true);
      expect(keys(e)).toEqual(envelopeKeys);
      expect(e.livemode).toBe(false);
      expect([LEGACY, CURRENT]).toContain(e.api_version);
      expect(e.request.id === null || /^req_/.test(e.request.id)).toBe(true);
    }
  });

  it("renders about 30% of customers in the 2020-03-02 shape, the rest in 2026-10-28.endive", () => {
    const legacy = summary.customers.filter((c) => c.shape === "v1").length / summary.customers.length;
    expect(legacy).toBeGreaterThan(0.15);
    expect(legacy).toBeLessThan(0.45);
    expect(summary.byApiVersion[LEGACY]! + summary.byApiVersion[CURRENT]!).toBe(stripe.length);
  });

  const first = (type: string, version: string) => {
    const e = stripe.find((x) => x.type === type && x.api_version === version);
    if (!e) throw new Error(`no ${type} in ${version}`);
    return e.data.object;
  };

  it.each([
    ["product.created", "lifecycle/01_product.created.json"],
    ["price.created", "lifecycle/02_price.created.json"],
    ["plan.created", "lifecycle/03_plan.created.json"],
    ["coupon.created", "lifecycle/06_coupon.created.json"],
    ["customer.created", "lifecycle/07_customer.created.json"],
    ["customer.subscription.created", "lifecycle/08_customer.subscription.created.json"],
    ["invoice.paid", "lifecycle/09_invoice.paid.json"],
    ["invoice.payment_failed", "lifecycle/19_invoice.payment_failed.json"],
    ["customer.discount.created", "lifecycle/16_customer.discount.created.json"],
  ])("renders %s with the keys of %s (current shape)", (type, file) => {
    expect(keys(first(type, CURRENT))).toEqual(keys(objectOf(file)));
  });

  it.each([
    ["customer.subscription.created", "legacy-api-2020/subscription_created.json"],
    ["customer.subscription.deleted", "legacy-api-2020/subscription_deleted.json"],
    ["invoice.paid", "legacy-api-2020/invoice_paid.json"],
    ["invoice.finalized", "legacy-api-2020/invoice_finalized.json"],
    ["customer.created", "legacy-api-2020/customer_updated.json"],
  ])("renders %s with the keys of %s (2020-03-02 shape)", (type, file) => {
    expect(keys(first(type, LEGACY))).toEqual(keys(objectOf(file)));
  });

  it("renders subscription items, their price and plan with the fixture keys in both shapes", () => {
    const current = itemOf(first("customer.subscription.updated", CURRENT));
    const currentFixture = itemOf(objectOf("lifecycle/08_customer.subscription.created.json"));
    expect(keys(current)).toEqual(keys(currentFixture));
    expect(keys(current.price)).toEqual(keys(currentFixture.price));
    expect(keys(current.plan)).toEqual(keys(currentFixture.plan));
    const legacy = itemOf(first("customer.subscription.updated", LEGACY));
    const legacyFixture = itemOf(objectOf("legacy-api-2020/subscription_updated.json"));
    expect(keys(legacy)).toEqual(keys(legacyFixture));
    expect(keys(legacy.price)).toEqual(keys(legacyFixture.price));
    expect(keys(legacy.plan)).toEqual(keys(legacyFixture.plan));
    expect(keys((legacy.price as Obj).recurring)).toEqual(keys((legacyFixture.price as Obj).recurring));
  });

  it("renders invoice lines with the fixture keys in both shapes", () => {
    expect(keys(lineOf(first("invoice.paid", CURRENT)))).toEqual(
      keys(lineOf(objectOf("lifecycle/09_invoice.paid.json"))),
    );
    expect(keys(lineOf(first("invoice.paid", LEGACY)))).toEqual(
      keys(lineOf(objectOf("legacy-api-2020/invoice_paid.json"))),
    );
  });

  it("renders charges like openapi-fixtures3/charge.json (plus `invoice` in 2020-03-02)", () => {
    const chargeKeys = keys(JSON.parse(fs.readFileSync(path.join(FIXTURES, "openapi-fixtures3/charge.json"), "utf8")));
    const refunded = stripe.filter((e) => e.type === "charge.refunded");
    expect(refunded.length).toBeGreaterThan(0);
    for (const e of refunded)
      expect(keys(e.data.object)).toEqual(e.api_version === LEGACY ? [...chargeKeys, "invoice"].sort() : chargeKeys);
  });

  it("links each paid 2026-10-28 invoice with an amount to its payment intent by one invoice_payment.paid in the same second, and no 2020-03-02 one", () => {
    const paymentKeys = keys(
      JSON.parse(fs.readFileSync(path.join(FIXTURES, "openapi-fixtures3/invoice_payment.json"), "utf8")),
    );
    const payments = stripe.filter((e) => e.type === "invoice_payment.paid");
    const paid = stripe.filter(
      (e) => e.type === "invoice.paid" && e.api_version === CURRENT && (e.data.object.amount_paid as number) > 0,
    );
    expect(payments.length).toBeGreaterThan(50);
    expect(payments.map((e) => e.data.object.invoice).sort()).toEqual(paid.map((e) => e.data.object.id).sort());
    const byInvoice = new Map(paid.map((e) => [e.data.object.id, e]));
    for (const e of payments) {
      const invoice = byInvoice.get(e.data.object.invoice)!;
      expect(e.api_version).toBe(CURRENT);
      expect(keys(e.data.object)).toEqual(paymentKeys);
      const n = normalizeInvoicePayment(e.data.object);
      expect(n.ok && [n.value.status, n.value.amountPaid, n.value.currency, n.value.created / 1000]).toEqual([
        "paid",
        invoice.data.object.amount_paid,
        invoice.data.object.currency,
        invoice.created,
      ]);
      expect(e.created).toBe(invoice.created);
    }
  });

  it("names the payment intent of every refunded 2026-10-28 charge in an invoice payment for its amount", () => {
    const payments = new Map(
      stripe
        .filter((e) => e.type === "invoice_payment.paid")
        .map((e) => [(e.data.object.payment as Obj).payment_intent, e.data.object]),
    );
    const refunded = stripe.filter((e) => e.type === "charge.refunded" && e.api_version === CURRENT);
    expect(refunded.length).toBeGreaterThan(0);
    for (const e of refunded) {
      const payment = payments.get(e.data.object.payment_intent);
      expect(payment?.amount_paid).toBe(e.data.object.amount);
    }
  });

  it("follows every recurring price.created with plan.created of the same id, in the same second", () => {
    const prices = stripe.filter((e) => e.type === "price.created");
    expect(prices.length).toBe(12); // 3 products × monthly/yearly × usd/eur
    for (const p of prices) {
      const plan = stripe.find((e) => e.type === "plan.created" && e.data.object.id === p.data.object.id);
      expect(plan?.created).toBe(p.created);
    }
  });

  it("puts previous_attributes on every customer.subscription.updated, with the old values", () => {
    const updates = stripe.filter((e) => e.type === "customer.subscription.updated");
    for (const e of updates) {
      const prev = e.data.previous_attributes;
      expect(prev, e.id).toBeDefined();
      for (const [key, old] of Object.entries(prev!)) expect(e.data.object[key]).not.toEqual(old);
    }
    const seatChange = updates.find((e) => {
      const prev = e.data.previous_attributes?.items as { data: Obj[] } | undefined;
      return prev && prev.data[0]!.quantity !== itemOf(e.data.object).quantity;
    });
    expect(seatChange).toBeDefined();
  });
});

describe("customer countries", () => {
  const created = stripe.filter((e) => e.type === "customer.created");
  const countryOf = (o: Obj) => {
    const n = normalizeCustomer(o);
    if (!n.ok) throw new Error(n.reason);
    return n.value.country;
  };

  it("puts each customer's country where the summary says, read back by the customer normalizer", () => {
    const expected = new Map(summary.customers.map((c) => [c.customerId, c.country]));
    for (const e of created) expect(countryOf(e.data.object), e.id).toBe(expected.get(e.data.object.id as string));
  });

  it("spreads customers over several countries, some only on the shipping address, some unknown", () => {
    const countries = summary.customers.map((c) => c.country);
    const known = new Set(countries.filter((c): c is string => c !== null));
    expect(known.size).toBeGreaterThanOrEqual(6);
    expect([...known].every((c) => /^[A-Z]{2}$/.test(c))).toBe(true);
    const unknown = countries.filter((c) => c === null).length;
    expect(unknown).toBeGreaterThan(0);
    expect(unknown).toBeLessThan(countries.length * 0.2);
    const viaShipping = created.filter((e) => (e.data.object.shipping as { address?: unknown } | null)?.address);
    expect(viaShipping.length).toBeGreaterThan(0);
    // Both API shapes carry addresses.
    expect(new Set(viaShipping.concat(created.filter((e) => e.data.object.address)).map((e) => e.api_version))).toEqual(
      new Set([LEGACY, CURRENT]),
    );
  });

  it("places eur customers in euro countries", () => {
    const euro = new Set(["DE", "FR", "NL", "ES", "IT", "IE", "AT"]);
    const eur = summary.customers.filter((c) => c.currency === "eur" && c.country !== null);
    expect(eur.length).toBeGreaterThan(0);
    for (const c of eur) expect(euro.has(c.country!), c.customerId).toBe(true);
  });
});

describe("per-customer consistency", () => {
  const byCustomer = new Map<string, StripeEventEnvelope[]>();
  for (const e of stripe) {
    const o = e.data.object;
    const customer = o.object === "customer" ? (o.id as string) : (o.customer as string | undefined);
    if (customer) byCustomer.set(customer, [...(byCustomer.get(customer) ?? []), e]);
  }

  it("starts every customer's history with customer.created, carrying the signup's e-mail domain", () => {
    expect(byCustomer.size).toBe(summary.customers.length);
    const signupEmails = new Set(
      ingest.flatMap((e) => (e.type === "signup" && e.email ? [e.email.split("@")[1]] : [])),
    );
    for (const [id, events] of byCustomer) {
      expect(events[0]!.type, id).toBe("customer.created");
      expect(signupEmails).toContain((events[0]!.data.object.email as string).split("@")[1]);
    }
  });

  it("ends trials 14 days after they start and invoices no earlier than the subscription starts", () => {
    const subStart = new Map<string, number>();
    for (const e of stripe) {
      const o = e.data.object;
      if (e.type === "customer.subscription.created") {
        subStart.set(o.id as string, o.created as number);
        if (o.status === "trialing") expect((o.trial_end as number) - (o.trial_start as number)).toBe(14 * 86_400);
        expect(o.created).toBe(e.created);
      }
      if (o.object === "invoice") {
        const sub =
          e.api_version === LEGACY
            ? (o.subscription as string)
            : (o.parent as { subscription_details: { subscription: string } }).subscription_details.subscription;
        expect(subStart.has(sub), `${e.id} invoices unknown ${sub}`).toBe(true);
        expect(o.created as number).toBeGreaterThanOrEqual(subStart.get(sub)!);
        expect(e.created).toBeGreaterThanOrEqual(o.created as number);
      }
      if (o.object === "subscription") {
        const periodEnd = e.api_version === LEGACY ? o.current_period_end : itemOf(o).current_period_end;
        const periodStart = e.api_version === LEGACY ? o.current_period_start : itemOf(o).current_period_start;
        expect(periodEnd as number).toBeGreaterThan(periodStart as number);
        if (o.ended_at !== null) expect(o.ended_at as number).toBeGreaterThanOrEqual(o.created as number);
      }
    }
  });

  it("prices each customer in its own currency, amounts in integer minor units", () => {
    const currency = new Map(summary.customers.map((c) => [c.customerId, c.currency]));
    for (const e of stripe) {
      const o = e.data.object;
      if (o.object !== "invoice" && o.object !== "subscription") continue;
      expect(o.currency ?? itemOf(o).price).toBeDefined();
      const cur = o.object === "invoice" ? o.currency : (itemOf(o).price as Obj).currency;
      expect(cur).toBe(currency.get(o.customer as string));
      if (o.object === "invoice")
        for (const k of ["total", "subtotal", "amount_due", "amount_paid"]) expect(Number.isInteger(o[k])).toBe(true);
    }
    expect(new Set(summary.customers.map((c) => c.currency))).toEqual(new Set(["usd", "eur"]));
  });

  it("emits a customer.discount.created before the subscription update that references it", () => {
    const seen = new Set<string>();
    for (const e of stripe) {
      if (e.type === "customer.discount.created") seen.add(e.data.object.id as string);
      if (e.type === "customer.subscription.updated" && e.api_version === CURRENT)
        for (const d of e.data.object.discounts as string[]) expect(seen).toContain(d);
    }
    expect(seen.size).toBeGreaterThan(0);
  });
});

describe("ingest events", () => {
  it("passes ingestEventSchema for every marketing and customer-success event", () => {
    for (const e of ingest) {
      const parsed = ingestEventSchema.safeParse(e);
      expect(parsed.success, `${e.type} ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
    }
  });

  it("covers every ingest type and several visits per signup", () => {
    expect(Object.keys(summary.ingestByType).sort()).toEqual(
      [
        "csat_response",
        "lead",
        "lifecycle_stage",
        "marketing_spend",
        "nps_response",
        "product_activity",
        "signup",
        "ticket_first_response",
        "ticket_opened",
        "ticket_resolved",
        "visit",
      ].sort(),
    );
    expect(summary.ingestByType.visit!).toBeGreaterThan(3 * summary.ingestByType.signup!);
  });

  it("spends only on paid channels, in integer minor units", () => {
    for (const e of ingest)
      if (e.type === "marketing_spend") {
        expect(["google_ads", "linkedin", "facebook_ads"]).toContain(e.channel);
        expect(Number.isInteger(e.amount) && e.amount > 0).toBe(true);
      }
  });

  it("gives lower NPS scores from customers who end canceled than from those still active", () => {
    const status = new Map(summary.customers.map((c) => [c.customerId, c.status]));
    const mean = (s: string) => {
      const scores = ingest.flatMap((e) =>
        e.type === "nps_response" && e.customerId && status.get(e.customerId) === s ? [e.score] : [],
      );
      return scores.reduce((a, b) => a + b, 0) / scores.length;
    };
    expect(mean("canceled")).toBeLessThan(mean("active"));
  });
});

describe("summary", () => {
  it("counts what was emitted, per event type", () => {
    const count = (list: { type: string }[]) =>
      list.reduce<Record<string, number>>((m, e) => ({ ...m, [e.type]: (m[e.type] ?? 0) + 1 }), {});
    expect(summary.stripeByType).toEqual(count(stripe));
    expect(summary.ingestByType).toEqual(count(ingest));
    expect(summary.stripeEvents + summary.ingestEvents).toBe(items.length);
  });

  it("records each subscription's final state as its last emitted event shows it", () => {
    const last = new Map<string, Obj>();
    for (const e of stripe)
      if (e.data.object.object === "subscription") last.set(e.data.object.id as string, e.data.object);
    const subs = summary.customers.flatMap((c) => c.subscriptions);
    expect(subs.length).toBe(last.size);
    for (const s of subs) {
      const o = last.get(s.id)!;
      expect(o.status).toBe(s.status);
      expect(itemOf(o).quantity).toBe(s.items[0]!.quantity);
      expect((itemOf(o).price as Obj).id).toBe(s.items[0]!.priceId);
    }
  });

  it("computes each customer's mrr from its active and past_due subscriptions, before discounts", () => {
    for (const c of summary.customers) {
      const expected = c.subscriptions
        .filter((s) => s.status === "active" || s.status === "past_due")
        .reduce((sum, s) => sum + s.monthlyAmount, 0);
      expect(c.mrr).toBe(expected);
    }
    expect(summary.payingCustomers).toBeGreaterThan(0);
  });

  it("sees trials, renewals, failures, upgrades, coupons, cancellations, refunds and invoice payments in 80 customers", () => {
    for (const type of [
      "customer.subscription.trial_will_end",
      "customer.subscription.deleted",
      "invoice.payment_failed",
      "customer.discount.created",
      "charge.refunded",
      "refund.created",
      "invoice_payment.paid",
    ])
      expect(summary.stripeByType[type], type).toBeGreaterThan(0);
    const statuses = new Set(summary.customers.map((c) => c.status));
    expect(statuses).toContain("active");
    expect(statuses).toContain("canceled");
  });
});

describe("scale", () => {
  it("generates 300 customers × 24 months (time printed, not asserted)", () => {
    const started = performance.now();
    const big = generateBusiness({ seed: "scale", customers: 300, months: 24, endDate: "2026-11-30" });
    let n = 0;
    for (const _ of big) n++;
    const s = big.summary();
    console.info(
      `generate: 300 customers × 24 months → ${s.stripeEvents} Stripe + ${s.ingestEvents} ingest events in ${Math.round(performance.now() - started)} ms`,
    );
    expect(n).toBe(s.stripeEvents + s.ingestEvents);
  });
});
