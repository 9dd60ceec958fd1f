/**
 * Workspace totals kept beside the change ledger (docs/decisions/0009-kpi-rollups.md). Each ledger row adds a
 * fixed contribution to the totals of its day (and of its cohort and month), so a stock as of D is the sum of the
 * days up to D and a flow over P the sum of P's days. Replacing a customer's rows subtracts the old contributions
 * and adds the new ones.
 */
import { isPayingRow } from "./ledger";
import { MOVEMENT_KINDS, type MovementKind, type MrrChange } from "./movements";
import type { Day } from "./types";

/** What a ledger row adds to the totals besides its own columns: deltas against the customer's previous row. */
export type RowAnnotation = {
  annualDelta: number;
  cmrrDelta: number;
  annualCmrrDelta: number;
  payingDelta: number;
  trialingDelta: number;
  cohort: string | null;
  firstNew: boolean;
  /** The day of the customer's next row (null on its last): the row is in force on [day, nextDay). */
  nextDay: Day | null;
  /**
   * On a row that takes m from ≤ 0 to > 0 after the customer had paid before: the day m last fell to ≤ 0 (the
   * customer was not paying on [zeroSince, day)). Null on every other row.
   */
  zeroSince: Day | null;
};

export type AnnotatedChange = MrrChange & RowAnnotation;

function isTrialingOnly(row: MrrChange | undefined): boolean {
  return !!row?.trialing && !isPayingRow(row);
}

/**
 * Annotates ledger rows (any customers, any order) with their deltas against each customer's previous row and
 * the customer's cohort: the month of its first `new` movement, set on all of the customer's rows, the day of
 * the customer's next row, and on a return to paying the day the customer stopped paying.
 */
export function annotateLedger(rows: readonly MrrChange[]): AnnotatedChange[] {
  const byCustomer = new Map<string, MrrChange[]>();
  for (const r of rows) {
    const list = byCustomer.get(r.customerId) ?? [];
    list.push(r);
    byCustomer.set(r.customerId, list);
  }
  const out: AnnotatedChange[] = [];
  for (const list of byCustomer.values()) {
    list.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
    const first = list.find((r) => r.kind === "new");
    const cohort = first ? first.day.slice(0, 7) : null;
    let previous: MrrChange | undefined;
    let fellOn: Day | null = null;
    for (const [i, row] of list.entries()) {
      if (row.previousMrr > 0 && row.mrr <= 0) fellOn = row.day;
      out.push({
        ...row,
        annualDelta: row.annualMrr - (previous?.annualMrr ?? 0),
        cmrrDelta: row.cmrr - (previous?.cmrr ?? 0),
        annualCmrrDelta: row.annualCmrr - (previous?.annualCmrr ?? 0),
        payingDelta: Number(isPayingRow(row)) - Number(isPayingRow(previous)),
        trialingDelta: Number(isTrialingOnly(row)) - Number(isTrialingOnly(previous)),
        cohort,
        firstNew: row === first,
        nextDay: list[i + 1]?.day ?? null,
        zeroSince: row.previousMrr <= 0 && row.mrr > 0 ? fellOn : null,
      });
      previous = row;
    }
  }
  return out;
}

export type RollupTotals = {
  mrrDelta: number;
  annualDelta: number;
  cmrrDelta: number;
  annualCmrrDelta: number;
  positiveDelta: number;
  payingDelta: number;
  trialingDelta: number;
  fxImpact: number;
  involuntaryChurn: number;
  members: number;
  initialMrr: number;
} & Record<MovementKind, number>;

export const ROLLUP_KEYS = [
  "mrrDelta",
  "annualDelta",
  "cmrrDelta",
  "annualCmrrDelta",
  "positiveDelta",
  "payingDelta",
  "trialingDelta",
  ...MOVEMENT_KINDS,
  "fxImpact",
  "involuntaryChurn",
  "members",
  "initialMrr",
] as const satisfies readonly (keyof RollupTotals)[];

const ZERO: RollupTotals = Object.freeze(Object.fromEntries(ROLLUP_KEYS.map((k) => [k, 0])) as RollupTotals);

export function emptyTotals(): RollupTotals {
  // A copy of one object literal's shape: read in hot loops, so every totals object keeps the same hidden class.
  return { ...ZERO };
}

/** The row's contribution to the totals of its day. */
export function contributionOf(row: AnnotatedChange): RollupTotals {
  const t = emptyTotals();
  t.mrrDelta = row.mrr - row.previousMrr;
  t.annualDelta = row.annualDelta;
  t.cmrrDelta = row.cmrrDelta;
  t.annualCmrrDelta = row.annualCmrrDelta;
  t.positiveDelta = Number(row.mrr > 0) - Number(row.previousMrr > 0);
  t.payingDelta = row.payingDelta;
  t.trialingDelta = row.trialingDelta;
  if (row.kind) t[row.kind] = row.amount;
  t.fxImpact = row.fxImpact;
  t.involuntaryChurn = row.kind === "churn" && row.involuntary ? row.amount : 0;
  t.members = row.firstNew ? 1 : 0;
  t.initialMrr = row.firstNew ? row.amount : 0;
  return t;
}

export function addInto(target: RollupTotals, t: RollupTotals, sign: 1 | -1 = 1): RollupTotals {
  for (const k of ROLLUP_KEYS) target[k] += sign * t[k];
  return target;
}

function isZero(t: RollupTotals): boolean {
  return ROLLUP_KEYS.every((k) => t[k] === 0);
}

/** A change to mrr_flag_daily: rows in force carrying a flag, and their unconverted amount. */
export type FlagTotals = { rows: number; amount: number };

