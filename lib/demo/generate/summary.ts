// What a generated history adds up to: event counts, and the final state of every Stripe customer and
// subscription as the simulation left it, so tests can compare the projection with it.
import type { IngestEventInput } from "@/lib/ingest/schemas";
import type { Interval } from "./catalog";
import type { StripeEventEnvelope } from "./envelope";
import type { Shape, SubscriptionModel, SubscriptionStatus } from "./models";

export type GeneratedItem =
  { kind: "stripe"; event: StripeEventEnvelope } | { kind: "ingest"; event: IngestEventInput };

/** An item with its instant (Unix seconds) and what it settles in the summary once it is emitted. */
export type Timed = { at: number; item: GeneratedItem; commit?: (tally: Tally) => void };

export type ExpectedItem = { id: string; priceId: string; quantity: number; unitAmount: number; interval: Interval };

export type ExpectedSubscription = {
  id: string;
  customerId: string;
  status: SubscriptionStatus;
  currency: string;
  cancelAtPeriodEnd: boolean;
  items: ExpectedItem[];
  /** The coupon of the subscription's discount at the end, if any (discounts are not in `monthlyAmount`). */
  discountCouponId: string | null;
  /** Σ unit amount × quantity per month (a yearly price ÷ 12, rounded half up), before discounts. */
  monthlyAmount: number;
};

export type CustomerFinalStatus = SubscriptionStatus | "none";

export type ExpectedCustomer = {
  customerId: string;
  email: string;
  currency: string;
  shape: Shape;
  /** The country the projection should hold (ISO 3166-1 alpha-2), or null when the customer gives no address. */
  country: string | null;
  /** The best status among its subscriptions: active, past_due, trialing, unpaid, canceled; none without one. */
  status: CustomerFinalStatus;
  /** Monthly amount before discounts of its active and past_due subscriptions (default policies). */
  mrr: number;
  subscriptions: ExpectedSubscription[];
};

export type BusinessSummary = {
  seed: string;
  startDate: string;
  endDate: string;
  stripeEvents: number;
  ingestEvents: number;
  stripeByType: Record<string, number>;
  ingestByType: Record<string, number>;
  byApiVersion: Record<string, number>;
  customers: ExpectedCustomer[];
  /** Σ customer mrr per currency (minor units), before discounts. */
  mrrByCurrency: Record<string, number>;
  payingCustomers: number;
  trialingCustomers: number;
};

const monthlyOf = (unitAmount: number, quantity: number, interval: Interval) =>
  interval === "month" ? unitAmount * quantity : Math.round((unitAmount * quantity) / 12);

export function expectedSubscription(s: SubscriptionModel): ExpectedSubscription {
  const items = s.items.map((i) => ({
    id: i.id,
    priceId: i.price.id,
    quantity: i.quantity,
    unitAmount: i.price.unitAmount,
    interval: i.price.interval,
  }));
  return {
    id: s.id,
    customerId: s.customer,
    status: s.status,
    currency: s.currency,
    cancelAtPeriodEnd: s.cancelAtPeriodEnd,
    items,
    discountCouponId: s.discount?.coupon.id ?? null,
    monthlyAmount: items.reduce((sum, i) => sum + monthlyOf(i.unitAmount, i.quantity, i.interval), 0),
  };
}

const RANK: CustomerFinalStatus[] = ["active", "past_due", "trialing", "unpaid", "canceled", "none"];

/** Counts and final states, filled as items are emitted (so a consumer that stops early gets what it saw). */
export class Tally {
  stripeEvents = 0;
  ingestEvents = 0;
  readonly stripeByType: Record<string, number> = {};
  readonly ingestByType: Record<string, number> = {};
  readonly byApiVersion: Record<string, number> = {};
  private readonly customers = new Map<
    string,
    {
      index: number;
      email: string;
      currency: string;
      shape: Shape;
      country: string | null;
      subs: Map<string, ExpectedSubscription>;
    }
  >();

  count(item: GeneratedItem) {
    if (item.kind === "stripe") {
      this.stripeEvents++;
      this.stripeByType[item.event.type] = (this.stripeByType[item.event.type] ?? 0) + 1;
      this.byApiVersion[item.event.api_version] = (this.byApiVersion[item.event.api_version] ?? 0) + 1;
    } else {
      this.ingestEvents++;
      this.ingestByType[item.event.type] = (this.ingestByType[item.event.type] ?? 0) + 1;
    }
  }

  customer(id: string, index: number, email: string, currency: string, shape: Shape, at: { country: string | null }) {
    this.customers.set(id, { index, email, currency, shape, country: at.country, subs: new Map() });
  }

  subscription(sub: ExpectedSubscription) {
    this.customers.get(sub.customerId)?.subs.set(sub.id, sub);
  }

  summary(base: { seed: string; startDate: string; endDate: string }): BusinessSummary {
    const customers: ExpectedCustomer[] = [...this.customers.entries()]
      .sort((a, b) => a[1].index - b[1].index)
      .map(([customerId, c]) => {
        const subscriptions = [...c.subs.values()];
        const status = RANK.find((s) => s === "none" || subscriptions.some((x) => x.status === s)) ?? "none";
        const mrr = subscriptions
          .filter((s) => s.status === "active" || s.status === "past_due")
          .reduce((sum, s) => sum + s.monthlyAmount, 0);
        return {
          customerId,
          email: c.email,
          currency: c.currency,
          shape: c.shape,
          country: c.country,
          status,
          mrr,
          subscriptions,
        };
      });
    const mrrByCurrency: Record<string, number> = {};
    for (const c of customers) if (c.mrr > 0) mrrByCurrency[c.currency] = (mrrByCurrency[c.currency] ?? 0) + c.mrr;
    return {
      ...base,
      stripeEvents: this.stripeEvents,
      ingestEvents: this.ingestEvents,
      stripeByType: { ...this.stripeByType },
      ingestByType: { ...this.ingestByType },
      byApiVersion: { ...this.byApiVersion },
      customers,
      mrrByCurrency,
      payingCustomers: customers.filter((c) => c.mrr > 0).length,
      trialingCustomers: customers.filter((c) => c.mrr === 0 && c.subscriptions.some((s) => s.status === "trialing"))
        .length,
    };
  }
}
