/**
 * Small builders for hand-written test records. Defaults describe a plain monthly usd per-seat price, so each test
 * states only what its vector is about.
 */
import type { Coupon, Discount, Price, SubscriptionItem, SubscriptionState, SubscriptionVersion } from "../types";

export const DAY = 86_400_000;

/** An instant from an ISO string, e.g. at("2026-06-10T09:00:00Z"). */
export function at(iso: string): number {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) throw new RangeError(iso);
  return t;
}

export function makePrice(over: Partial<Price> = {}): Price {
  return {
    id: "price_test",
    productId: "prod_test",
    currency: "usd",
    type: "recurring",
    interval: "month",
    intervalCount: 1,
    usageType: "licensed",
    billingScheme: "per_unit",
    unitAmountDecimal: "2000",
    tiersMode: null,
    tiers: [],
    transformQuantity: null,
    taxBehavior: "exclusive",
    customUnitAmount: false,
    nickname: null,
    ...over,
  };
}

export function makeItem(price: Partial<Price> = {}, over: Partial<SubscriptionItem> = {}): SubscriptionItem {
  const p = makePrice(price);
  return { id: `si_${p.id}`, price: p, quantity: 1, discounts: [], inclusiveTaxPercents: [], ...over };
}

export function makeCoupon(over: Partial<Coupon> = {}): Coupon {
  return {
    id: "coupon_test",
    percentOff: null,
    amountOff: null,
    currency: null,
    currencyOptions: {},
    duration: "forever",
    durationInMonths: null,
    ...over,
  };
}

export function makeDiscount(coupon: Partial<Coupon>, over: Partial<Discount> = {}): Discount {
  return { id: `di_${coupon.id ?? "test"}`, coupon: makeCoupon(coupon), start: 0, end: null, ...over };
}

export function makeState(over: Partial<SubscriptionState> = {}): SubscriptionState {
  return {
    subscriptionId: "sub_test",
    customerId: "cus_test",
    currency: "usd",
    status: "active",
    items: [makeItem()],
    discounts: [],
    trialStart: null,
    trialEnd: null,
    pauseCollection: null,
    cancelAtPeriodEnd: false,
    cancelAt: null,
    canceledAt: null,
    endedAt: null,
    pastDueSince: null,
    cancellationReason: null,
    ...over,
  };
}

export function makeVersion(
  validFrom: number,
  over: Partial<SubscriptionState> = {},
  eventId: string | null = null,
): SubscriptionVersion {
  return { validFrom, state: makeState(over), eventId };
}
