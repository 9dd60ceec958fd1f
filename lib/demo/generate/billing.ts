// One paying account's Stripe history, rendered lazily in time order from its plan (plan.ts): the customer, each
// subscription's trial, renewals with their invoices, failed payments and retries, plan and seat changes with
// prorations, coupons, refunds and cancellations. Events that fall after the horizon are never rendered.
import { findPrice, type CouponDef, type PriceDef, type ProductDef } from "./catalog";
import { COMMENTS, drawChanges, FEEDBACK, type Change } from "./changes";
import { StripeEmitter } from "./emitter";
import { buildEvent, previousAttributes } from "./envelope";
import type { ChargeModel, CustomerModel, DiscountModel, InvoiceModel, LineModel, SubscriptionModel } from "./models";
import type { AccountProfile } from "./account";
import { draftInvoice, newCharge, prorationLines } from "./invoices";
import { boundary, FINALIZE_DELAY, FIRST_RETRY, PAST_DUE_FINAL, type Episode } from "./plan";
import type { Rng } from "./random";
import { renderCharge, renderInvoicePayment, renderRefund } from "./render-charge";
import { renderCustomer, renderDiscount, renderSubscription } from "./render-subscription";
import { addMonths, DAY, HOUR } from "./time";

export type BillingContext = {
  endAt: number;
  prices: readonly PriceDef[];
  coupons: readonly CouponDef[];
  products: readonly ProductDef[];
};

export class BillingStory extends StripeEmitter {
  private readonly customer: CustomerModel;
  /** Only the latest payment can be refunded here, so only it is kept (memory stays flat over long histories). */
  private lastCharge: ChargeModel | null = null;
  private pendingProrations: LineModel[] = [];

  constructor(
    private readonly ctx: BillingContext,
    private readonly account: AccountProfile,
    rng: Rng,
  ) {
    super(rng, account.entry.shape, ctx.endAt);
    this.customer = {
      id: account.customerId!,
      name: account.companyName,
      email: account.billingEmail,
      created: account.customerAt,
      currency: null,
      invoicePrefix: rng.base62(8).toUpperCase(),
      nextInvoiceSequence: 1,
      paymentMethod: rng.id("pm", 24),
      country: account.country,
      addressOn: account.addressOn,
    };
  }

  // ---- the story ---------------------------------------------------------------------------------------------

  protected *steps(): Generator<void> {
    const { account } = this;
    const customerObject = renderCustomer(this.customer, this.shape);
    this.queue.push({
      at: account.customerAt,
      item: {
        kind: "stripe",
        event: buildEvent({
          rng: this.rng,
          shape: this.shape,
          type: "customer.created",
          created: account.customerAt,
          object: customerObject,
          origin: "api",
        }),
      },
      commit: (tally) =>
        tally.customer(this.customer.id, account.entry.index, this.customer.email, account.entry.currency, this.shape, {
          country: this.customer.addressOn === "none" ? null : this.customer.country,
        }),
    });
    this.clock = account.customerAt;
    yield;
    for (const ep of account.episodes) {
      if (ep.start > this.ctx.endAt) return;
      yield* this.episode(ep);
    }
  }

  private newSubscription(ep: Episode): SubscriptionModel {
    const price = findPrice(this.ctx.prices, ep.planKey, this.account.entry.currency, ep.interval);
    const trial = ep.trialDays > 0;
    this.customer.currency = price.currency;
    return {
      id: this.rng.id("sub", 24),
      customer: this.customer.id,
      currency: price.currency,
      status: trial ? "trialing" : "active",
      items: [{ id: this.rng.id("si", 14), price, quantity: ep.quantity, created: ep.start }],
      created: ep.start,
      billingCycleAnchor: ep.anchor,
      periodStart: ep.start,
      periodEnd: trial ? ep.anchor : boundary(ep, 1),
      trialStart: trial ? ep.start : null,
      trialEnd: trial ? ep.anchor : null,
      cancelAtPeriodEnd: false,
      cancelAt: null,
      canceledAt: null,
      endedAt: null,
      cancellation: { reason: null, feedback: null, comment: null },
      discount: null,
      latestInvoice: null,
      paymentMethod: this.customer.paymentMethod,
      planKey: ep.planKey,
    };
  }

