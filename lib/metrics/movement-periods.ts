/**
 * Period aggregation of the change ledger (metrics.md §3.2): start MRR, the five movements, fxImpact and end MRR,
 * with the distinct customers behind each and the rows for drill-down.
 */
import { buildMrrLedger, type MovementKind, type MrrChange } from "./movements";
import type { CustomerMrrDay } from "./mrr-series";
import type { MetricPolicy } from "./policy";
import { addDays, listPeriods, type Interval } from "./time";
import type { Day } from "./types";

export type MovementPeriod = {
  start: Day;
  end: Day;
  startMrr: number;
  new: number;
  expansion: number;
  contraction: number;
  churn: number;
  reactivation: number;
  fxImpact: number;
  endMrr: number;
  newCustomers: number;
  reactivatedCustomers: number;
  expandedCustomers: number;
  contractedCustomers: number;
  churnedCustomers: number;
};

/** A ledger row behind a period's number (for drill-down to the customer and its events). */
export type MovementRow = {
  customerId: string;
  day: Day;
  kind: MovementKind | "fxImpact";
  amount: number;
  eventIds: string[];
};

export type MovementPeriodsResult = {
  value: MovementPeriod[];
  breakdown: {
    periods: {
      start: Day;
      end: Day;
      rows: MovementRow[];
      /** Parts left out of endMrr for lack of an FX rate (original minor units), and whether any were. */
      unconverted: Record<string, number>;
      incomplete: boolean;
    }[];
  };
};

const COUNT_KEY = {
  new: "newCustomers",
  reactivation: "reactivatedCustomers",
  expansion: "expandedCustomers",
  contraction: "contractedCustomers",
  churn: "churnedCustomers",
} as const satisfies Record<MovementKind, keyof MovementPeriod>;

function emptyPeriod(start: Day, end: Day, startMrr: number): MovementPeriod {
  return {
    start,
    end,
    startMrr,
    new: 0,
    expansion: 0,
    contraction: 0,
    churn: 0,
    reactivation: 0,
    fxImpact: 0,
    endMrr: startMrr,
    newCustomers: 0,
    reactivatedCustomers: 0,
    expandedCustomers: 0,
    contractedCustomers: 0,
    churnedCustomers: 0,
  };
}

/**
 * Either the ledger rows (what the database stores), or per-customer series plus the policy to classify them.
 */
export type MovementPeriodsInput = { from: Day; to: Day; interval: Interval } & (
  | { changes: readonly MrrChange[] }
  | {
      customers: readonly { customerId: string; series: readonly CustomerMrrDay[] }[];
      policy: Pick<MetricPolicy, "reactivationWindowDays">;
    }
);

/**
 * Aggregates ledger rows into calendar periods of `interval` over [from, to] (each cut to that range).
 * startMrr(P) = Σ customers' m(day before P) (their latest row before P); each movement type is the sum of its
 * daily rows in P; endMrr(P) = Σ m(last day of P). So per customer and per period
 * `startMrr + new + expansion + contraction + churn + reactivation + fxImpact = endMrr` and
 * endMrr(P) = startMrr(next P), provided each customer's rows chain (`previousMrr` = the prior row's `mrr`).
 * `changes` must hold, per customer, at least its latest row before `from` and every row up to `to`.
 * The SQL layer may run the same sums; these are the rules.
 */
export function computeMovementPeriods(input: MovementPeriodsInput): MovementPeriodsResult {
  const changes = "changes" in input ? input.changes : buildMrrLedger(input.customers, input.policy);
  const rows = [...changes]
    .filter((c) => c.day <= input.to)
    .sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
  const current = new Map<string, number>();
  const withUnconverted = new Map<string, Record<string, number>>();
  let total = 0;
  let i = 0;
  const advanceTo = (lastDay: Day, onRow?: (row: MrrChange) => void) => {
    for (; i < rows.length; i++) {
      const row = rows[i];
      if (!row || row.day > lastDay) break;
      total += row.mrr - (current.get(row.customerId) ?? 0);
      current.set(row.customerId, row.mrr);
      if (row.unconverted) withUnconverted.set(row.customerId, row.unconverted);
      else withUnconverted.delete(row.customerId);
      onRow?.(row);
    }
  };
  advanceTo(addDays(input.from, -1));
  const value: MovementPeriod[] = [];
  const breakdown: MovementPeriodsResult["breakdown"] = { periods: [] };
  for (const p of listPeriods(input.from, input.to, input.interval)) {
    const period = emptyPeriod(p.start, p.end, total);
    const seen: Record<MovementKind, Set<string>> = {
      new: new Set(),
      expansion: new Set(),
      contraction: new Set(),
      churn: new Set(),
      reactivation: new Set(),
    };
    const detail: MovementRow[] = [];
    advanceTo(p.end, (row) => {
      if (row.kind) {
        period[row.kind] += row.amount;
        seen[row.kind].add(row.customerId);
        detail.push({
          customerId: row.customerId,
          day: row.day,
          kind: row.kind,
          amount: row.amount,
          eventIds: row.eventIds,
        });
      }
      if (row.fxImpact !== 0) {
        period.fxImpact += row.fxImpact;
        detail.push({ customerId: row.customerId, day: row.day, kind: "fxImpact", amount: row.fxImpact, eventIds: [] });
      }
    });
    period.endMrr = total;
    for (const k of Object.keys(COUNT_KEY) as MovementKind[]) period[COUNT_KEY[k]] = seen[k].size;
    value.push(period);
    const unconverted: Record<string, number> = {};
    for (const parts of withUnconverted.values())
      for (const [cur, amount] of Object.entries(parts)) unconverted[cur] = (unconverted[cur] ?? 0) + amount;
    const incomplete = Object.keys(unconverted).length > 0;
    breakdown.periods.push({ start: p.start, end: p.end, rows: detail, unconverted, incomplete });
  }
  return { value, breakdown };
}
