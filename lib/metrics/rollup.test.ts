import { describe, expect, it } from "vitest";
import type { MrrChange } from "./movements";
import { annotateLedger, diffRollups, emptyRollupDelta, flagsOf, mergeRollupDelta } from "./rollup";

const STALE = "stale_fx_rate:eur:2026-01-01";
const row = (day: string, mrr: number, previousMrr: number, flags: Partial<MrrChange> = {}): MrrChange => ({
  customerId: "cus_a",
  day,
  mrr,
  previousMrr,
  kind: previousMrr === 0 ? "new" : mrr > previousMrr ? "expansion" : "contraction",
  amount: mrr - previousMrr,
  fxImpact: 0,
  annualMrr: 0,
  cmrr: mrr,
  annualCmrr: 0,
  trialing: false,
  involuntary: false,
  eventIds: [],
  warnings: [],
  ...flags,
});

// January: a stale EUR rate and a GBP part left unconverted (no rate). February: the rate is still stale, the GBP
// part converts. March: both gone.
const january = row("2026-01-10", 1000, 0, { warnings: [STALE], unconverted: { gbp: 500 } });
const february = row("2026-02-05", 1500, 1000, { warnings: [STALE] });
const march = row("2026-03-01", 1200, 1500);

describe("flag rollup deltas (mrr_flag_daily)", () => {
  it("names a row's warnings and unconverted parts", () => {
    expect(flagsOf(january)).toEqual([
      [`warning:${STALE}`, 0],
      ["unconverted:gbp", 500],
    ]);
    expect(flagsOf(march)).toEqual([]);
  });

  it("adds each flag on its row's day and takes it away on the next row's day; a flag carried over nets to nothing", () => {
    const { flags } = diffRollups([], annotateLedger([january, february, march]));
    expect(Object.fromEntries(flags)).toEqual({
      [`2026-01-10|warning:${STALE}`]: { rows: 1, amount: 0 },
      "2026-01-10|unconverted:gbp": { rows: 1, amount: 500 },
      // 2026-02-05: January's warning ends and February's starts, so no entry.
      "2026-02-05|unconverted:gbp": { rows: -1, amount: -500 },
      [`2026-03-01|warning:${STALE}`]: { rows: -1, amount: 0 },
    });
  });

  it("moves by the difference when the customer's rows are replaced", () => {
    // March's row goes away: February's row is in force for good, so its warning no longer ends on 2026-03-01.
    const before = annotateLedger([january, february, march]);
    const after = annotateLedger([january, february]);
    expect(Object.fromEntries(diffRollups(before, after).flags)).toEqual({
      [`2026-03-01|warning:${STALE}`]: { rows: 1, amount: 0 },
    });
  });
});

describe("a sum of rollup deltas (a policy change computed in parts)", () => {
  const a = annotateLedger([january, february, march]);
  const b = annotateLedger([january, february]);
  const c = annotateLedger([row("2026-01-10", 800, 0), row("2026-02-05", 1500, 800, { warnings: [STALE] })]);
  const plain = (d: ReturnType<typeof diffRollups>) => ({
    daily: Object.fromEntries(d.daily),
    cohorts: Object.fromEntries(d.cohorts),
    flags: Object.fromEntries(d.flags),
  });

  it("a → b then b → c is a → c, and the zero entries are gone", () => {
    const sum = mergeRollupDelta(mergeRollupDelta(emptyRollupDelta(), diffRollups(a, b)), diffRollups(b, c));
    expect(plain(sum)).toEqual(plain(diffRollups(a, c)));
    // January: 1000 → 800 of MRR (new 1000 → 800, one member of 2026-01 with 800 initial); its GBP part goes.
    expect(sum.daily.get("2026-01-10")).toMatchObject({ mrrDelta: -200, new: -200, initialMrr: -200 });
    // March's contraction of 300 goes; the stale warning now never ends, and nothing nets to zero there.
    expect(sum.daily.get("2026-03-01")).toMatchObject({ mrrDelta: 300, contraction: 300 });
    expect(sum.flags.get("2026-01-10|unconverted:gbp")).toEqual({ rows: -1, amount: -500 });
    expect(sum.flags.has("2026-02-05|unconverted:gbp")).toBe(true);
  });

  it("taking a part out again (sign −1) leaves what the others add", () => {
    const sum = mergeRollupDelta(emptyRollupDelta(), diffRollups(a, b));
    mergeRollupDelta(sum, diffRollups(b, c));
    mergeRollupDelta(sum, diffRollups(b, c), -1);
    expect(plain(sum)).toEqual(plain(diffRollups(a, b)));
    mergeRollupDelta(sum, diffRollups(a, b), -1);
    expect(plain(sum)).toEqual({ daily: {}, cohorts: {}, flags: {} });
  });
});
