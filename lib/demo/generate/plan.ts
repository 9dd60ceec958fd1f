// The fate of each account, drawn before any event is rendered: when it arrives, from which channel, which plan it
// picks, whether its trial converts, which renewals fail and whether they recover, when (and how) it cancels, and
// whether it comes back. The Stripe stream (billing.ts) and the marketing/CS stream (engagement.ts) both follow
// this plan, so product usage and NPS can anticipate a churn that the billing stream renders months later.
import type { Interval, PlanKey } from "./catalog";
import type { Shape } from "./models";
import type { Rng } from "./random";
import { addMonths, DAY, HOUR } from "./time";

export type Source = "google_ads" | "linkedin" | "facebook_ads" | "organic" | "referral";
export const PAID_CHANNELS: readonly Source[] = ["google_ads", "linkedin", "facebook_ads"];

export type FailureOutcome = "recover" | "unpaid" | "cancel";
export type EndKind = "trial_expired" | "voluntary" | "unpaid" | "payment_failed";

export type Episode = {
  /** 0 for the first subscription, 1+ for reactivations. */
  index: number;
  start: number;
  planKey: PlanKey;
  interval: Interval;
  quantity: number;
  trialDays: number;
  trialConverts: boolean;
  /** For a trial that does not convert: the customer cancels before it ends (else it just lapses). */
  trialCancelAt: number | null;
  /** Renewal index (1 = the first renewal after the first paid period) → what happens to its failed payment. */
  failures: Map<number, FailureOutcome>;
  cancelRequest: { at: number; mode: "period_end" | "immediate" } | null;
  /** When billing starts (the trial end, or the start). */
  anchor: number;
  /** When the subscription stops counting, and why; null when it outlives any horizon we draw. */
  end: number | null;
  endKind: EndKind | null;
};

/** One entry of the arrival schedule, fixed before simulation so referrals and spend can refer to it. */
export type RosterEntry = {
  /** Position among accounts of its kind, in arrival order. */
  index: number;
  kind: "customer" | "prospect";
  signupAt: number;
  /** The first event of the account (its earliest visit). */
  firstAt: number;
  source: Source;
  referredBy: string | null;
  customerId: string | null;
  currency: string;
  shape: Shape;
};

/** Seconds from the signup to the Stripe customer: at once with a trial, after a few days of evaluation without. */
export const PAST_DUE_FINAL = 8 * DAY;
export const FIRST_RETRY = 3 * DAY;
/** The renewal invoice is finalized (and charged) an hour after the period ends, as Stripe does. */
export const FINALIZE_DELAY = HOUR;

const MONTHLY_CHURN: Record<PlanKey, number> = { starter: 0.045, pro: 0.028, team: 0.018 };

const intervalMonths = (interval: Interval) => (interval === "month" ? 1 : 12);

/** Period boundary k of an episode: the anchor plus k billing intervals (k = 0 is the anchor). */
export const boundary = (ep: Pick<Episode, "anchor" | "interval">, k: number) =>
  addMonths(ep.anchor, k * intervalMonths(ep.interval));

function drawPlan(rng: Rng): { planKey: PlanKey; interval: Interval; quantity: number } {
  const planKey = rng.weighted<PlanKey>([
    ["starter", 45],
    ["pro", 35],
    ["team", 20],
  ]);
  const interval = rng.chance(planKey === "starter" ? 0.15 : 0.25) ? "year" : "month";
  const quantity = planKey === "team" ? rng.int(3, 12) : 1;
  return { planKey, interval, quantity };
}

/**
 * Draws one subscription episode starting at `start`, and computes when it ends with the same timings billing.ts
 * uses (trial end; the last failed retry at renewal + 1 h + 8 days; the period end after a cancel request).
 */
function drawEpisode(rng: Rng, index: number, start: number, withTrial: boolean, horizon: number): Episode {
  const { planKey, interval, quantity } = drawPlan(rng);
  const trialDays = withTrial ? 14 : 0;
  const trialConverts = !withTrial || rng.chance(0.62);
  const anchor = start + trialDays * DAY;
  const ep: Episode = {
    index,
    start,
    planKey,
    interval,
    quantity,
    trialDays,
    trialConverts,
    trialCancelAt: null,
    failures: new Map(),
    cancelRequest: null,
    anchor,
    end: null,
    endKind: null,
  };
  if (!trialConverts) {
    if (rng.chance(0.6)) ep.trialCancelAt = start + rng.int(2 * DAY, (trialDays - 1) * DAY);
    ep.end = anchor;
    ep.endKind = "trial_expired";
    return ep;
  }

  // Voluntary churn: a geometric lifetime in months, slower on yearly plans (they decide once a year).
  const monthly = MONTHLY_CHURN[planKey] * (interval === "year" ? 0.6 : 1);
  let lifetimeMonths = 1;
  while (!rng.chance(monthly) && lifetimeMonths < 200) lifetimeMonths++;
  let requestAt: number | null = anchor + Math.floor((lifetimeMonths - 0.5 + rng.float()) * 30.4 * DAY);
  const mode = rng.chance(0.8) ? "period_end" : "immediate";

  // Failed renewals, walked in time order until the episode would end anyway.
  for (let k = 1; ; k++) {
    const b = boundary(ep, k);
    if (b > horizon) break;
    if (requestAt !== null && requestAt < b) break;
    if (!rng.chance(interval === "year" ? 0.08 : 0.05)) continue;
    const outcome = rng.weighted<FailureOutcome>([
      ["recover", 65],
      ["unpaid", 15],
      ["cancel", 20],
    ]);
    ep.failures.set(k, outcome);
    const settled = b + FINALIZE_DELAY + (outcome === "recover" ? FIRST_RETRY : PAST_DUE_FINAL);
    if (outcome !== "recover") {
      ep.end = settled;
      ep.endKind = outcome === "unpaid" ? "unpaid" : "payment_failed";
      return ep;
    }
    // A cancel request is not made while the card is being retried: it waits a day after the recovery.
    if (requestAt !== null && requestAt < settled + DAY) requestAt = settled + DAY;
  }
  if (requestAt !== null && requestAt <= horizon) {
    // Not while a renewal is being invoiced and charged (the first two hours of a period).
    let k = 0;
    while (boundary(ep, k + 1) <= requestAt) k++;
    requestAt = Math.max(requestAt, boundary(ep, k) + 2 * HOUR);
    ep.cancelRequest = { at: requestAt, mode };
    if (mode === "immediate") ep.end = requestAt;
    else {
      let k = 1;
      while (boundary(ep, k) <= requestAt) k++;
      ep.end = boundary(ep, k);
    }
    ep.endKind = "voluntary";
  }
  return ep;
}

/** All episodes of a paying account: the first subscription, then perhaps a reactivation after a churn. */
export function drawEpisodes(rng: Rng, customerAt: number, withTrial: boolean, horizon: number): Episode[] {
  const episodes = [drawEpisode(rng, 0, customerAt, withTrial, horizon)];
  for (;;) {
    const last = episodes[episodes.length - 1]!;
    if (last.end === null || last.endKind === "unpaid" || episodes.length >= 3) break;
    const comeback = last.endKind === "trial_expired" ? 0.12 : 0.18;
    if (!rng.chance(comeback)) break;
    const start = last.end + rng.int(20 * DAY, 200 * DAY);
    if (start > horizon) break;
    episodes.push(drawEpisode(rng, episodes.length, start, false, horizon));
  }
  return episodes;
}
