/**
 * MRR movements per customer per day (metrics.md §3.1, §3.4) and the change ledger the database stores.
 */
import type { CustomerMrrDay } from "./mrr-series";
import type { MetricPolicy } from "./policy";
import { diffDays } from "./time";
import type { Day } from "./types";

export type MovementKind = "new" | "expansion" | "contraction" | "churn" | "reactivation";
/** The movement kinds in display order. */
export const MOVEMENT_KINDS: readonly MovementKind[] = ["new", "expansion", "contraction", "churn", "reactivation"];

/**
 * One row of the per-customer change ledger: one per customer per local day on which its end-of-day state changes.
 * Invariant: `previousMrr + amount + fxImpact = mrr`. The database stores these rows (key: customerId, day); every
 * period aggregate is a sum over them.
 */
export type MrrChange = {
  customerId: string;
  day: Day;
  /** m(d): customer MRR at the end of `day`, reporting currency minor units. */
  mrr: number;
  /** m(d−1): the previous row's `mrr` (0 before the first row). */
  previousMrr: number;
  /** The movement of §3.1, or null when the MRR did not move (e.g. only `trialing` or `annualMrr` changed). */
  kind: MovementKind | null;
  /** Signed movement amount: churn and contraction are negative; 0 when `kind` is null. */
  amount: number;
  /** FX revaluation under `fxRate: "daily"` (§3.4); always 0 under `lastChange`. */
  fxImpact: number;
  annualMrr: number;
  /** Committed MRR at the end of `day` (§4.1 `cmrr`), and its part billed yearly or longer. */
  cmrr: number;
  annualCmrr: number;
  trialing: boolean;
  /** For a churn: caused by a payment failure (unpaid, past_due auto-churn, canceled for payment_failed). */
  involuntary: boolean;
  eventIds: string[];
  unconverted?: Record<string, number>;
  warnings: string[];
};

/**
 * §3.1: the movement from `previous` = m(d−1) to `current` = m(d). From 0 to > 0 it is `new` for a customer never
 * paying before, `reactivation` when the gap (days since the current zero run began) is within
 * `reactivationWindowDays` (null = unlimited), else `new` again. > 0 to 0 is `churn` (−previous); up is
 * `expansion`, down `contraction`; equal is no movement.
 */
export function classifyMovement(
  previous: number,
  current: number,
  history: { everPaid: boolean; gapDays: number | null },
  reactivationWindowDays: number | null,
): { kind: MovementKind | null; amount: number } {
  if (previous === current) return { kind: null, amount: 0 };
  if (previous <= 0 && current > 0) {
    const within =
      history.everPaid &&
      (reactivationWindowDays === null || (history.gapDays !== null && history.gapDays <= reactivationWindowDays));
    return { kind: within ? "reactivation" : "new", amount: current };
  }
  if (previous > 0 && current <= 0) return { kind: "churn", amount: -previous };
  if (previous > 0 && current > previous) return { kind: "expansion", amount: current - previous };
  if (previous > 0 && current < previous) return { kind: "contraction", amount: current - previous };
  return { kind: null, amount: 0 };
}

/**
 * Turns a customer's series into ledger rows. Under `fxRate: "daily"` the movement is measured from the previous
 * parts at today's rates (`prevAtToday`) and the rest is `fxImpact` (§3.4); under `lastChange` fxImpact is 0.
 * Policy read: `reactivationWindowDays`.
 */
export function toMrrChanges(
  customerId: string,
  series: readonly CustomerMrrDay[],
  policy: Pick<MetricPolicy, "reactivationWindowDays">,
): MrrChange[] {
  const out: MrrChange[] = [];
  let previous = 0;
  let everPaid = false;
  let zeroSince: Day | null = null;
  for (const row of series) {
    const base = row.previousMrrAtCurrentRates;
    const gapDays = zeroSince === null ? null : diffDays(zeroSince, row.day);
    const movement = classifyMovement(base, row.mrr, { everPaid, gapDays }, policy.reactivationWindowDays);
    const change: MrrChange = {
      customerId,
      day: row.day,
      mrr: row.mrr,
      previousMrr: previous,
      kind: movement.kind,
      amount: movement.amount,
      fxImpact: base - previous,
      annualMrr: row.annualMrr,
      cmrr: row.cmrr,
      annualCmrr: row.annualCmrr,
      trialing: row.trialing,
      involuntary: movement.kind === "churn" && row.involuntary,
      eventIds: row.eventIds,
      warnings: row.warnings,
    };
    if (row.unconverted) change.unconverted = row.unconverted;
    out.push(change);
    if (row.mrr > 0) {
      everPaid = true;
      zeroSince = null;
    } else if (previous > 0) {
      zeroSince = row.day; // the current run of zero MRR starts here (the gap of §3.1 counts from it)
    }
    previous = row.mrr;
  }
  return out;
}

/** Builds the whole ledger from per-customer series (a convenience for tests and the rebuild job). */
export function buildMrrLedger(
  customers: readonly { customerId: string; series: readonly CustomerMrrDay[] }[],
  policy: Pick<MetricPolicy, "reactivationWindowDays">,
): MrrChange[] {
  return customers.flatMap((c) => toMrrChanges(c.customerId, c.series, policy));
}
