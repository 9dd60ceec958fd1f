// The event types Northstar projects, and the handler for each. Everything else is stored and answered `ignored`.
import { applyChargeEvent, applyChargeEvents } from "./charge";
import type { BatchHandler, Handler } from "./context";
import { applyCouponEvent } from "./coupon";
import { applyCreditNoteEvent } from "./credit-note";
import { applyCustomerEvent, applyCustomerEvents } from "./customer";
import { applyCustomerDiscountEvent } from "./customer-discount";
import { applySubscriptionEvent, applySubscriptionEvents } from "./customer-subscription";
import { applyInvoiceEvent, applyInvoiceEvents } from "./invoice";
import { applyInvoicePaymentEvent, applyInvoicePaymentEvents } from "./invoice-payment";
import { applyPriceEvent } from "./price";
import { applyProductEvent } from "./product";
import { applyPromotionCodeEvent } from "./promotion-code";
import { applyRefundEvent } from "./refund";
import { applySubscriptionScheduleEvent } from "./subscription-schedule";

const families: [Handler, string[]][] = [
  [applyProductEvent, ["product.created", "product.updated", "product.deleted"]],
  [
    applyPriceEvent,
    ["price.created", "price.updated", "price.deleted", "plan.created", "plan.updated", "plan.deleted"],
  ],
  [applyCouponEvent, ["coupon.created", "coupon.updated", "coupon.deleted"]],
  [applyPromotionCodeEvent, ["promotion_code.created", "promotion_code.updated"]],
  [applyCustomerEvent, ["customer.created", "customer.updated", "customer.deleted"]],
  [applyCustomerDiscountEvent, ["customer.discount.created", "customer.discount.updated", "customer.discount.deleted"]],
  [
    applySubscriptionEvent,
    [
      "customer.subscription.created",
      "customer.subscription.updated",
      "customer.subscription.deleted",
      "customer.subscription.trial_will_end",
      "customer.subscription.paused",
      "customer.subscription.resumed",
      "customer.subscription.pending_update_applied",
      "customer.subscription.pending_update_expired",
    ],
  ],
  [
    applySubscriptionScheduleEvent,
    [
      "subscription_schedule.created",
      "subscription_schedule.updated",
      "subscription_schedule.released",
      "subscription_schedule.canceled",
      "subscription_schedule.completed",
      "subscription_schedule.aborted",
      "subscription_schedule.expiring",
    ],
  ],
  [
    applyInvoiceEvent,
    [
      "invoice.created",
      "invoice.finalized",
      "invoice.updated",
      "invoice.paid",
      "invoice.payment_succeeded",
      "invoice.payment_failed",
      "invoice.voided",
      "invoice.marked_uncollectible",
      "invoice.deleted",
    ],
  ],
  [applyInvoicePaymentEvent, ["invoice_payment.paid"]],
  [applyCreditNoteEvent, ["credit_note.created", "credit_note.updated", "credit_note.voided"]],
  [
    applyChargeEvent,
    [
      "charge.succeeded",
      "charge.failed",
      "charge.captured",
      "charge.refunded",
      "charge.updated",
      "charge.pending",
      "charge.expired",
    ],
  ],
  [applyRefundEvent, ["refund.created", "refund.updated", "refund.failed", "charge.refund.updated"]],
];

/** The webhook event types to enable on the Stripe endpoint (docs/stripe.md lists them). */
export const STRIPE_EVENT_TYPES: readonly string[] = families.flatMap(([, types]) => types);

/** Backfill pseudo-event types (`backfill.<object>`), fed through the same handlers. */
const backfill: Record<string, Handler> = {
  "backfill.product": applyProductEvent,
  "backfill.price": applyPriceEvent,
  "backfill.coupon": applyCouponEvent,
  "backfill.promotion_code": applyPromotionCodeEvent,
  "backfill.customer": applyCustomerEvent,
  "backfill.subscription": applySubscriptionEvent,
  "backfill.subscription_schedule": applySubscriptionScheduleEvent,
  "backfill.invoice": applyInvoiceEvent,
  "backfill.invoice_payment": applyInvoicePaymentEvent,
  "backfill.credit_note": applyCreditNoteEvent,
  "backfill.charge": applyChargeEvent,
  "backfill.refund": applyRefundEvent,
};

const handlers = new Map<string, Handler>([
  ...families.flatMap(([h, types]) => types.map((t) => [t, h] as const)),
  ...Object.entries(backfill),
]);

export function findHandler(type: string): Handler | undefined {
  return handlers.get(type);
}

/** Backfill types whose handler can take a whole page at once; the others go event by event. */
const batches: Record<string, BatchHandler> = {
  "backfill.customer": applyCustomerEvents,
  "backfill.subscription": applySubscriptionEvents,
  "backfill.invoice": applyInvoiceEvents,
  "backfill.invoice_payment": applyInvoicePaymentEvents,
  "backfill.charge": applyChargeEvents,
};

export function findBatchHandler(type: string): BatchHandler | undefined {
  return batches[type];
}
