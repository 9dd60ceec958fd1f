// The demo catalog: three products, monthly and yearly prices in each currency, and three coupons (once, repeating,
// forever). Ids are fixed strings, as a merchant's would be, so every seed shares one catalog and a re-run finds
// the same prices. The shapes copy fixtures/stripe/lifecycle/01–06 (current API) and legacy-api-2020 (2020-03-02).

export type PlanKey = "starter" | "pro" | "team";
export type Interval = "month" | "year";

export type ProductDef = { key: PlanKey; id: string; name: string; description: string; unitLabel: string | null };

export type PriceDef = {
  id: string;
  plan: PlanKey;
  product: string;
  currency: string;
  interval: Interval;
  /** Minor units per unit (per seat for Team). */
  unitAmount: number;
  nickname: string;
  lookupKey: string;
  created: number;
};

export type CouponDef = {
  id: string;
  name: string;
  percentOff: number;
  duration: "once" | "repeating" | "forever";
  durationInMonths: number | null;
  created: number;
};

export const PRODUCTS: readonly ProductDef[] = [
  { key: "starter", id: "prod_DemoStarter0001", name: "Starter", description: "Starter plan", unitLabel: null },
  { key: "pro", id: "prod_DemoPro00000001", name: "Pro", description: "Pro plan", unitLabel: null },
  {
    key: "team",
    id: "prod_DemoTeam0000001",
    name: "Team",
    description: "Team plan, billed per seat",
    unitLabel: "seat",
  },
];

/** Monthly and yearly list prices per currency, in minor units (a year costs ten months). */
const LIST: Record<PlanKey, Record<string, number>> = {
  starter: { usd: 2900, eur: 2700, gbp: 2400 },
  pro: { usd: 9900, eur: 8900, gbp: 7900 },
  team: { usd: 1500, eur: 1400, gbp: 1200 },
};

export const SUPPORTED_CURRENCIES = ["usd", "eur", "gbp"] as const;

const titleCase = (s: string) => s[0]!.toUpperCase() + s.slice(1);

export function buildPrices(currencies: readonly string[], created: number): PriceDef[] {
  const prices: PriceDef[] = [];
  for (const product of PRODUCTS) {
    for (const currency of currencies) {
      const monthly = LIST[product.key][currency];
      if (monthly === undefined) throw new Error(`no demo price in ${currency}`);
      for (const interval of ["month", "year"] as const) {
        const tag = `${product.key}${interval === "month" ? "Monthly" : "Yearly"}${currency.toUpperCase()}`;
        prices.push({
          id: `price_Demo${titleCase(tag)}`.padEnd(30, "0").slice(0, 30),
          plan: product.key,
          product: product.id,
          currency,
          interval,
          unitAmount: interval === "month" ? monthly : monthly * 10,
          nickname: `${product.name} ${interval === "month" ? "monthly" : "yearly"} (${currency.toUpperCase()})`,
          lookupKey: `${product.key}_${interval === "month" ? "monthly" : "yearly"}_${currency}`,
          created,
        });
      }
    }
  }
  return prices;
}

const COUPONS: readonly Omit<CouponDef, "created">[] = [
  {
    id: "WELCOME20",
    name: "Welcome 20% off (first invoice)",
    percentOff: 20,
    duration: "once",
    durationInMonths: null,
  },
  { id: "LAUNCH25", name: "Launch 25% off (3 months)", percentOff: 25, duration: "repeating", durationInMonths: 3 },
  { id: "PARTNER10", name: "Partner 10% off", percentOff: 10, duration: "forever", durationInMonths: null },
];

export const buildCoupons = (created: number): CouponDef[] => COUPONS.map((c) => ({ ...c, created }));

export function findPrice(prices: readonly PriceDef[], plan: PlanKey, currency: string, interval: Interval): PriceDef {
  const price = prices.find((p) => p.plan === plan && p.currency === currency && p.interval === interval);
  if (!price) throw new Error(`no price for ${plan}/${currency}/${interval}`);
  return price;
}

// ---- renderers ------------------------------------------------------------------------------------------------