  private *episode(ep: Episode): Generator<void> {
    this.pendingProrations = [];
    const sub = this.newSubscription(ep);
    const trial = ep.trialDays > 0;
    const first = this.newInvoice(sub, "subscription_create", ep.start, ep.start, ep.start, trial);
    sub.latestInvoice = first.id;
    this.subEvent("customer.subscription.created", ep.start, sub, null, "api");
    this.invoiceEvent("invoice.created", ep.start + 1, first);
    this.pay(first, ep.start + 1, undefined, sub);
    yield;

    if (trial) {
      if (ep.trialCancelAt !== null) {
        this.requestCancel(sub, ep.trialCancelAt);
        yield;
      }
      const willEnd = ep.anchor - 3 * DAY;
      if (willEnd > this.clock) {
        this.subEvent("customer.subscription.trial_will_end", willEnd, sub, null, "auto");
        yield;
      }
      if (!ep.trialConverts) {
        this.end(sub, ep.anchor, "auto", sub.cancelAtPeriodEnd ? "cancellation_requested" : null);
        return;
      }
      if (!(yield* this.renew(sub, ep, 0))) return;
    }

    for (let k = 1; ; k++) {
      // Changes during the period [boundary k-1, boundary k), after the renewal has settled.
      const periodStart = sub.periodStart;
      const periodEnd = sub.periodEnd;
      const request = ep.cancelRequest && ep.cancelRequest.at < periodEnd ? ep.cancelRequest : null;
      const until = request ? request.at : periodEnd;
      for (const change of drawChanges(
        this.rng,
        this.ctx.coupons,
        sub,
        Math.max(this.clock, periodStart) + 2 * HOUR,
        until - HOUR,
      )) {
        this.apply(sub, change);
        yield;
      }
      if (request) {
        if (request.mode === "immediate") {
          this.end(sub, request.at, "api", "cancellation_requested");
          this.refundUnused(sub, request.at + 5);
          return;
        }
        this.requestCancel(sub, request.at);
        yield;
        this.end(sub, periodEnd, "auto", "cancellation_requested");
        return;
      }
      if (!(yield* this.renew(sub, ep, k))) return;
    }
  }

  // ---- invoices and payments ------------------------------------------------------------------------------------

  private newInvoice(
    sub: SubscriptionModel,
    reason: InvoiceModel["billingReason"],
    created: number,
    periodStart: number,
    periodEnd: number,
    trial = false,
  ): InvoiceModel {
    const inv = draftInvoice(this.rng, this.ctx.products, {
      customer: this.customer,
      sub,
      reason,
      created,
      periodStart,
      periodEnd,
      prorations: this.pendingProrations,
      trial,
    });
    this.pendingProrations = [];
    return inv;
  }

  private finalize(inv: InvoiceModel, at: number) {
    inv.status = "open";
    inv.finalizedAt = at;
    inv.number = `${this.customer.invoicePrefix}-${String(this.customer.nextInvoiceSequence++).padStart(4, "0")}`;
    inv.paymentIntent = inv.total > 0 ? this.rng.id("pi", 24) : null;
    inv.nextPaymentAttempt = inv.total > 0 ? at : null;
    this.invoiceEvent("invoice.finalized", at, inv);
  }

  private markPaid(inv: InvoiceModel, at: number) {
    inv.status = "paid";
    inv.paidAt = at;
    inv.attempted = true;
    inv.nextPaymentAttempt = null;
    if (inv.total > 0) {
      inv.attemptCount++;
      const charge = newCharge(this.rng, inv, this.customer, at);
      inv.charge = charge.id;
      this.lastCharge = charge;
      // From 2025-03-31 the charge names no invoice: invoice_payment.paid links its payment intent to the invoice,
      // so cash collected counts the payment once when the charge arrives too (charge.refunded). Its ids come from
      // a stream of its own: the rest of the story draws exactly what it drew before.
      if (this.shape === "v2") {
        const rng = this.rng.fork(`invoice_payment:${inv.id}`);
        const payment = renderInvoicePayment(charge, rng.id("inpay", 24), at);
        this.emit("invoice_payment.paid", at, payment, "auto", { rng });
      }
    }
    this.invoiceEvent("invoice.paid", at, inv);
  }

