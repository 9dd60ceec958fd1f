/**
 * The lifecycle fixture (fixtures/stripe/lifecycle, 24 events) mapped by hand to SubscriptionVersion and invoice
 * records, as the Stripe projection would. Ids, timestamps and amounts are read from the JSON files; which event
 * yields which version, and at which effective time (metrics.md §2.3), is written out below.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { InvoiceRecord } from "../cash";
import type { Coupon, Discount, SubscriptionState, SubscriptionVersion } from "../types";

/* eslint-disable @typescript-eslint/no-explicit-any -- raw Stripe JSON, read only here */
type StripeEvent = { id: string; type: string; created: number; data: { object: any } };

const LIFECYCLE_DIR = path.resolve(import.meta.dirname, "../../../fixtures/stripe/lifecycle");

export function findLifecycleDir(): string {
  if (!existsSync(LIFECYCLE_DIR)) throw new Error(`lifecycle fixtures not found in ${LIFECYCLE_DIR}`);
  return LIFECYCLE_DIR;
}

/** Events keyed by their number in the file name (1–24). */
export function readLifecycleEvents(): Map<number, StripeEvent> {
  const dir = findLifecycleDir();
  const events = new Map<number, StripeEvent>();
  for (const f of readdirSync(dir).filter((name) => /^\d\d_.*\.json$/.test(name))) {
    events.set(Number(f.slice(0, 2)), JSON.parse(readFileSync(path.join(dir, f), "utf8")) as StripeEvent);
  }
  return events;
}

const ms = (unix: number | null | undefined) => (unix === null || unix === undefined ? null : unix * 1000);

function event(events: Map<number, StripeEvent>, n: number): StripeEvent {
  const e = events.get(n);
  if (!e) throw new Error(`lifecycle event ${n} missing`);
  return e;
}

function toCoupon(raw: any): Coupon {
  return {
    id: raw.id,
    percentOff: raw.percent_off === null ? null : String(raw.percent_off),
    amountOff: raw.amount_off,
    currency: raw.currency,
    currencyOptions: {},
    duration: raw.duration,
    durationInMonths: raw.duration_in_months,
  };
}

function toState(sub: any, discounts: Map<string, Discount>): SubscriptionState {
  return {
    subscriptionId: sub.id,
    customerId: sub.customer,
    currency: sub.currency,
    status: sub.status,
    items: sub.items.data.map((it: any) => ({
      id: it.id,
      quantity: it.quantity,
      discounts: [],
      inclusiveTaxPercents: [],
      price: {
        id: it.price.id,
        productId: it.price.product,
        currency: it.price.currency,
        type: it.price.type,
        interval: it.price.recurring.interval,
        intervalCount: it.price.recurring.interval_count,
        usageType: it.price.recurring.meter ? "metered" : it.price.recurring.usage_type,
        billingScheme: it.price.billing_scheme,
        unitAmountDecimal: it.price.unit_amount_decimal,
        tiersMode: it.price.tiers_mode,
        tiers: [],
        transformQuantity: it.price.transform_quantity,
        taxBehavior: it.price.tax_behavior,
        customUnitAmount: it.price.custom_unit_amount !== null,
        nickname: it.price.nickname,
      },
    })),
    discounts: (sub.discounts as string[]).map((id) => {
      const d = discounts.get(id);
      if (!d) throw new Error(`discount ${id} unknown`);
      return d;
    }),
    trialStart: ms(sub.trial_start),
    trialEnd: ms(sub.trial_end),
    pauseCollection: sub.pause_collection
      ? { behavior: sub.pause_collection.behavior, resumesAt: ms(sub.pause_collection.resumes_at) }
      : null,
    cancelAtPeriodEnd: sub.cancel_at_period_end,
    cancelAt: ms(sub.cancel_at),
    canceledAt: ms(sub.canceled_at),
    endedAt: ms(sub.ended_at),
    pastDueSince: null,
    cancellationReason: sub.cancellation_details?.reason ?? null,
  };
}

export type Lifecycle = {
  customerId: string;
  versions: SubscriptionVersion[];
  invoices: InvoiceRecord[];
  events: Map<number, StripeEvent>;
};

/**
 * Subscription events → versions. Effective times (§2.3): 08 at trial_start, 11 at trial_end, 17 at the discount's
 * start, 20 (→ past_due) at its created with pastDueSince = created, 24 at ended_at, the others at created.
 * Event 10 (trial_will_end) changes nothing and makes no version.
 */
export function buildLifecycle(): Lifecycle {
  const events = readLifecycleEvents();
  const coupon = toCoupon(event(events, 6).data.object);
  const rawDiscount = event(events, 16).data.object;
  const discounts = new Map<string, Discount>([
    [rawDiscount.id, { id: rawDiscount.id, coupon, start: rawDiscount.start * 1000, end: ms(rawDiscount.end) }],
  ]);
  const effective: Record<number, (e: StripeEvent) => number> = {
    8: (e) => e.data.object.trial_start * 1000,
    11: (e) => e.data.object.trial_end * 1000,
    17: () => rawDiscount.start * 1000,
    24: (e) => e.data.object.ended_at * 1000,
  };
  const versions = [8, 11, 15, 17, 18, 20, 22, 23, 24].map((n) => {
    const e = event(events, n);
    const validFrom = (effective[n] ?? ((x: StripeEvent) => x.created * 1000))(e);
    const state = toState(e.data.object, discounts);
    if (state.status === "past_due") state.pastDueSince = e.created * 1000;
    return { validFrom, state, eventId: e.id };
  });

  // Invoices: the last event of each invoice gives its final state; the payment_failed event gives the first failure.
  const invoices = new Map<string, InvoiceRecord>();
  for (const n of [9, 12, 13, 14, 19, 21]) {
    const e = event(events, n);
    const o = e.data.object;
    const prev = invoices.get(o.id);
    invoices.set(o.id, {
      id: o.id,
      customerId: o.customer,
      currency: o.currency,
      status: o.status,
      amountDue: o.amount_due,
      amountPaid: o.amount_paid,
      paidAt: ms(o.status_transitions.paid_at),
      firstFailedAt: prev?.firstFailedAt ?? (e.type === "invoice.payment_failed" ? e.created * 1000 : null),
      amountDueAtFirstFailure:
        prev?.amountDueAtFirstFailure ?? (e.type === "invoice.payment_failed" ? o.amount_due : null),
    });
  }
  return { customerId: event(events, 7).data.object.id, versions, invoices: [...invoices.values()], events };
}
