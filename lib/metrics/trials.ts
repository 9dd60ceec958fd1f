/**
 * Trial outcomes for `trialConversionRate` (metrics.md §4.1).
 */
import { groupSubscriptionHistories } from "./mrr-series";
import type { MetricPolicy } from "./policy";
import { computeSubscriptionMrr } from "./subscription-mrr";
import { endOfLocalDay, toLocalDay } from "./time";
import type { Day, Instant, SubscriptionVersion } from "./types";

export type TrialOutcome = {
  customerId: string;
  subscriptionId: string;
  /** When the trial ended: the next version's start (trial_end per §2.3), or trialEnd if no later version exists. */
  endedAt: Instant;
  endedOn: Day;
  /** The subscription contributes MRR > 0 at the end of the local day containing the trial's end. */
  converted: boolean;
};

/**
 * One outcome per subscription whose trial ended by the end of `asOf`: it moved out of `trialing` (to a counted
 * status or to canceled), or its `trialEnd` passed. Running trials are left out. Conversion is judged at the end of
 * the local day the trial ended, with the MRR policies (so it follows `pastDue`).
 */
export function listTrialOutcomes(input: {
  versions: readonly SubscriptionVersion[];
  policy: MetricPolicy;
  timeZone: string;
  asOf: Day;
}): TrialOutcome[] {
  const asOfEnd = endOfLocalDay(input.asOf, input.timeZone);
  const out: TrialOutcome[] = [];
  for (const history of groupSubscriptionHistories(input.versions)) {
    const lastTrial = history.findLastIndex((v) => v.state.status === "trialing");
    const trial = history[lastTrial];
    if (!trial) continue;
    const next = history[lastTrial + 1];
    const endedAt = next ? next.validFrom : trial.state.trialEnd;
    if (endedAt === null || endedAt >= asOfEnd) continue;
    const endedOn = toLocalDay(endedAt, input.timeZone);
    const t = endOfLocalDay(endedOn, input.timeZone) - 1;
    const inForce = history.filter((v) => v.validFrom <= t).at(-1) ?? trial;
    const m = computeSubscriptionMrr(inForce.state, input.policy, t);
    out.push({
      customerId: trial.state.customerId,
      subscriptionId: trial.state.subscriptionId,
      endedAt,
      endedOn,
      converted: m.mrr.n > 0n,
    });
  }
  return out;
}

/**
 * What a trialing version of a subscription says about its trial's outcome, whatever the as-of day
 * (trialOutcomesAsOf): the version, its trial end, the next version, and conversion judged both ways: at the end of
 * the local day of the next version's start (when that one is known) and at the end of the local day of
 * `trialEnd` (when it is not yet known). The ledger keeps these beside its rows, and the trial conversion rate of
 * any as-of day is counted from them in SQL with listTrialOutcomes' rule (db/queries/finance.ts countTrialOutcomes).
 */
export type TrialMark = {
  customerId: string;
  subscriptionId: string;
  /** Position of the version in the subscription's sorted history: ties of `trialFrom` keep this order. */
  seq: number;
  trialFrom: Instant;
  trialEnd: Instant | null;
  nextFrom: Instant | null;
  /** When the subscription's next trialing version starts (null: none): until then this is its last known one. */
  laterTrialFrom: Instant | null;
  convertedAtNext: boolean;
  convertedAtTrialEnd: boolean;
};

/** The subscription contributes MRR > 0 at the end of the local day containing `at`, with the versions of `history`. */
function convertedAt(
  history: readonly SubscriptionVersion[],
  fallback: SubscriptionVersion,
  at: Instant,
  input: {
    policy: MetricPolicy;
    timeZone: string;
  },
): boolean {
  const t = endOfLocalDay(toLocalDay(at, input.timeZone), input.timeZone) - 1;
  const inForce = history.filter((v) => v.validFrom <= t).at(-1) ?? fallback;
  return computeSubscriptionMrr(inForce.state, input.policy, t).mrr.n > 0n;
}

/** One mark per trialing version of every subscription in `versions` (whole histories). */
export function listTrialMarks(input: {
  versions: readonly SubscriptionVersion[];
  policy: MetricPolicy;
  timeZone: string;
}): TrialMark[] {
  const out: TrialMark[] = [];
  for (const history of groupSubscriptionHistories(input.versions)) {
    history.forEach((v, seq) => {
      if (v.state.status !== "trialing") return;
      const next = history[seq + 1];
      out.push({
        customerId: v.state.customerId,
        subscriptionId: v.state.subscriptionId,
        seq,
        trialFrom: v.validFrom,
        trialEnd: v.state.trialEnd,
        nextFrom: next?.validFrom ?? null,
        laterTrialFrom: history.slice(seq + 1).find((w) => w.state.status === "trialing")?.validFrom ?? null,
        convertedAtNext: next ? convertedAt(history, v, next.validFrom, input) : false,
        convertedAtTrialEnd:
          v.state.trialEnd === null ? false : convertedAt(history.slice(0, seq + 1), v, v.state.trialEnd, input),
      });
    });
  }
  return out;
}