  private fail(inv: InvoiceModel, at: number, nextAttempt: number | null) {
    inv.attemptCount++;
    inv.attempted = true;
    inv.nextPaymentAttempt = nextAttempt;
    this.invoiceEvent("invoice.payment_failed", at, inv);
  }

  /**
   * Finalizes and charges an invoice. Returns false when the subscription ended over it (unpaid or canceled after
   * the last retry). Retries follow Smart Retries' simplest schedule: 3 days, then 5 more.
   */
  private pay(
    inv: InvoiceModel,
    finalizeAt: number,
    outcome: "recover" | "unpaid" | "cancel" | undefined,
    sub: SubscriptionModel,
  ): boolean {
    this.finalize(inv, finalizeAt);
    if (inv.total <= 0) {
      this.markPaid(inv, finalizeAt);
      return true;
    }
    if (!outcome) {
      this.markPaid(inv, finalizeAt + this.rng.int(20, 240));
      return true;
    }
    const retry = finalizeAt + FIRST_RETRY;
    const last = finalizeAt + PAST_DUE_FINAL;
    this.fail(inv, finalizeAt + 1, retry);
    this.setStatus(sub, "past_due", finalizeAt + 2);
    if (outcome === "recover") {
      // Paid on the retry: invoice.paid and the subscription's return to active in the same second.
      this.markPaid(inv, retry);
      this.setStatus(sub, "active", retry);
      return true;
    }
    this.fail(inv, retry, last);
    this.fail(inv, last, null);
    if (outcome === "unpaid") this.setStatus(sub, "unpaid", last);
    else this.end(sub, last, "auto", "payment_failed");
    return false;
  }

  private setStatus(sub: SubscriptionModel, status: SubscriptionModel["status"], at: number) {
    const before = renderSubscription(sub, this.shape);
    sub.status = status;
    this.subEvent("customer.subscription.updated", at, sub, before, "auto");
  }

  /** The period rolls over at boundary k: the subscription moves on, a new invoice is drafted, then charged. */
  private *renew(sub: SubscriptionModel, ep: Episode, k: number): Generator<void, boolean> {
    const at = boundary(ep, k);
    const discount = sub.discount;
    if (discount && discount.end !== null && discount.end <= at) {
      sub.discount = null;
      this.emit("customer.discount.deleted", at, renderDiscount(discount, this.shape), "auto");
    }
    const before = renderSubscription(sub, this.shape);
    const previousStart = sub.periodStart;
    sub.periodStart = at;
    sub.periodEnd = boundary(ep, k + 1);
    if (sub.status === "trialing") sub.status = "active";
    const inv = this.newInvoice(sub, "subscription_cycle", at, previousStart, at);
    sub.latestInvoice = inv.id;
    this.subEvent("customer.subscription.updated", at, sub, before, "auto");
    this.invoiceEvent("invoice.created", at, inv);
    yield;
    const ok = this.pay(inv, at + FINALIZE_DELAY, k > 0 ? ep.failures.get(k) : undefined, sub);
    if (ok && sub.discount && sub.discount.coupon.duration === "once" && inv.discount) {
      // A once coupon is used up by the invoice it discounted.
      this.removeDiscount(sub, this.clock + 1);
    }
    yield;
    return ok;
  }

  // ---- changes --------------------------------------------------------------------------------------------------

  private apply(sub: SubscriptionModel, change: Change) {
    if (change.kind === "refund") return this.refundGoodwill(change.at);
    if (change.kind === "coupon") return this.addDiscount(sub, change.coupon, change.at);
    const item = sub.items[0]!;
    const before = renderSubscription(sub, this.shape);
    const oldPrice = item.price;
    const oldQuantity = item.quantity;
    const price =
      change.kind === "plan" ? findPrice(this.ctx.prices, change.planKey, sub.currency, oldPrice.interval) : oldPrice;
    item.price = price;
    item.quantity = change.quantity;
    if (change.kind === "plan") sub.planKey = change.planKey;
    this.pendingProrations.push(...prorationLines(this.rng, this.ctx.products, sub, oldPrice, oldQuantity, change.at));
    this.subEvent("customer.subscription.updated", change.at, sub, before, "api");
  }

