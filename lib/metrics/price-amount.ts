/**
 * What one subscription item charges per billing interval and per month (metrics.md N1, N2, N12, N13).
 */
import { add, div, fromMinor, mul, parseDecimal, rat, sum, ZERO, type Rational } from "./money";
import type { MetricPolicy } from "./policy";
import type { Price, SubscriptionItem } from "./types";

/**
 * N1: the factor turning one billing interval into a month. Calendar: month 1/n, year 1/(12n), week 52/(12n),
 * day 365/(12n). `intervalFactors: "simple"` uses week 4/n and day 30/n. n is `intervalCount`.
 */
export function intervalFactor(
  interval: Price["interval"],
  intervalCount: number,
  mode: MetricPolicy["intervalFactors"] = "calendar",
): Rational {
  const n = BigInt(Math.max(1, intervalCount));
  switch (interval) {
    case "month":
      return rat(1n, n);
    case "year":
      return rat(1n, 12n * n);
    case "week":
      return mode === "simple" ? rat(4n, n) : rat(52n, 12n * n);
    case "day":
      return mode === "simple" ? rat(30n, n) : rat(365n, 12n * n);
  }
}

/** N18: an item billed yearly or longer (its calendar factor is at most 1/12). */
export function isAnnualOrLonger(price: Price): boolean {
  const f = intervalFactor(price.interval, price.intervalCount, "calendar");
  return f.n * 12n <= f.d;
}

/** N4 and N13: prices that never enter MRR from the subscription itself. */
export function isRecurringLicensed(price: Price): boolean {
  return price.type === "recurring" && !price.customUnitAmount && price.usageType === "licensed";
}

function unit(decimal: string | null): Rational {
  return decimal === null ? ZERO : parseDecimal(decimal);
}

/**
 * N2: the amount the price charges per interval for `quantity` units, exact, in the price's minor units.
 * per_unit: unit × quantity (with transform_quantity: ceil/floor(quantity ÷ divideBy) × unit).
 * graduated: Σ units in each tier × its unit amount, plus the flat amount of each tier holding ≥ 1 unit.
 * volume: every unit at the unit amount of the tier the quantity falls in, plus that tier's flat amount.
 * Quantity 0 always gives 0.
 */
export function computePriceAmount(price: Price, quantity: number): Rational {
  if (quantity <= 0) return ZERO;
  const q = BigInt(quantity);
  if (price.billingScheme === "per_unit") {
    const t = price.transformQuantity;
    if (t) {
      const by = BigInt(Math.max(1, t.divideBy));
      const packs = t.round === "up" ? (q + by - 1n) / by : q / by;
      return mul(rat(packs), unit(price.unitAmountDecimal));
    }
    return mul(rat(q), unit(price.unitAmountDecimal));
  }
  const tiers = price.tiers;
  if (price.tiersMode === "volume") {
    const tier = tiers.find((t) => t.upTo === null || quantity <= t.upTo) ?? tiers[tiers.length - 1];
    if (!tier) return ZERO;
    return add(mul(rat(q), unit(tier.unitAmountDecimal)), fromMinor(tier.flatAmount ?? 0));
  }
  // graduated
  const parts: Rational[] = [];
  let below = 0;
  for (const tier of tiers) {
    const cap = tier.upTo === null ? quantity : Math.min(quantity, tier.upTo);
    const units = cap - below;
    if (units > 0) {
      parts.push(mul(rat(units), unit(tier.unitAmountDecimal)), fromMinor(tier.flatAmount ?? 0));
      below = cap;
    }
    if (tier.upTo === null || quantity <= tier.upTo) break;
  }
  return sum(parts);
}

/**
 * N12: removes inclusive tax. Exclusive/unspecified prices are used as they are. Inclusive prices are divided by
 * (1 + Σ inclusive tax-rate percentages); with Stripe Tax (no rates on the item) they are multiplied by
 * amount_excluding_tax ÷ amount of the item's latest finalized invoice line (`latestInvoiceLine`). Without either,
 * the price is used as is and `tax_inclusive_unknown` is reported.
 */
export function removeInclusiveTax(
  amount: Rational,
  item: SubscriptionItem,
): { amount: Rational; warning: string | null } {
  if (item.price.taxBehavior !== "inclusive") return { amount, warning: null };
  if (item.inclusiveTaxPercents.length > 0) {
    const pct = sum(item.inclusiveTaxPercents.map(parseDecimal));
    return { amount: div(amount, add(rat(1), div(pct, rat(100)))), warning: null };
  }
  const line = item.latestInvoiceLine;
  if (line && line.amount !== 0) {
    return { amount: mul(amount, rat(line.amountExcludingTax, line.amount)), warning: null };
  }
  return { amount, warning: "tax_inclusive_unknown" };
}

/** N1 + N2 + N12: the item's monthly amount before discounts, exact, in its currency (0 for excluded prices). */
export function computeItemMonthly(
  item: SubscriptionItem,
  policy: Pick<MetricPolicy, "intervalFactors">,
): { amount: Rational; warning: string | null } {
  if (!isRecurringLicensed(item.price)) return { amount: ZERO, warning: null };
  const perInterval = computePriceAmount(item.price, item.quantity);
  const monthly = mul(
    perInterval,
    intervalFactor(item.price.interval, item.price.intervalCount, policy.intervalFactors),
  );
  return removeInclusiveTax(monthly, item);
}
