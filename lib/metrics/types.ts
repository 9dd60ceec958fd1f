/**
 * The records the KPI engine reads. They are Northstar's own shapes: the Stripe projection (lib/stripe) maps
 * Stripe objects onto them, and nothing here knows Stripe's API versions.
 *
 * Conventions: money is integer minor units with a lowercase ISO 4217 `currency`; decimal amounts that Stripe
 * sends as strings (`unit_amount_decimal`, `percent_off`) stay strings so no float ever touches them; an
 * `Instant` is epoch milliseconds (UTC); a `Day` is `YYYY-MM-DD` in the workspace's time zone.
 */

export type Instant = number;
export type Day = string;

export type PriceTier = {
  /** Inclusive upper bound of the tier in units; null for the last ("inf") tier. */
  upTo: number | null;
  /** Per-unit amount in minor units as a decimal string, e.g. "800" or "0.5"; null when the tier has none. */
  unitAmountDecimal: string | null;
  flatAmount: number | null;
};

export type Price = {
  id: string;
  productId: string | null;
  currency: string;
  /** `one_time` prices never count in MRR (N13). */
  type: "recurring" | "one_time";
  interval: "day" | "week" | "month" | "year";
  intervalCount: number;
  /** `metered` covers Stripe's `usage_type: metered` and prices with `recurring.meter` set (N4). */
  usageType: "licensed" | "metered";
  billingScheme: "per_unit" | "tiered";
  /** Minor units per unit as a decimal string (Stripe's `unit_amount_decimal`, else `unit_amount`). */
  unitAmountDecimal: string | null;
  tiersMode: "graduated" | "volume" | null;
  tiers: PriceTier[];
  transformQuantity: { divideBy: number; round: "up" | "down" } | null;
  taxBehavior: "exclusive" | "inclusive" | "unspecified";
  /** Pay-what-you-want prices (`custom_unit_amount`) are one-time by nature (N13). */
  customUnitAmount: boolean;
  nickname: string | null;
};

export type Coupon = {
  id: string;
  /** Decimal string, e.g. "25" or "12.5"; null when the coupon is an amount off. */
  percentOff: string | null;
  amountOff: number | null;
  currency: string | null;
  /** Stripe's `currency_options[cur].amount_off`. */
  currencyOptions: Record<string, number>;
  duration: "once" | "repeating" | "forever";
  durationInMonths: number | null;
};

export type Discount = {
  id: string;
  coupon: Coupon;
  /** When the discount starts to apply (`discount.start`). */
  start: Instant;
  /** When it stops (`discount.end`); null for forever discounts. */
  end: Instant | null;
};

export type SubscriptionItem = {
  id: string;
  price: Price;
  quantity: number;
  /** Item-level discounts, in Stripe's array order (N6). */
  discounts: Discount[];
  /** Percentages (decimal strings) of the inclusive tax rates on the item or subscription (N12). */
  inclusiveTaxPercents: string[];
  /**
   * For inclusive prices taxed by Stripe Tax (no tax rates): the item's latest finalized invoice line, whose
   * `amountExcludingTax ÷ amount` removes the tax (N12). Optional; absent means unknown.
   */
  latestInvoiceLine?: { amount: number; amountExcludingTax: number } | null;
};

export type SubscriptionStatus =
  "trialing" | "active" | "past_due" | "unpaid" | "canceled" | "incomplete" | "incomplete_expired" | "paused";

/** A subscription's billing state as it was during one stretch of time. */
export type SubscriptionState = {
  subscriptionId: string;
  customerId: string;
  currency: string;
  status: SubscriptionStatus;
  items: SubscriptionItem[];
  /**
   * Subscription-level discounts in array order. For the pre-2025 shape this is the subscription's `discount`,
   * or else the customer's `discount` (N6); the projection resolves that.
   */
  discounts: Discount[];
  trialStart: Instant | null;
  trialEnd: Instant | null;
  /** `pause_collection` on an active subscription (N10). */
  pauseCollection: { behavior: string; resumesAt: Instant | null } | null;
  cancelAtPeriodEnd: boolean;
  cancelAt: Instant | null;
  canceledAt: Instant | null;
  endedAt: Instant | null;
  /** The instant the subscription entered past_due (for `pastDue: "churnAfterDays"`); null when not past_due. */
  pastDueSince: Instant | null;
  /** `cancellation_details.reason`, e.g. "payment_failed" (involuntary churn). */
  cancellationReason: string | null;
};

/**
 * One entry of a subscription's history: `state` held from `validFrom` (inclusive) until the next version's
 * `validFrom`. `validFrom` is the change's effective time (metrics.md §2.3), and `eventId` the Stripe event that
 * produced it, so every MRR change can be traced to its cause.
 */
export type SubscriptionVersion = {
  validFrom: Instant;
  state: SubscriptionState;
  eventId: string | null;
};

/** A scheduled future phase (subscription schedules), used only by committed MRR. */
export type SchedulePhase = {
  scheduleId: string;
  customerId: string;
  subscriptionId: string | null;
  status: "not_started" | "active" | "completed" | "released" | "canceled";
  endBehavior: "release" | "cancel" | "none" | "renew";
  /** The last phase's items and discounts, evaluated like a subscription. */
  lastPhase: { currency: string; items: SubscriptionItem[]; discounts: Discount[]; start: Instant } | null;
};

/** One FX rate: 1 major unit of `currency` = `rate` major units of the reporting currency, from `rateDate`. */
export type FxRate = { currency: string; rateDate: Day; rate: string };
