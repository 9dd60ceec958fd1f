import type { MoverCounts } from "@/db/queries/mrr";
import {
  countChurnFromTotals,
  stocks,
  withCohortEntrants,
  type DailyTotals,
  type TotalsInput,
  type WindowCorrection,
} from "@/lib/metrics/headline-totals";
import { ratio } from "@/lib/metrics/money";
import type { MovementPeriod } from "@/lib/metrics/movement-periods";
import type { MetricPolicy } from "@/lib/metrics/policy";
import { addDays, listPeriods, startOfPeriod, type Interval } from "@/lib/metrics/time";
import type { Day } from "@/lib/metrics/types";

export type PeriodPoint = MovementPeriod & {
  arr: number;
  customerChurnRate: number | null;
  grossRevenueChurnRate: number | null;
  nrr: number | null;
  grr: number | null;
};

/** The periods of the view over [from, to], each cut to the range: the chart's points and their windows. */
export function listPointWindows(range: { from: Day; to: Day; interval: Interval }): [Day, Day][] {
  return listPeriods(range.from, range.to, range.interval).map((p) => [p.start, p.end]);
}

/**
 * The finance chart's points from totals (ADR 0009), the values computePeriodPoints (testing/reference.ts) gives from the whole ledger
 * (dashboard.int.test.ts checks both): per period, start and end MRR and the movements from the daily sums, the
 * distinct movers from `movers`, and the retention over S (customers paying at the end of the day before the
 * period) as the headline computes it for its period: totals minus the entrants' corrections.
 */
export function computePointsFromTotals(input: {
  daily: readonly DailyTotals[];
  /** Keyed `${start}|${end}`, one per listPointWindows window: the customers the database names (ADR 0010). */
  windows: ReadonlyMap<string, WindowCorrection>;
  /** The view's cohort sums up to range.to's month, and its rows after range.to in that month. */
  cohorts: TotalsInput["cohorts"];
  cohortTail: TotalsInput["cohortTail"];
  movers: readonly MoverCounts[];
  policy: Pick<MetricPolicy, "arr" | "churnRateBasis">;
  range: { from: Day; to: Day; interval: "day" | "week" | "month" | "quarter" };
}): PeriodPoint[] {
  const { stockAt, flow: flowOf } = stocks(input.daily);
  const movers = new Map(input.movers.map((m) => [m.periodKey, m]));
  const sums = { cohorts: input.cohorts, cohortTail: input.cohortTail, asOf: input.range.to };
  return listPointWindows(input.range).map(([start, end]) => {
    const named = input.windows.get(`${start}|${end}`);
    if (!named) throw new Error(`no window correction for ${start}..${end}`);
    const w = withCohortEntrants(named, sums, start, end);
    const before = stockAt(addDays(start, -1));
    const after = stockAt(end);
    const flow = flowOf(start, end);
    const m = movers.get(startOfPeriod(start, input.range.interval));
    const startMrr = before.mrrDelta;
    const lost = flow.contraction - w.contraction + (flow.churn - w.churn);
    const gained = flow.expansion - w.expansion + (flow.reactivation - w.reactivation);
    const churn = countChurnFromTotals(w, before, after, input.policy);
    return {
      start,
      end,
      startMrr,
      new: flow.new,
      expansion: flow.expansion,
      contraction: flow.contraction,
      churn: flow.churn,
      reactivation: flow.reactivation,
      fxImpact: flow.fxImpact,
      endMrr: after.mrrDelta,
      newCustomers: m?.newCustomers ?? 0,
      reactivatedCustomers: m?.reactivatedCustomers ?? 0,
      expandedCustomers: m?.expandedCustomers ?? 0,
      contractedCustomers: m?.contractedCustomers ?? 0,
      churnedCustomers: m?.churnedCustomers ?? 0,
      arr: 12 * (input.policy.arr === "annualContractsOnly" ? after.annualDelta : after.mrrDelta),
      customerChurnRate: ratio(churn.numerator, churn.denominator),
      grossRevenueChurnRate: ratio(-lost, startMrr),
      nrr: ratio(startMrr + gained + lost, startMrr),
      grr: ratio(startMrr + lost, startMrr),
    };
  });
}