  private addDiscount(sub: SubscriptionModel, coupon: CouponDef, at: number) {
    const discount: DiscountModel = {
      id: this.rng.id("di", 24),
      coupon,
      customer: this.customer.id,
      subscription: sub.id,
      start: at,
      end: coupon.duration === "repeating" ? addMonths(at, coupon.durationInMonths ?? 1) : null,
    };
    this.emit("customer.discount.created", at, renderDiscount(discount, this.shape), "api");
    const before = renderSubscription(sub, this.shape);
    sub.discount = discount;
    this.subEvent("customer.subscription.updated", at, sub, before, "api");
  }

  private removeDiscount(sub: SubscriptionModel, at: number) {
    const discount = sub.discount!;
    this.emit("customer.discount.deleted", at, renderDiscount(discount, this.shape), "auto");
    const before = renderSubscription(sub, this.shape);
    sub.discount = null;
    this.subEvent("customer.subscription.updated", at, sub, before, "auto");
  }

  private requestCancel(sub: SubscriptionModel, at: number) {
    const before = renderSubscription(sub, this.shape);
    const feedback = this.rng.pick(FEEDBACK);
    sub.cancelAtPeriodEnd = true;
    sub.cancelAt = sub.periodEnd;
    sub.canceledAt = at;
    sub.cancellation = { reason: "cancellation_requested", feedback, comment: COMMENTS[feedback] };
    this.subEvent("customer.subscription.updated", at, sub, before, "api");
  }

  private end(sub: SubscriptionModel, at: number, origin: "api" | "auto", reason: string | null) {
    sub.status = "canceled";
    sub.endedAt = at;
    sub.canceledAt ??= at;
    if (reason && !sub.cancellation.reason) {
      const feedback = reason === "payment_failed" ? null : this.rng.pick(FEEDBACK);
      sub.cancellation = { reason, feedback, comment: feedback ? COMMENTS[feedback] : null };
    }
    this.subEvent("customer.subscription.deleted", at, sub, null, origin);
  }

  // ---- refunds --------------------------------------------------------------------------------------------------

  private refund(charge: ChargeModel, amount: number, at: number, reason: string) {
    const refundable = charge.amount - charge.refunds.reduce((s, r) => s + r.amount, 0);
    const value = Math.min(amount, refundable);
    if (value <= 0) return;
    const before = renderCharge(charge, this.shape);
    const refund = {
      id: this.rng.id("re", 24),
      amount: value,
      created: at,
      reason,
      balanceTransaction: this.rng.id("txn", 24),
    };
    charge.refunds.push(refund);
    const after = renderCharge(charge, this.shape);
    this.emit("charge.refunded", at, after, "api", { previous: previousAttributes(before, after) });
    this.emit("refund.created", at, renderRefund(refund, charge, this.shape), "api");
  }

  /** A partial goodwill refund of the latest payment (an outage credit, a billing mistake). */
  private refundGoodwill(at: number) {
    const charge = this.lastCharge;
    if (!charge || charge.created >= at) return;
    const share = this.rng.pick([0.2, 0.25, 0.5, 1]);
    this.refund(charge, Math.round(charge.amount * share), at, share === 1 ? "requested_by_customer" : "duplicate");
  }

  /** On an immediate cancellation, half the customers get the unused part of their last payment back. */
  private refundUnused(sub: SubscriptionModel, at: number) {
    const charge = this.lastCharge;
    if (!charge || !this.rng.chance(0.5)) return;
    const fraction = Math.max(0, (sub.periodEnd - at) / (sub.periodEnd - sub.periodStart));
    this.refund(charge, Math.round(charge.amount * fraction), at, "requested_by_customer");
  }
}
