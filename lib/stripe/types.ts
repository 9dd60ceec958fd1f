// Northstar's own shapes for the Stripe objects we project. Normalizers (lib/stripe/normalize) map Stripe's
// payloads, in any API version, onto these; nothing outside lib/stripe sees a `Stripe.*` type.
import type { Coupon, Instant, Price, SubscriptionState, SubscriptionStatus } from "@/lib/metrics/types";

export type { Coupon, Price };

/** A discount as Stripe sends it: the coupon inline (old shape, or expanded `source.coupon`) or only its id. */
export type DiscountRecord = {
  id: string;
  couponId: string;
  coupon: Coupon | null;
  customerId: string | null;
  subscriptionId: string | null;
  subscriptionItemId: string | null;
  promotionCodeId: string | null;
  start: Instant;
  end: Instant | null;
};

/** A discount reference on a subscription or item: an id to resolve from projected discounts, or the object. */
export type DiscountRef = { id: string } | { id: string; inline: DiscountRecord };

export type SubscriptionItemRecord = {
  id: string;
  price: Price;
  quantity: number;
  discounts: DiscountRef[];
  inclusiveTaxPercents: string[];
  currentPeriodStart: Instant | null;
  currentPeriodEnd: Instant | null;
};

/**
 * A subscription normalized from either API shape, before its discount ids are resolved into `Discount`s.
 * `shape` records which normalizer produced it (v1 = pre-2025-03-31).
 */
export type SubscriptionRecord = {
  shape: "v1" | "v2";
  id: string;
  customerId: string;
  currency: string;
  status: SubscriptionStatus;
  items: SubscriptionItemRecord[];
  discounts: DiscountRef[];
  /** v1 only: with no subscription `discount`, the customer's discount applies (metrics.md N6). */
  useCustomerDiscount: boolean;
  trialStart: Instant | null;
  trialEnd: Instant | null;
  pauseCollection: SubscriptionState["pauseCollection"];
  cancelAtPeriodEnd: boolean;
  cancelAt: Instant | null;
  canceledAt: Instant | null;
  endedAt: Instant | null;
  cancellationReason: string | null;
  created: Instant;
  startDate: Instant | null;
  currentPeriodStart: Instant | null;
  currentPeriodEnd: Instant | null;
  latestInvoiceId: string | null;
  scheduleId: string | null;
};

export type CustomerRecord = {
  id: string;
  email: string | null;
  name: string | null;
  currency: string | null;
  created: Instant | null;
  delinquent: boolean;
  /** The customer's own discount (pre-2025 shape, N6), inline when Stripe sent it. */
  discount: DiscountRecord | null;
  deleted: boolean;
};

export type ProductRecord = {
  id: string;
  name: string | null;
  active: boolean;
  created: Instant | null;
  deleted: boolean;
};

export type PromotionCodeRecord = {
  id: string;
  code: string;
  couponId: string | null;
  active: boolean;
  created: Instant | null;
};

export type InvoiceLineRecord = {
  id: string;
  amount: number;
  currency: string;
  subscriptionId: string | null;
  subscriptionItemId: string | null;
  priceId: string | null;
  quantity: number | null;
  proration: boolean;
  periodStart: Instant | null;
  periodEnd: Instant | null;
  discountAmount: number;
};

export type InvoiceStatus = "draft" | "open" | "paid" | "uncollectible" | "void";

export type InvoiceRecord = {
  shape: "v1" | "v2";
  id: string;
  customerId: string;
  subscriptionId: string | null;
  status: InvoiceStatus | null;
  currency: string;
  amountDue: number;
  amountPaid: number;
  amountRemaining: number;
  subtotal: number;
  total: number;
  attemptCount: number;
  billingReason: string | null;
  created: Instant;
  periodStart: Instant | null;
  periodEnd: Instant | null;
  finalizedAt: Instant | null;
  paidAt: Instant | null;
  voidedAt: Instant | null;
  markedUncollectibleAt: Instant | null;
  /** Null when the payload's `lines` list is absent or truncated (`has_more`): the stored lines are kept then. */
  lines: InvoiceLineRecord[] | null;
};

export type CreditNoteRecord = {
  id: string;
  invoiceId: string | null;
  customerId: string | null;
  status: string;
  currency: string;
  amount: number;
  total: number;
  created: Instant;
  voidedAt: Instant | null;
};

export type RefundRecord = {
  id: string;
  chargeId: string | null;
  amount: number;
  currency: string;
  status: string | null;
  created: Instant;
};

export type ChargeRecord = {
  id: string;
  customerId: string | null;
  /** Pre-2025-03-31 only; later charges are linked to invoices through invoice payments. */
  invoiceId: string | null;
  paymentIntentId: string | null;
  amount: number;
  amountCaptured: number;
  amountRefunded: number;
  currency: string;
  status: string;
  paid: boolean;
  refunded: boolean;
  created: Instant;
  refunds: RefundRecord[];
};

/**
 * One payment of an invoice (2025-03-31+): the link from an invoice to the payment intent, or to the charge when the
 * charge has no payment intent, that paid it.
 */
export type InvoicePaymentRecord = {
  id: string;
  invoiceId: string;
  status: string;
  amountPaid: number | null;
  amountRequested: number;
  currency: string;
  isDefault: boolean;
  chargeId: string | null;
  paymentIntentId: string | null;
  created: Instant;
  paidAt: Instant | null;
  canceledAt: Instant | null;
};

export type SchedulePhaseRecord = {
  start: Instant;
  end: Instant | null;
  currency: string | null;
  items: { priceId: string; quantity: number; discountIds: string[] }[];
  discountIds: string[];
};

export type SubscriptionScheduleRecord = {
  id: string;
  customerId: string;
  subscriptionId: string | null;
  status: "not_started" | "active" | "completed" | "released" | "canceled";
  endBehavior: "release" | "cancel" | "none" | "renew";
  phases: SchedulePhaseRecord[];
  created: Instant;
  canceledAt: Instant | null;
  completedAt: Instant | null;
  releasedAt: Instant | null;
};

/** What a normalizer returns: our record, or the reason it refused the payload (stored with the event). */
export type Normalized<T> = { ok: true; value: T } | { ok: false; reason: string };
