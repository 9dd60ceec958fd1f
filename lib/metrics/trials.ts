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
