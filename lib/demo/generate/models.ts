// The simulation's own state of the Stripe objects it renders. Renderers (render-*.ts) turn these into Stripe
// JSON in either API shape; nothing here knows about shapes.
import type { CouponDef, PriceDef } from "./catalog";

/** `v2` = current API (2026-10-28.endive), `v1` = the pre-2025 shape (2020-03-02). */
export type Shape = "v1" | "v2";

export type SubscriptionStatus = "trialing" | "active" | "past_due" | "unpaid" | "canceled";

export type CustomerModel = {
  id: string;
  name: string;
  email: string;
  created: number;
  currency: string | null;
  invoicePrefix: string;
  nextInvoiceSequence: number;
  paymentMethod: string;
  /** Where the customer is (invoices and card checks name it). */
  country: string;
  /** Which customer address carries the country; "none" leaves the customer's country unknown. */
  addressOn: "billing" | "shipping" | "none";
};

export type ItemModel = { id: string; price: PriceDef; quantity: number; created: number };

export type DiscountModel = {
  id: string;
  coupon: CouponDef;
  customer: string;
  subscription: string;
  start: number;
  end: number | null;
};

export type SubscriptionModel = {
  id: string;
  customer: string;
  currency: string;
  status: SubscriptionStatus;
  items: ItemModel[];
  created: number;
  billingCycleAnchor: number;
  periodStart: number;
  periodEnd: number;
  trialStart: number | null;
  trialEnd: number | null;
  cancelAtPeriodEnd: boolean;
  cancelAt: number | null;
  canceledAt: number | null;
  endedAt: number | null;
  cancellation: { reason: string | null; feedback: string | null; comment: string | null };
  discount: DiscountModel | null;
  latestInvoice: string | null;
  paymentMethod: string;
  planKey: string;
};

export type LineModel = {
  id: string;
  amount: number;
  description: string;
  periodStart: number;
  periodEnd: number;
  quantity: number;
  price: PriceDef;
  itemId: string;
  proration: boolean;
  invoiceItem: string | null;
  discountAmount: number;
};

export type InvoiceStatus = "draft" | "open" | "paid" | "uncollectible" | "void";

export type InvoiceModel = {
  id: string;
  number: string | null;
  customer: CustomerModel;
  subscription: SubscriptionModel;
  currency: string;
  billingReason: "subscription_create" | "subscription_cycle" | "subscription_update";
  created: number;
  periodStart: number;
  periodEnd: number;
  lines: LineModel[];
  subtotal: number;
  discount: DiscountModel | null;
  discountTotal: number;
  total: number;
  status: InvoiceStatus;
  attemptCount: number;
  attempted: boolean;
  finalizedAt: number | null;
  paidAt: number | null;
  nextPaymentAttempt: number | null;
  charge: string | null;
  paymentIntent: string | null;
  hostedToken: string;
};

export type RefundModel = { id: string; amount: number; created: number; reason: string; balanceTransaction: string };

export type ChargeModel = {
  id: string;
  amount: number;
  currency: string;
  customer: CustomerModel;
  invoice: string;
  paymentIntent: string;
  paymentMethod: string;
  balanceTransaction: string;
  created: number;
  refunds: RefundModel[];
  receiptToken: string;
};
