/**
 * A seeded, deterministic SaaS business: `generateBusiness` simulates customers arriving over `months` months up
 * to `endDate` and yields, in time order, the Stripe events their subscriptions would have produced and the
 * marketing / customer-success ingest events around them. Nothing reads the clock or Math.random: one seed, one
 * history. Accounts are simulated lazily from a fixed arrival schedule, so memory follows the number of live
 * accounts, not the number of events. See docs/demo-data.md.
 */
import { buildAccount } from "./account";
import { BillingStory, type BillingContext } from "./billing";
import {
  buildCoupons,
  buildPrices,
  PRODUCTS,
  renderCoupon,
  renderPlan,
  renderPrice,
  renderProduct,
  SUPPORTED_CURRENCIES,
} from "./catalog";
import { buildEvent } from "./envelope";
import { engagementStream } from "./engagement";
import { HeadHeap } from "./heap";
import type { Shape } from "./models";
import type { RosterEntry, Source } from "./plan";
import { Rng } from "./random";
import { spendStream } from "./spend";
import { Tally, type BusinessSummary, type GeneratedItem, type Timed } from "./summary";
import { addMonths, dayStart, DAY, HOUR, toDay } from "./time";

export type { BusinessSummary, ExpectedCustomer, ExpectedSubscription, GeneratedItem } from "./summary";
export type { StripeEventEnvelope } from "./envelope";

export type GenerateOptions = {
  seed: string | number;
  /** Stripe customers (paying or trialing at some point). */
  customers: number;
  months: number;
  /** The last simulated day, `YYYY-MM-DD` (UTC). Nothing happens after its end. */
  endDate: string;
  /** Customer currencies; the first is the most common. Default `["usd", "eur"]`. */
  currencies?: readonly string[];
  /** Share of customers whose events are rendered in the pre-2025 API shape (2020-03-02). Default 0.3. */
  legacyShare?: number;
  /** Visitors who sign up or leave a lead but never pay, per customer. Default 1. */
  prospectsPerCustomer?: number;
  /** Currency of marketing spend. Default: the first of `currencies`. */
  spendCurrency?: string;
};

export type GeneratedBusiness = Iterable<GeneratedItem> &
  AsyncIterable<GeneratedItem> & {
    /** Counts and expected final states of what has been iterated so far (all of it, once iteration ends). */
    summary(): BusinessSummary;
    /** Where the simulation starts and ends (Unix seconds), for progress reporting. */
    readonly startAt: number;
    readonly endAt: number;
  };

const SOURCE_WEIGHTS: readonly (readonly [Source, number])[] = [
  ["google_ads", 30],
  ["linkedin", 15],
  ["facebook_ads", 10],
  ["organic", 30],
  ["referral", 15],
];

function validate(o: GenerateOptions) {
  if (!Number.isInteger(o.customers) || o.customers < 0 || o.customers > 1_000_000)
    throw new Error("customers must be an integer from 0 to 1,000,000");
  if (!Number.isInteger(o.months) || o.months < 1 || o.months > 120) throw new Error("months must be 1 to 120");
  dayStart(o.endDate);
  for (const c of o.currencies ?? [])
    if (!(SUPPORTED_CURRENCIES as readonly string[]).includes(c))
      throw new Error(`currency ${c} is not in the demo catalog (${SUPPORTED_CURRENCIES.join(", ")})`);
  if (o.currencies && o.currencies.length === 0) throw new Error("currencies must not be empty");
  const share = o.legacyShare ?? 0.3;
  if (!(share >= 0 && share <= 1)) throw new Error("legacyShare must be between 0 and 1");
}

/**
 * Arrival instants for `count` accounts between `from` and `to`, growing about 6% a month: stratified draws
 * through the inverse CDF of an exponential curve, already sorted.
 */
function arrivals(rng: Rng, count: number, from: number, to: number): number[] {
  const growth = 0.06 / (30.4 * DAY);
  const span = to - from;
  const total = Math.expm1(growth * span);
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const u = (i + rng.float()) / count;
    out.push(from + Math.floor(Math.log1p(u * total) / growth));
  }
  return out;
}

