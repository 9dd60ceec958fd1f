import { describe, expect, it } from "vitest";
import type { MrrChange } from "./movements";
import { annotateLedger, diffRollups, flagsOf } from "./rollup";

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