export type RollupDelta = {
  daily: Map<Day, RollupTotals>;
  /** Key `${cohort}|${month}`. */
  cohorts: Map<string, RollupTotals>;
  /** Key `${day}|${flag}`: flag `warning:<text>` or `unconverted:<currency>` (see `flagsOf`). */
  flags: Map<string, FlagTotals>;
};

/** The flags a ledger row carries while it is in force, with the unconverted amount of each (0 for a warning). */
export function flagsOf(row: Pick<AnnotatedChange, "warnings" | "unconverted">): [string, number][] {
  const out: [string, number][] = row.warnings.map((w) => [`warning:${w}`, 0]);
  for (const [currency, amount] of Object.entries(row.unconverted ?? {})) out.push([`unconverted:${currency}`, amount]);
  return out;
}

/** The change to the rollups when `removed` rows leave the ledger and `added` rows enter it; zero entries dropped. */
export function diffRollups(removed: readonly AnnotatedChange[], added: readonly AnnotatedChange[]): RollupDelta {
  const daily = new Map<Day, RollupTotals>();
  const cohorts = new Map<string, RollupTotals>();
  const put = (row: AnnotatedChange, sign: 1 | -1) => {
    const c = contributionOf(row);
    addInto(daily.get(row.day) ?? daily.set(row.day, emptyTotals()).get(row.day)!, c, sign);
    if (row.cohort) {
      const key = `${row.cohort}|${row.day.slice(0, 7)}`;
      addInto(cohorts.get(key) ?? cohorts.set(key, emptyTotals()).get(key)!, c, sign);
    }
  };
  // A row's flags are in force on [day, nextDay): added on its day, taken away on the next row's day.
  const flags = new Map<string, FlagTotals>();
  const flag = (day: Day, name: string, rows: number, amount: number) => {
    const key = `${day}|${name}`;
    const t = flags.get(key) ?? flags.set(key, { rows: 0, amount: 0 }).get(key)!;
    t.rows += rows;
    t.amount += amount;
  };
  const putFlags = (row: AnnotatedChange, sign: 1 | -1) => {
    for (const [name, amount] of flagsOf(row)) {
      flag(row.day, name, sign, sign * amount);
      if (row.nextDay) flag(row.nextDay, name, -sign, -sign * amount);
    }
  };
  for (const r of removed) {
    put(r, -1);
    putFlags(r, -1);
  }
  for (const r of added) {
    put(r, 1);
    putFlags(r, 1);
  }
  for (const [k, t] of daily) if (isZero(t)) daily.delete(k);
  for (const [k, t] of cohorts) if (isZero(t)) cohorts.delete(k);
  for (const [k, t] of flags) if (t.rows === 0 && t.amount === 0) flags.delete(k);
  return { daily, cohorts, flags };
}

/** Adds `sign` × `delta` into `target` (a sum of deltas, as a change computed in parts keeps); zero entries dropped. */
export function mergeRollupDelta(target: RollupDelta, delta: RollupDelta, sign: 1 | -1 = 1): RollupDelta {
  const totals = (into: Map<string, RollupTotals>, from: Map<string, RollupTotals>) => {
    for (const [k, t] of from) {
      const sum = addInto(into.get(k) ?? emptyTotals(), t, sign);
      if (isZero(sum)) into.delete(k);
      else into.set(k, sum);
    }
  };
  totals(target.daily, delta.daily);
  totals(target.cohorts, delta.cohorts);
  for (const [k, t] of delta.flags) {
    const sum = target.flags.get(k) ?? { rows: 0, amount: 0 };
    sum.rows += sign * t.rows;
    sum.amount += sign * t.amount;
    if (sum.rows === 0 && sum.amount === 0) target.flags.delete(k);
    else target.flags.set(k, sum);
  }
  return target;
}

export const emptyRollupDelta = (): RollupDelta => ({ daily: new Map(), cohorts: new Map(), flags: new Map() });

/** What the ledger rows in force at the end of a day carry: Σ unconverted per currency ({} when none) and warnings. */
export type FlagsInForce = { unconverted: Record<string, number>; warnings: string[] };

/**
 * The flags in force at the end of each of `days` (ascending), from the changes of mrr_flag_daily in day order: a
 * flag holds while the rows carrying it add up to more than 0, as `sumFlaggedAsOf` reads it for one day.
 */
export function flagsAtDays(
  changes: readonly { day: Day; flag: string; rows: number; amount: number }[],
  days: readonly Day[],
): FlagsInForce[] {
  const running = new Map<string, FlagTotals>();
  let i = 0;
  return days.map((day) => {
    for (; i < changes.length && changes[i]!.day <= day; i++) {
      const c = changes[i]!;
      const t = running.get(c.flag) ?? running.set(c.flag, { rows: 0, amount: 0 }).get(c.flag)!;
      t.rows += c.rows;
      t.amount += c.amount;
    }
    return flagsInForce(running);
  });
}

/**
 * The flags of mrr_flag_daily summed up to a day (`flagsOf` names them): those whose rows add up to more than 0 are
 * in force, a warning as its text, an unconverted part as its currency's amount. Warnings in flag order.
 */
export function flagsInForce(totals: Iterable<[string, FlagTotals]>): FlagsInForce {
  const unconverted: Record<string, number> = {};
  const warnings: string[] = [];
  for (const [flag, t] of [...totals].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (t.rows <= 0) continue;
    if (flag.startsWith("warning:")) warnings.push(flag.slice("warning:".length));
    else if (flag.startsWith("unconverted:")) unconverted[flag.slice("unconverted:".length)] = t.amount;
  }
  return { unconverted, warnings };
}