function buildRoster(root: Rng, o: Required<Omit<GenerateOptions, "spendCurrency">>, startAt: number, endAt: number) {
  const rng = root.fork("roster");
  const from = startAt + DAY;
  const to = endAt - 2 * DAY;
  const roster: RosterEntry[] = [];
  const customerIds: { id: string; at: number }[] = [];
  const currencyWeights = o.currencies.map(
    (c, i) => [c, i === 0 ? 7 : 3 / Math.max(1, o.currencies.length - 1)] as const,
  );
  const prospects = Math.round(o.customers * o.prospectsPerCustomer);
  for (const [kind, count] of [
    ["customer", o.customers],
    ["prospect", prospects],
  ] as const) {
    const times = arrivals(rng.fork(kind), count, from, to);
    for (const [index, signupAt] of times.entries()) {
      let source = rng.weighted(SOURCE_WEIGHTS);
      let referredBy: string | null = null;
      if (source === "referral") {
        const earlier = customerIds.filter((c) => c.at < signupAt - 30 * DAY);
        if (earlier.length > 0) referredBy = rng.pick(earlier).id;
        else source = "organic";
      }
      const customerId = kind === "customer" ? root.fork(`customer:${index}`).id("cus", 14) : null;
      if (customerId) customerIds.push({ id: customerId, at: signupAt });
      roster.push({
        index,
        kind,
        signupAt,
        firstAt: Math.max(startAt + 10 * HOUR, signupAt - rng.int(HOUR, 21 * DAY)),
        source,
        referredBy,
        customerId,
        currency: rng.weighted(currencyWeights),
        shape: (rng.chance(o.legacyShare) ? "v1" : "v2") as Shape,
      });
    }
  }
  return roster.sort(
    (a, b) => a.firstAt - b.firstAt || (a.kind === b.kind ? a.index - b.index : a.kind === "customer" ? -1 : 1),
  );
}

function* catalogStream(rng: Rng, ctx: BillingContext, at: number): Generator<Timed> {
  const stripe = (type: string, object: Record<string, unknown>): Timed => ({
    at,
    item: { kind: "stripe", event: buildEvent({ rng, shape: "v2", type, created: at, object, origin: "api" }) },
  });
  for (const product of PRODUCTS) {
    const first = ctx.prices.find((p) => p.product === product.id)!;
    yield stripe("product.created", renderProduct(product, first.id, at));
    for (const price of ctx.prices.filter((p) => p.product === product.id)) {
      yield stripe("price.created", renderPrice(price));
      yield stripe("plan.created", renderPlan(price));
    }
  }
  for (const coupon of ctx.coupons) yield stripe("coupon.created", renderCoupon(coupon));
}

export function generateBusiness(options: GenerateOptions): GeneratedBusiness {
  validate(options);
  const o = {
    seed: options.seed,
    customers: options.customers,
    months: options.months,
    endDate: options.endDate,
    currencies: options.currencies ?? ["usd", "eur"],
    legacyShare: options.legacyShare ?? 0.3,
    prospectsPerCustomer: options.prospectsPerCustomer ?? 1,
  };
  const spendCurrency = options.spendCurrency ?? o.currencies[0]!;
  const endAt = dayStart(o.endDate) + DAY - 1;
  const startAt = addMonths(endAt + 1, -o.months);
  const seed = String(o.seed);
  let tally = new Tally();

  function* run(): Generator<GeneratedItem> {
    tally = new Tally();
    const root = new Rng(`northstar-demo:${seed}`);
    const catalogAt = startAt + 9 * HOUR;
    const ctx: BillingContext = {
      endAt,
      prices: buildPrices(o.currencies, catalogAt),
      coupons: buildCoupons(catalogAt),
      products: PRODUCTS,
    };
    const roster = buildRoster(root, o, startAt, endAt);
    const heap = new HeadHeap();
    let seq = 0;
    const add = (rank: number, stream: Iterator<Timed>) => {
      const next = stream.next();
      if (!next.done) heap.push({ timed: next.value, rank, seq: seq++, rest: stream });
    };
    add(0, catalogStream(root.fork("catalog"), ctx, catalogAt));
    add(1, spendStream(roster, root.fork("spend"), startAt, endAt, spendCurrency));
    let nextAccount = 0;
    for (;;) {
      // Start every account whose first event is due before the earliest pending one.
      while (
        nextAccount < roster.length &&
        (heap.size === 0 || roster[nextAccount]!.firstAt <= heap.peek()!.timed.at)
      ) {
        const entry = roster[nextAccount]!;
        const number = entry.kind === "customer" ? entry.index : o.customers + entry.index;
        const rng = root.fork(`${entry.kind}:${entry.index}`);
        const account = buildAccount(rng.fork("profile"), entry, number, 17, endAt);
        const rank = 2 + 2 * nextAccount;
        if (account.customerId) add(rank, new BillingStory(ctx, account, rng.fork("billing")).stream());
        add(rank + 1, engagementStream(account, rng.fork("engagement"), endAt));
        nextAccount++;
      }
      const head = heap.pop();
      if (!head) break;
      const { timed } = head;
      if (timed.at > endAt) continue;
      tally.count(timed.item);
      timed.commit?.(tally);
      yield timed.item;
      const next = head.rest.next();
      if (!next.done) heap.push({ timed: next.value, rank: head.rank, seq: seq++, rest: head.rest });
    }
  }

  return {
    startAt,
    endAt,
    [Symbol.iterator]: run,
    async *[Symbol.asyncIterator]() {
      yield* run();
    },
    summary: () => tally.summary({ seed, startDate: toDay(startAt), endDate: o.endDate }),
  };
}
