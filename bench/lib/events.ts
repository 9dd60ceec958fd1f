// Event streams for the benchmarks: the seeded demo generator (lib/demo/generate) when it is there, else copies of
// the lifecycle fixture with ids rewritten per customer. Both are realistic Stripe events in time order.
import type { StripeEvent } from "@/lib/stripe/event";

export type Stream = {
  source: string;
  stripe: StripeEvent[];
  /** Marketing spend rows from the generator (ingest API shape), so CAC has an input. */
  spend: unknown[];
  customers: number;
};

const ID_PATTERN = /\b((?:evt|cus|sub|si|in|ii|il|ch|re|di|pi|py|cn|sub_sched)_[A-Za-z0-9]+)/g;

/** Rewrites every per-customer id in an event (and its event id) with a suffix. Prices, products, coupons stay. */
export function suffixIds<T>(event: T, suffix: string): T {
  return JSON.parse(JSON.stringify(event).replace(ID_PATTERN, `$1${suffix}`)) as T;
}

export async function loadStream(opts: {
  seed: string;
  customers: number;
  months: number;
  endDate: string;
}): Promise<Stream> {
  try {
    const mod = (await import("@/lib/demo/generate")) as typeof import("@/lib/demo/generate");
    const business = mod.generateBusiness({
      seed: opts.seed,
      customers: opts.customers,
      months: opts.months,
      endDate: opts.endDate,
    });
    const stripe: StripeEvent[] = [];
    const spend: unknown[] = [];
    for (const item of business) {
      if (item.kind === "stripe") stripe.push(item.event as unknown as StripeEvent);
      else if ((item.event as { type?: string }).type === "marketing_spend") spend.push(item.event);
    }
    return {
      source: `lib/demo/generate (seed ${opts.seed}, ${opts.customers} customers × ${opts.months} months)`,
      stripe,
      spend,
      customers: opts.customers,
    };
  } catch (err) {
    const { loadLifecycle } = await import("@/lib/stripe/testing");
    const base = loadLifecycle();
    const stripe: StripeEvent[] = [];
    for (let i = 0; i < opts.customers; i++) stripe.push(...base.map((e) => suffixIds(e, `b${i}`)));
    stripe.sort((a, b) => a.created - b.created);
    return {
      source: `lifecycle fixture × ${opts.customers} (generator unavailable: ${(err as Error).message.split("\n")[0]})`,
      stripe,
      spend: [],
      customers: opts.customers,
    };
  }
}
