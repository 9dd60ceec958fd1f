/**
 * Discounts on MRR (metrics.md N5, N6): which discounts are active, and how each changes the running amount.
 */
import { fromMinor, max0, mul, parseDecimal, rat, sub, type Rational } from "./money";
import type { MetricPolicy } from "./policy";
import type { Discount, Instant } from "./types";

/**
 * N5: does this discount reduce MRR at `at`? `once` never does (it affects one invoice, not the run-rate);
 * `forever`/`repeating` do while start ≤ at < end (a null end lasts until the discount is removed).
 * Policy `discounts`: "applied" (both), "foreverOnly" (forever only), "ignored" (none).
 */
export function isDiscountActive(discount: Discount, at: Instant, policy: Pick<MetricPolicy, "discounts">): boolean {
  const { duration } = discount.coupon;
  if (policy.discounts === "ignored" || duration === "once") return false;
  if (policy.discounts === "foreverOnly" && duration !== "forever") return false;
  return discount.start <= at && (discount.end === null || at < discount.end);
}

/**
 * N6: applies one discount to the running monthly amount. percent_off multiplies by (1 − p/100); amount_off
 * subtracts amount_off × `factor` (the interval factor of the items it covers) in `currency`, taken from
 * `currencyOptions` when the coupon is in another currency. The result never goes below 0. A coupon with no amount
 * in `currency` cannot apply and is reported.
 */
export function applyDiscount(
  running: Rational,
  discount: Discount,
  currency: string,
  factor: Rational,
): { amount: Rational; warning: string | null } {
  const c = discount.coupon;
  if (c.percentOff !== null) {
    const keep = sub(rat(1), mul(parseDecimal(c.percentOff), rat(1n, 100n)));
    return { amount: max0(mul(running, keep)), warning: null };
  }
  if (c.amountOff !== null) {
    const off = c.currency === null || c.currency === currency ? c.amountOff : c.currencyOptions[currency];
    if (off === undefined) return { amount: running, warning: `discount_currency_missing:${discount.id}:${currency}` };
    return { amount: max0(sub(running, mul(fromMinor(off), factor))), warning: null };
  }
  return { amount: running, warning: null };
}

/** Applies the active discounts of one level in array order (N6), each to the running amount. */
export function applyDiscounts(
  amount: Rational,
  discounts: readonly Discount[],
  currency: string,
  factor: Rational,
  at: Instant,
  policy: Pick<MetricPolicy, "discounts">,
  warnings: string[],
): Rational {
  let running = amount;
  for (const d of discounts) {
    if (!isDiscountActive(d, at, policy)) continue;
    const r = applyDiscount(running, d, currency, factor);
    running = r.amount;
    if (r.warning) warnings.push(r.warning);
  }
  return running;
}
