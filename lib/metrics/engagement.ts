/**
 * Product usage KPIs of metrics.md §4.3 and the engagement score of §4.5, all from `product_activity` over the
 * 30 days D−29…D.
 */
import type { KpiOutput, KpiSettings, ProductActivityRecord, RatioBreakdown } from "./kpi-inputs";
import {
  addDays,
  addR,
  divR,
  minR,
  mulR,
  roundR,
  sumR,
  toRational,
  toRationalFromNumber,
  toRatio,
  type Rational,
} from "./kpi-math";
import type { Day } from "./types";

function toDailyUsers(activity: readonly ProductActivityRecord[], from: Day, to: Day): Map<Day, Set<string>> {
  const byDay = new Map<Day, Set<string>>();
  for (const record of activity) {
    if (record.day < from || record.day > to) continue;
    let users = byDay.get(record.day);
    if (!users) byDay.set(record.day, (users = new Set()));
    users.add(record.userId);
  }
  return byDay;
}

const distinctUsers = (byDay: Map<Day, Set<string>>, from: Day, to: Day) => {
  const users = new Set<string>();
  for (const [day, set] of byDay) if (day >= from && day <= to) for (const user of set) users.add(user);
  return users.size;
};

/** `dau`, `wau`, `mau`: distinct `userId` with activity on D, on D−6…D, on D−29…D. Empty → 0. */
export function computeActiveUsers(input: {
  activity: readonly ProductActivityRecord[];
  asOf: Day;
}): KpiOutput<{ dau: number; wau: number; mau: number }, Record<string, never>> {
  const byDay = toDailyUsers(input.activity, addDays(input.asOf, -29), input.asOf);
  return {
    value: {
      dau: distinctUsers(byDay, input.asOf, input.asOf),
      wau: distinctUsers(byDay, addDays(input.asOf, -6), input.asOf),
      mau: distinctUsers(byDay, addDays(input.asOf, -29), input.asOf),
    },
    breakdown: {},
  };
}

/**
 * `stickiness` = (mean over the 30 days D−29…D of each day's distinct users, days without activity counting 0) ÷ mau,
 * i.e. Σ daily distinct users ÷ (30 × mau). mau = 0 → null.
 */
export function computeStickiness(input: {
  activity: readonly ProductActivityRecord[];
  asOf: Day;
}): KpiOutput<number | null, RatioBreakdown> {
  const from = addDays(input.asOf, -29);
  const byDay = toDailyUsers(input.activity, from, input.asOf);
  const dailySum = [...byDay.values()].reduce((sum, users) => sum + users.size, 0);
  const mau = distinctUsers(byDay, from, input.asOf);
  return { value: toRatio(dailySum, 30 * mau), breakdown: { numerator: dailySum, denominator: 30 * mau } };
}

/** A paying customer as the engagement score needs it. */
export type EngagementCustomer = {
  customerId: string;
  /** Σ quantity of the customer's counted licensed items; values below 1 count as 1. */
  seats: number;
};

export type EngagementRow = {
  customerId: string;
  /** The integer 0–100 shown per customer. */
  score: number;
  activeDays: number;
  activeUsers: number;
  seats: number;
  keyActionsUsed: number;
  /** Component values 0–1, to 4 decimals: frequency F, breadth B, key actions K. */
  frequency: number;
  breadth: number;
  keyActions: number;
};

export type EngagementInput = {
  activity: readonly ProductActivityRecord[];
  customers: readonly EngagementCustomer[];
  asOf: Day;
  settings: Pick<KpiSettings, "engagementWeights" | "engagementTargetActiveDays" | "keyActions">;
};

/**
 * Per-customer engagement with the exact score kept as a fraction, for KPIs built on it (health, the workspace
 * mean: §1.3 says composites use exact values). Not for API bodies: a Rational holds BigInts, which JSON can't carry.
 */
export function toEngagementRows(input: EngagementInput): (EngagementRow & { exact: Rational })[] {
  const from = addDays(input.asOf, -29);
  const usage = new Map<string, { days: Set<Day>; users: Set<string>; actions: Set<string> }>();
  for (const record of input.activity) {
    if (record.day < from || record.day > input.asOf) continue;
    let entry = usage.get(record.customerId);
    if (!entry) usage.set(record.customerId, (entry = { days: new Set(), users: new Set(), actions: new Set() }));
    entry.days.add(record.day);
    entry.users.add(record.userId);
    if (record.action) entry.actions.add(record.action);
  }
  const { engagementWeights: w, engagementTargetActiveDays: target, keyActions } = input.settings;
  const one = toRational(1n);
  return input.customers.map((customer) => {
    const entry = usage.get(customer.customerId);
    const activeDays = entry?.days.size ?? 0;
    const activeUsers = entry?.users.size ?? 0;
    const seats = Math.max(1, customer.seats);
    const keyActionsUsed = keyActions.filter((action) => entry?.actions.has(action)).length;
    const f = minR(one, divR(activeDays, target) ?? one);
    const b = minR(one, divR(activeUsers, seats) ?? one);
    const k = divR(keyActionsUsed, keyActions.length) ?? toRational(0n);
    const weighted = sumR([
      mulR(f, toRationalFromNumber(w.frequency)),
      mulR(b, toRationalFromNumber(w.breadth)),
      mulR(k, toRationalFromNumber(w.keyActions)),
    ]);
    const exact = mulR(weighted, 100);
    return {
      customerId: customer.customerId,
      score: roundR(exact),
      exact,
      activeDays,
      activeUsers,
      seats,
      keyActionsUsed,
      frequency: roundR(f, 4),
      breadth: roundR(b, 4),
      keyActions: roundR(k, 4),
    };
  });
}

/**
 * `engagementScore` per paying customer over D−29…D (§4.5):
 * F = min(1, activeDays ÷ engagementTargetActiveDays); B = min(1, activeUsers ÷ max(1, seats));
 * K = keyActionsUsed ÷ #keyActions (0 when the list is empty); score = round(100 × (wF·F + wB·B + wK·K)).
 * The workspace value is the mean of the exact per-customer scores, 4 decimals; no paying customers → null.
 * Reads `engagementWeights`, `engagementTargetActiveDays`, `keyActions`.
 */
export function computeEngagementScores(
  input: EngagementInput,
): KpiOutput<number | null, { customers: EngagementRow[] }> {
  const rows = toEngagementRows(input);
  const mean = divR(
    rows.reduce((total, row) => addR(total, row.exact), toRational(0n)),
    rows.length,
  );
  return {
    value: mean === null ? null : roundR(mean, 4),
    breakdown: { customers: rows.map(({ exact: _exact, ...row }) => row) },
  };
}
