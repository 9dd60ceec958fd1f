// Building invoices, their lines, proration lines and charges from the subscription as it is at that moment.
// Amounts are integer minor units; a percent coupon discounts the period line (prorations are not discountable).
import type { PriceDef, ProductDef } from "./catalog";
import type { ChargeModel, CustomerModel, InvoiceModel, LineModel, SubscriptionModel } from "./models";
import type { Rng } from "./random";
import { toDay } from "./time";

const SYMBOL: Record<string, string> = { usd: "$", eur: "€", gbp: "£" };
const money = (amount: number, currency: string) => `${SYMBOL[currency] ?? ""}${(amount / 100).toFixed(2)}`;
const productOf = (products: readonly ProductDef[], price: PriceDef) => products.find((p) => p.id === price.product)!;

/** The line for the subscription's current period: "3 seats × Team (at $15.00 / month)", or the trial's 0.00. */
function periodLine(rng: Rng, products: readonly ProductDef[], sub: SubscriptionModel, trial: boolean): LineModel {
  const item = sub.items[0]!;
  const product = productOf(products, item.price);
  const unit = money(item.price.unitAmount, item.price.currency);
  const what = product.unitLabel
    ? `${item.quantity} ${product.unitLabel}${item.quantity === 1 ? "" : "s"}`
    : `${item.quantity}`;
  return {
    id: rng.id("il", 24),
    amount: trial ? 0 : item.price.unitAmount * item.quantity,
    description: trial
      ? `Trial period for ${product.name}`
      : `${what} × ${product.name} (at ${unit} / ${item.price.interval})`,
    periodStart: sub.periodStart,
    periodEnd: sub.periodEnd,
    quantity: item.quantity,
    price: item.price,
    itemId: item.id,
    proration: false,
    invoiceItem: null,
    discountAmount: 0,
  };
}

/**
 * A draft invoice: pending prorations, then the period line. As Stripe does, a cycle invoice's `period_start/end`
 * is the period that just ended, while its line covers the one starting.
 */
export function draftInvoice(
  rng: Rng,
  products: readonly ProductDef[],
  input: {
    customer: CustomerModel;
    sub: SubscriptionModel;
    reason: InvoiceModel["billingReason"];
    created: number;
    periodStart: number;
    periodEnd: number;
    prorations: readonly LineModel[];
    trial: boolean;
  },
): InvoiceModel {
  const { sub, trial } = input;
  const line = periodLine(rng, products, sub, trial);
  const discount = !trial && sub.discount ? sub.discount : null;
  if (discount) line.discountAmount = Math.round((line.amount * discount.coupon.percentOff) / 100);
  const lines = [...input.prorations, line];
  const subtotal = lines.reduce((s, l) => s + l.amount, 0);
  return {
    id: rng.id("in", 24),
    number: null,
    customer: input.customer,
    subscription: sub,
    currency: sub.currency,
    billingReason: input.reason,
    created: input.created,
    periodStart: input.periodStart,
    periodEnd: input.periodEnd,
    lines,
    subtotal,
    discount,
    discountTotal: line.discountAmount,
    total: subtotal - line.discountAmount,
    status: "draft",
    attemptCount: 0,
    attempted: false,
    finalizedAt: null,
    paidAt: null,
    nextPaymentAttempt: null,
    charge: null,
    paymentIntent: null,
    hostedToken: rng.base62(40),
  };
}

/**
 * Stripe's default proration for a price or quantity change at `at`: credit the unused time on the old item,
 * charge the remaining time on the new one. Both lines wait for the next invoice.
 */
export function prorationLines(
  rng: Rng,
  products: readonly ProductDef[],
  sub: SubscriptionModel,
  oldPrice: PriceDef,
  oldQuantity: number,
  at: number,
): LineModel[] {
  const item = sub.items[0]!;
  const fraction = (sub.periodEnd - at) / (sub.periodEnd - sub.periodStart);
  const day = toDay(at);
  const invoiceItem = rng.id("ii", 24);
  const line = (price: PriceDef, quantity: number, sign: 1 | -1, text: string): LineModel => ({
    id: rng.id("il", 24),
    amount: sign * Math.round(price.unitAmount * quantity * fraction),
    description: `${text} ${quantity} × ${productOf(products, price).name} after ${day}`,
    periodStart: at,
    periodEnd: sub.periodEnd,
    quantity,
    price,
    itemId: item.id,
    proration: true,
    invoiceItem,
    discountAmount: 0,
  });
  return [line(oldPrice, oldQuantity, -1, "Unused time on"), line(item.price, item.quantity, 1, "Remaining time on")];
}

/** The successful card charge that pays an invoice. */
export function newCharge(rng: Rng, inv: InvoiceModel, customer: CustomerModel, at: number): ChargeModel {
  return {
    id: rng.id("ch", 24),
    amount: inv.total,
    currency: inv.currency,
    customer,
    invoice: inv.id,
    paymentIntent: inv.paymentIntent!,
    paymentMethod: customer.paymentMethod,
    balanceTransaction: rng.id("txn", 24),
    created: at,
    refunds: [],
    receiptToken: rng.base62(48),
  };
}