export function renderProduct(p: ProductDef, defaultPrice: string, created: number) {
  return {
    active: true,
    created,
    default_price: defaultPrice,
    description: p.description,
    id: p.id,
    images: [],
    livemode: false,
    marketing_features: [],
    metadata: {},
    name: p.name,
    object: "product",
    package_dimensions: null,
    shippable: null,
    statement_descriptor: null,
    tax_code: null,
    unit_label: p.unitLabel,
    updated: created,
    url: null,
    type: "service",
    tax_details: null,
  };
}

/** A price in the current shape (lifecycle/02_price.created). */
export function renderPrice(p: PriceDef) {
  const created = p.created;
  return {
    active: true,
    billing_scheme: "per_unit",
    created,
    currency: p.currency,
    custom_unit_amount: null,
    id: p.id,
    livemode: false,
    lookup_key: p.lookupKey,
    metadata: {},
    nickname: p.nickname,
    object: "price",
    product: p.product,
    recurring: {
      interval: p.interval,
      interval_count: 1,
      meter: null,
      usage_type: "licensed",
      trial_period_days: null,
    },
    tax_behavior: "exclusive",
    tiers_mode: null,
    transform_quantity: null,
    type: "recurring",
    unit_amount: p.unitAmount,
    unit_amount_decimal: String(p.unitAmount),
  };
}

/** The plan Stripe emits beside every recurring price, same id (lifecycle/03_plan.created). */
export function renderPlan(p: PriceDef) {
  const created = p.created;
  return {
    active: true,
    amount: p.unitAmount,
    amount_decimal: String(p.unitAmount),
    billing_scheme: "per_unit",
    created,
    currency: p.currency,
    id: p.id,
    interval: p.interval,
    interval_count: 1,
    livemode: false,
    metadata: {},
    meter: null,
    nickname: p.nickname,
    object: "plan",
    product: p.product,
    tiers_mode: null,
    transform_usage: null,
    trial_period_days: null,
    usage_type: "licensed",
  };
}

/** A price as 2020-03-02 renders it (legacy-api-2020/subscription_updated.json, items.data.0.price). */
export function renderLegacyPrice(p: PriceDef) {
  const created = p.created;
  return {
    id: p.id,
    object: "price",
    active: true,
    billing_scheme: "per_unit",
    created,
    currency: p.currency,
    livemode: false,
    lookup_key: p.lookupKey,
    metadata: {},
    nickname: p.nickname,
    product: p.product,
    recurring: {
      aggregate_usage: null,
      interval: p.interval,
      interval_count: 1,
      trial_period_days: null,
      usage_type: "licensed",
    },
    tiers_mode: null,
    transform_quantity: null,
    type: "recurring",
    unit_amount: p.unitAmount,
    unit_amount_decimal: String(p.unitAmount),
  };
}

/** A plan as 2020-03-02 renders it (legacy-api-2020/subscription_updated.json, `plan`). */
export function renderLegacyPlan(p: PriceDef) {
  const created = p.created;
  return {
    id: p.id,
    object: "plan",
    active: true,
    aggregate_usage: null,
    amount: p.unitAmount,
    amount_decimal: String(p.unitAmount),
    billing_scheme: "per_unit",
    created,
    currency: p.currency,
    interval: p.interval,
    interval_count: 1,
    livemode: false,
    metadata: {},
    nickname: p.nickname,
    product: p.product,
    tiers: null,
    tiers_mode: null,
    transform_usage: null,
    trial_period_days: null,
    usage_type: "licensed",
  };
}

export function renderCoupon(c: CouponDef, timesRedeemed = 0) {
  return {
    amount_off: null,
    created: c.created,
    currency: null,
    duration: c.duration,
    duration_in_months: c.durationInMonths,
    id: c.id,
    livemode: false,
    max_redemptions: null,
    metadata: {},
    name: c.name,
    object: "coupon",
    percent_off: c.percentOff,
    redeem_by: null,
    times_redeemed: timesRedeemed,
    valid: true,
  };
}
