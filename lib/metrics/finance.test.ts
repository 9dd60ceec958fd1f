import { describe, expect, it } from "vitest";
import type { InvoiceRecord } from "./cash";
import { ltvToCacOf, type FinanceInput } from "./finance";
import { computeChange, computeHeadline } from "./headline";
import {
  computeHeadlineFromTotals,
  listNeededWindows,
  type TotalsInput,
  type WindowCorrection,
} from "./headline-totals";
import { indexLedger, rowAsOf } from "./ledger";
import { rat } from "./money";
import { computeMovementPeriods } from "./movement-periods";
import type { MrrChange } from "./movements";
import { defaultKpiSettings, defaultMetricPolicy, type MetricPolicy } from "./policy";
import { annotateLedger, diffRollups } from "./rollup";
import { at, makeItem, makeVersion } from "./testing/builders";
import { changesFor, changesFromSteps } from "./testing/series";
import { addDays, addMonths, resolvePeriod } from "./time";

const headline = (
  changes: MrrChange[],
  asOf: string,
  extra: Partial<FinanceInput> = {},
  policy: Partial<MetricPolicy> = {},
) => computeHeadline({ changes, asOf, policy: { ...defaultMetricPolicy, ...policy }, ...extra });

/**
 * The totals path (headline-totals.ts) over a ledger, default policies and month period, without the trailing year.
 * The database's part of every window is empty unless `named` gives it (keyed `${start}|${end}`): valid only when
 * every customer entering a window is new in one of its whole months (splitWindow), so the cohort sums hold them
 * all. The FX flags are those of the rows in force at asOf and at the end of the day before the period.
 */
const headlineFromTotals = (
  changes: MrrChange[],
  asOf: string,
  extra: Partial<TotalsInput> = {},
  named: Record<string, Partial<WindowCorrection>> = {},
) => {
  const { daily, cohorts } = diffRollups([], annotateLedger(changes));
  const none: WindowCorrection = {
    newCustomers: 0,
    churnedCustomers: null,
    entrants: 0,
    entrantsPayingAtEnd: 0,
    entrantsEndMrr: 0,
    expansion: 0,
    contraction: 0,
    churn: 0,
    reactivation: 0,
    unconvertedTurns: 0,
  };
  const settings = extra.settings ?? defaultKpiSettings;
  const ledgers = [...indexLedger(changes).values()];
  const inForce = (day: string) => ledgers.map((rows) => rowAsOf(rows, day)).filter((r) => r !== undefined);
  const windows = listNeededWindows({ asOf, settings, trailingYear: false }).map(([s, e]) => `${s}|${e}`);
  return computeHeadlineFromTotals({
    asOf,
    policy: defaultMetricPolicy,
    settings,
    trailingYear: false,
    daily: [...daily].map(([day, t]) => ({ ...t, day })).sort((a, b) => (a.day < b.day ? -1 : 1)),
    cohorts: [...cohorts].map(([key, t]) => {
      const [cohort = "", month = ""] = key.split("|");
      return { ...t, cohort, month };
    }),
    cohortTail: [],
    windows: new Map(windows.map((key) => [key, { ...none, ...named[key] }])),
    cash: [],
    failedInvoices: [],
    trials: { ended: 0, converted: 0 },
    flagged: inForce(asOf),
    baseFlagged: inForce(addDays(resolvePeriod(asOf, "month").start, -1)),
    ...extra,
  });
};

describe("C1: logo churn", () => {
  const changes = [
    ...Array.from({ length: 10 }, (_, i) =>
      changesFromSteps(
        `c${i}`,
        i < 2
          ? [
              ["2026-05-01", 1000],
              ["2026-06-10", 0],
            ]
          : [["2026-05-01", 1000]],
      ),
    ).flat(),
    ...changesFromSteps("n0", [
      ["2026-06-05", 1000],
      ["2026-06-20", 0],
    ]),
    ...changesFromSteps("n1", [["2026-06-05", 1000]]),
    ...changesFromSteps("n2", [["2026-06-05", 1000]]),
  ];
  it("C1: 2 of 10 start customers churn: churn rate 2 / 10 = 0.2, retention 8 / 10 = 0.8", () => {
    const h = headline(changes, "2026-06-30");
    expect(h.values.customerChurnRate).toBe(0.2);
    expect(h.values.customerRetentionRate).toBe(0.8);
    expect(h.kpis.customerChurnRate.breakdown).toMatchObject({ numerator: 2, denominator: 10 });
  });
  it("C1: churnRateBasis movements counts every churn over start + new: 3 / (10 + 3) = 0.2308", () => {
    expect(headline(changes, "2026-06-30", {}, { churnRateBasis: "movements" }).values.customerChurnRate).toBe(0.2308);
  });
});

describe("C2: revenue retention", () => {
  const changes = [
    ...changesFromSteps("a", [
      ["2026-05-01", 5000],
      ["2026-06-10", 6500],
    ]),
    ...changesFromSteps("b", [
      ["2026-05-01", 4000],
      ["2026-06-11", 3500],
    ]),
    ...changesFromSteps("c", [
      ["2026-05-01", 1000],
      ["2026-06-12", 0],
    ]),
    ...changesFromSteps("d", [["2026-06-13", 2000]]),
  ];
  const v = headline(changes, "2026-06-30").values;
  it("C2: nrr (10000 + 1500 − 500 − 1000) / 10000 = 1.0; grr (10000 − 500 − 1000) / 10000 = 0.85", () => {
    expect([v.nrr, v.grr]).toEqual([1, 0.85]);
  });
  it("C2: gross revenue churn 1500 / 10000 = 0.15, net revenue churn (1500 − 1500) / 10000 = 0", () => {
    expect([v.grossRevenueChurnRate, v.netRevenueChurnRate]).toEqual([0.15, 0]);
  });
  it("C2: quick ratio (2000 + 1500) / 1500 = 2.3333; netNewMrr 2000 + 1500 − 500 − 1000 = 2000", () => {
    expect([v.quickRatio, v.netNewMrr]).toEqual([2.3333, 2000]);
    expect([v.newMrr, v.expansionMrr, v.contractionMrr, v.churnedMrr, v.reactivationMrr]).toEqual([
      2000, 1500, -500, -1000, 0,
    ]);
  });
});

describe("C3: trailing 12-month NRR", () => {
  it("C3: S12 = {A 1000, B 2000} on 2025-06-30; on 2026-06-30 A 1500, B 0, C 3000 → 1500 / 3000 = 0.5", () => {
    const changes = [
      ...changesFromSteps("A", [
        ["2025-01-10", 1000],
        ["2026-02-01", 1500],
      ]),
      ...changesFromSteps("B", [
        ["2025-03-10", 2000],
        ["2026-01-05", 0],
      ]),
      ...changesFromSteps("C", [["2026-04-01", 3000]]),
    ];
    const h = headline(changes, "2026-06-30");
    expect(h.values.nrrTrailing12m).toBe(0.5);
    expect(h.kpis.nrrTrailing12m.breakdown).toMatchObject({ numerator: 1500, denominator: 3000 });
  });
  it("C3 (leap day): D = 2028-02-29 compares with 2027-02-28", () => {
    expect(addMonths("2028-02-29", -12)).toBe("2027-02-28");
  });
});

describe("C4: LTV", () => {
  // 100 customers at 5000 from Dec 2025; in each month Jan–Jun 2026, two leave on the 15th and two new ones join.
  const changes: MrrChange[] = [];
  let id = 0;
  const active: string[] = [];
  for (; id < 100; id++) active.push(`c${id}`);
  const steps = new Map<string, [string, number][]>(active.map((c) => [c, [["2025-12-01", 5000]]]));
  for (let m = 0; m < 6; m++) {
    const day = addMonths("2026-01-15", m);
    for (const gone of active.splice(0, 2)) steps.get(gone)?.push([day, 0]);
    for (let k = 0; k < 2; k++, id++) {
      steps.set(`c${id}`, [[day, 5000]]);
      active.push(`c${id}`);
    }
  }
  for (const [c, s] of steps) changes.push(...changesFromSteps(c, s));
  const settings = { ...defaultKpiSettings, grossMargin: 0.8 };

  it("C4: ltv = arpa 500000 / 100 × 0.8 ÷ (12 / 600) = 5000 × 0.8 / 0.02 = 200000", () => {
    const h = headline(changes, "2026-06-30", { settings });
    expect([h.values.mrr, h.values.payingCustomers, h.values.arpa]).toEqual([500000, 100, 5000]);
    expect(h.kpis.ltv.breakdown).toMatchObject({ churnNumerator: 12, churnDenominator: 600 });
    expect(h.values.ltv).toBe(200000);
  });
  it("C4: ltvToCac = 200000 ÷ (100000 spend / 2 new = 50000) = 4.0, healthy (≥ 3)", () => {
    const h = headline(changes, "2026-06-30", { settings, marketingSpend: 100000 });
    expect(h.values.ltvToCac).toBe(4);
    expect(h.values.ltvToCacHealthy).toBe(true);
    expect(h.kpis.ltvToCac.breakdown).toMatchObject({ cacBlended: 50000 });
  });
  it("C4: healthy from the exact ratio: 200000 ÷ (133334 / 2) = 400000 / 133334 = 2.999985 → shows 3, not healthy", () => {
    const h = headline(changes, "2026-06-30", { settings, marketingSpend: 133334 });
    expect(h.values.ltvToCac).toBe(3);
    expect(h.values.ltvToCacHealthy).toBe(false);
    expect(headline(changes, "2026-06-30", { settings, marketingSpend: 133333 }).values.ltvToCacHealthy).toBe(true);
  });
  it("C4 from totals: ltv 200000; spend 133334 → ltvToCac 3, not healthy; spend 100000 → 4, healthy", () => {
    const h = headlineFromTotals(changes, "2026-06-30", { settings, marketingSpend: 133334 });
    expect([h.values.ltv, h.values.ltvToCac, h.values.ltvToCacHealthy]).toEqual([200000, 3, false]);
    const four = headlineFromTotals(changes, "2026-06-30", { settings, marketingSpend: 100000 });
    expect([four.values.ltvToCac, four.values.ltvToCacHealthy]).toEqual([4, true]);
  });
  it("C4: on Jun 20 the window is Dec–May; Dec adds nothing (nobody paying at its start), Jan–May 10 / 500 → 200000", () => {
    const h = headline(changes, "2026-06-20", { settings });
    expect(h.kpis.ltv.breakdown).toMatchObject({
      churnNumerator: 10,
      churnDenominator: 500,
      months: ["2025-12", "2026-01", "2026-02", "2026-03", "2026-04", "2026-05"],
    });
    expect(h.values.ltv).toBe(200000);
  });
  it("K2-style payback: spend 60000 ÷ (newMrr 24000 × 0.8) = 3.125 months; margin 1.0 → 2.5", () => {
    const news = [12000, 2000, 10000].flatMap((m, i) => changesFromSteps(`p${i}`, [["2026-06-03", m]]));
    expect(headline(news, "2026-06-30", { settings, marketingSpend: 60000 }).values.cacPaybackMonths).toBe(3.125);
    expect(headline(news, "2026-06-30", { marketingSpend: 60000 }).values.cacPaybackMonths).toBe(2.5);
  });
});

describe("C5: cohort retention", () => {
  it("C5: Jan cohort of 4 at 1000; end of Mar 1000, 1500, 1000, 0 → logo[2] 3 / 4 = 0.75, revenue[2] 3500 / 4000 = 0.875", () => {
    const changes = [
      ...changesFromSteps("a", [["2026-01-05", 1000]]),
      ...changesFromSteps("b", [
        ["2026-01-06", 1000],
        ["2026-02-10", 1500],
      ]),
      ...changesFromSteps("c", [
        ["2026-01-07", 1000],
        ["2026-02-10", 0],
        ["2026-03-10", 1000],
      ]),
      ...changesFromSteps("d", [
        ["2026-01-08", 1000],
        ["2026-03-02", 0],
      ]),
    ];
    const [jan] = headline(changes, "2026-03-31").values.cohortRetention ?? [];
    expect(jan).toMatchObject({ cohort: "2026-01", size: 4, initialMrr: 4000 });
    expect(jan?.logo).toEqual([1, 0.75, 0.75]);
    expect(jan?.revenue).toEqual([1, 0.875, 0.875]);
  });
});

describe("churn split", () => {
  it("splits churned MRR into voluntary and involuntary (unpaid −5000 is involuntary)", () => {
    const changes = changesFor("cus_1", [
      makeVersion(at("2026-03-01T10:00:00Z"), {}),
      makeVersion(at("2026-04-04T10:00:00Z"), { status: "unpaid" }),
    ]);
    expect(headline(changes, "2026-04-30").kpis.churnedMrr.breakdown).toMatchObject({
      voluntary: 0,
      involuntary: -2000,
    });
  });
});

describe("Z1–Z2: zero denominators and empty data", () => {
  it("Z1: no paying customers at start, no losses, c̄ = 0, #N = 0 with spend 5000 → every ratio null", () => {
    const trialOnly = changesFor("cus_t", [makeVersion(at("2026-06-02T10:00:00Z"), { status: "trialing" })]);
    const h = headline(trialOnly, "2026-06-30", { marketingSpend: 5000 });
    for (const key of [
      "customerChurnRate",
      "customerRetentionRate",
      "nrr",
      "grr",
      "quickRatio",
      "ltv",
      "ltvToCac",
      "ltvToCacHealthy",
      "cacPaybackMonths",
      "acvNew",
      "arpa",
    ] as const) {
      expect(h.values[key], key).toBeNull();
    }
    expect(h.kpis.ltvToCac.breakdown).toMatchObject({ cacBlended: null });
    expect(h.values.trialingCustomers).toBe(1);
  });

  it("Z2: an empty workspace: mrr 0, arr 0, 0 paying, arpa null, every key present", () => {
    const h = headline([], "2026-06-20");
    expect(h.values).toMatchObject({
      mrr: 0,
      arr: 0,
      payingCustomers: 0,
      trialingCustomers: 0,
      arpa: null,
      netNewMrr: 0,
      newMrr: 0,
    });
    expect(Object.keys(h.values).sort()).toEqual(Object.keys(h.kpis).sort());
    expect(Object.keys(h.values)).toHaveLength(31);
    expect(h.values.cohortRetention).toEqual([]);
  });

  it("Z2: an empty movements row is all 0 with startMrr = endMrr = 0", () => {
    const [p] = computeMovementPeriods({ changes: [], from: "2026-06-01", to: "2026-06-30", interval: "month" }).value;
    expect(p).toEqual({
      start: "2026-06-01",
      end: "2026-06-30",
      startMrr: 0,
      new: 0,
      expansion: 0,
      contraction: 0,
      churn: 0,
      reactivation: 0,
      fxImpact: 0,
      endMrr: 0,
      newCustomers: 0,
      reactivatedCustomers: 0,
      expandedCustomers: 0,
      contractedCustomers: 0,
      churnedCustomers: 0,
    });
  });
});

describe("ltvToCacHealthy from exact values (§1.3)", () => {
  it("ltv 299996 ÷ cac 100000 = 2.99996 → ltvToCac 3 (4 decimals) but not healthy; 300000 ÷ 100000 = 3 → healthy", () => {
    expect(ltvToCacOf(rat(299996), rat(100000))).toEqual({ value: 3, healthy: false });
    expect(ltvToCacOf(rat(300000), rat(100000))).toEqual({ value: 3, healthy: true });
    expect(ltvToCacOf(rat(299996), rat(0))).toEqual({ value: null, healthy: null });
    expect(ltvToCacOf(null, rat(100000))).toEqual({ value: null, healthy: null });
  });
});

describe("FX flags of recovery and spend in the headline (§1.1)", () => {
  // One usd customer at 1000 from Jun 1; an open eur invoice of 4000 whose first attempt failed on Jun 10, no eur rate.
  const changes = changesFromSteps("a", [["2026-06-01", 1000]]);
  const failedEur: InvoiceRecord = {
    id: "in_eur",
    customerId: "a",
    currency: "eur",
    status: "open",
    amountDue: 4000,
    amountPaid: 0,
    paidAt: null,
    firstFailedAt: at("2026-06-10T08:00:00Z"),
  };
  const failedGroup = { currency: "eur", day: "2026-06-10", due: 4000, recovered: 0, count: 1 };
  // 30000 usd of spend converted; 10000 eur spent on Jun 4 had no rate.
  const spendFx = { unconverted: { eur: 10000 }, warnings: ["missing_fx_rate:eur:2026-06-04"] };

  it("a failed eur invoice without a rate: incomplete, unconverted {eur: 4000}, missing_fx_rate:eur:2026-06-10", () => {
    for (const h of [
      headline(changes, "2026-06-30", { invoices: [failedEur] }),
      headlineFromTotals(changes, "2026-06-30", { failedInvoices: [failedGroup] }),
    ]) {
      expect(h.values.failedPaymentRecoveryRate).toBeNull();
      expect(h.incomplete).toBe(true);
      expect(h.unconverted).toEqual({ eur: 4000 });
      expect(h.warnings).toEqual(["missing_fx_rate:eur:2026-06-10"]);
    }
  });

  it("spend without a rate: incomplete, unconverted {eur: 10000}, missing_fx_rate:eur:2026-06-04; CAC uses the 30000", () => {
    for (const h of [
      headline(changes, "2026-06-30", { marketingSpend: 30000, marketingSpendFx: spendFx }),
      headlineFromTotals(changes, "2026-06-30", { marketingSpend: 30000, marketingSpendFx: spendFx }),
    ]) {
      // payback = 30000 ÷ (newMrr 1000 × margin 1) = 30 months
      expect(h.values.cacPaybackMonths).toBe(30);
      expect(h.incomplete).toBe(true);
      expect(h.unconverted).toEqual({ eur: 10000 });
      expect(h.warnings).toEqual(["missing_fx_rate:eur:2026-06-04"]);
    }
  });

  it("both: eur 4000 + 10000 = 14000 unconverted, both warnings; neither: complete", () => {
    const both = [
      headline(changes, "2026-06-30", { invoices: [failedEur], marketingSpend: 30000, marketingSpendFx: spendFx }),
      headlineFromTotals(changes, "2026-06-30", {
        failedInvoices: [failedGroup],
        marketingSpend: 30000,
        marketingSpendFx: spendFx,
      }),
    ];
    for (const h of both) {
      expect(h.incomplete).toBe(true);
      expect(h.unconverted).toEqual({ eur: 14000 });
      expect([...h.warnings].sort()).toEqual(["missing_fx_rate:eur:2026-06-04", "missing_fx_rate:eur:2026-06-10"]);
    }
    for (const h of [
      headline(changes, "2026-06-30", { marketingSpend: 30000, marketingSpendFx: { unconverted: {}, warnings: [] } }),
      headlineFromTotals(changes, "2026-06-30", { marketingSpend: 30000 }),
    ]) {
      expect([h.incomplete, h.unconverted, h.warnings]).toEqual([false, {}, []]);
    }
  });
});

/** A monthly subscription of `amount` in `currency` from `from` (10:00 UTC), ended at `until` if given. */
function subscription(id: string, currency: string, amount: number, from: string, until?: string) {
  const state = {
    subscriptionId: id,
    currency,
    items: [makeItem({ id: `price_${id}`, currency, unitAmountDecimal: String(amount) })],
  };
  const versions = [makeVersion(at(`${from}T10:00:00Z`), state)];
  if (until)
    versions.push(
      makeVersion(at(`${until}T10:00:00Z`), { ...state, status: "canceled", endedAt: at(`${until}T10:00:00Z`) }),
    );
  return versions;
}

describe("paying sets: an MRR without an FX rate still makes its customer paying (§1.1, §1.4)", () => {
  // Three customers paying from May 1: a (usd 1000), b (usd 2000) and g (gbp 4000, no gbp rate). Its rows carry
  // unconverted {gbp: 4000} and mrr 0, so counting S by converted MRR left g out.
  const a = (churnOn?: string) =>
    changesFromSteps(
      "a",
      churnOn
        ? [
            ["2026-05-01", 1000],
            [churnOn, 0],
          ]
        : [["2026-05-01", 1000]],
    );
  const b = changesFromSteps("b", [["2026-05-01", 2000]]);
  const g = (until?: string) => changesFor("g", subscription("sub_g", "gbp", 4000, "2026-05-01", until));
  const june = "2026-06-01|2026-06-30";

  it("g's rows: mrr 0, unconverted {gbp: 4000}, warning missing_fx_rate:gbp:2026-05-01, no movement", () => {
    expect(g().map((r) => [r.day, r.mrr, r.kind, r.unconverted, r.warnings])).toEqual([
      ["2026-05-01", 0, null, { gbp: 4000 }, ["missing_fx_rate:gbp:2026-05-01"]],
    ]);
  });

  it("a usd customer churns in June: customer churn 1 / 3 = 0.3333 (not 1 / 2), retention 2 / 3 = 0.6667, both paths", () => {
    const changes = [...a("2026-06-10"), ...b, ...g()];
    // From totals g is among the start customers by the stocks (3 paying − 2 with m > 0 on May 31), and the same
    // row is in force through June: no turn.
    for (const h of [headline(changes, "2026-06-30"), headlineFromTotals(changes, "2026-06-30")]) {
      expect([h.values.customerChurnRate, h.values.customerRetentionRate]).toEqual([0.3333, 0.6667]);
      // revenue in converted MRR: (1000 + 2000 − 1000) ÷ 3000 = 0.6667; g weighs 0
      expect([h.values.nrr, h.values.grr, h.values.grossRevenueChurnRate]).toEqual([0.6667, 0.6667, 0.3333]);
      // LTV: June is the only month with start customers: pooled churn 1 / 3; arpa 2000 ÷ 2 = 1000 → 3000
      expect([h.values.mrr, h.values.payingCustomers, h.values.ltv]).toEqual([2000, 2, 3000]);
      expect([h.incomplete, h.unconverted, h.warnings]).toEqual([
        true,
        { gbp: 4000 },
        ["missing_fx_rate:gbp:2026-05-01"],
      ]);
    }
    const h = headline(changes, "2026-06-30");
    expect(h.kpis.customerChurnRate.breakdown).toMatchObject({ numerator: 1, denominator: 3, customers: ["a"] });
    expect(h.kpis.nrr.breakdown).toMatchObject({
      denominator: 3000,
      startCohort: { customers: 3, startMrr: 3000, churn: -1000, unconverted: { gbp: 4000 } },
    });
    // "movements": the customers who stopped paying, 1 ÷ (#S 3 + #N 0)
    expect(headline(changes, "2026-06-30", {}, { churnRateBasis: "movements" }).values.customerChurnRate).toBe(0.3333);
  });

  it("the gbp customer churns in June: 1 / 3 = 0.3333 (not 0 / 2); nrr 3000 ÷ 3000 = 1; incomplete by its start MRR", () => {
    const changes = [...a(), ...b, ...g("2026-06-10")];
    expect(g("2026-06-10").map((r) => [r.day, r.mrr, r.kind, r.unconverted])).toEqual([
      ["2026-05-01", 0, null, { gbp: 4000 }],
      ["2026-06-10", 0, null, undefined],
    ]);
    // From totals: g, with only unconverted parts at the start, pays nothing at the end of June (a turn of −1).
    const turns = { [june]: { unconvertedTurns: -1 } };
    for (const h of [headline(changes, "2026-06-30"), headlineFromTotals(changes, "2026-06-30", {}, turns)]) {
      expect([h.values.customerChurnRate, h.values.customerRetentionRate]).toEqual([0.3333, 0.6667]);
      expect([h.values.nrr, h.values.grr, h.values.churnedMrr]).toEqual([1, 1, 0]);
      expect([h.values.mrr, h.values.payingCustomers]).toEqual([3000, 2]);
      // Nothing is unconverted at Jun 30, but the base of the churn and revenue ratios (May 31) left gbp 4000 out.
      expect([h.incomplete, h.unconverted, h.warnings]).toEqual([true, {}, ["missing_fx_rate:gbp:2026-05-01"]]);
    }
    const movements = headline(changes, "2026-06-30", {}, { churnRateBasis: "movements" });
    expect(movements.values.customerChurnRate).toBe(0.3333);
    expect(movements.kpis.customerChurnRate.breakdown).toMatchObject({
      numerator: 1,
      denominator: 3,
      customers: ["g"],
    });
  });

  describe("a usd customer that moves to gbp (no rate) on Feb 10, beside one that stays on usd", () => {
    // x: usd 1000 from Jan 5, ended Feb 10, and gbp 3000 from Feb 10: a churn movement of −1000, still paying.
    // y: usd 1000 from Jan 6.
    const changes = [
      ...changesFor("x", [
        ...subscription("sub_x_usd", "usd", 1000, "2026-01-05", "2026-02-10"),
        ...subscription("sub_x_gbp", "gbp", 3000, "2026-02-10"),
      ]),
      ...changesFromSteps("y", [["2026-01-06", 1000]]),
    ];
    // From totals: x has m > 0 at the start of February and only unconverted parts at its end (a turn of +1); in
    // March it is among the start customers by the stocks, its gbp row in force throughout.
    const kept = { "2026-02-01|2026-02-28": { unconvertedTurns: 1 } };

    it("February: x is not a churned customer: churn 0 / 2 = 0 (not 0.5), retention 1; churned MRR −1000, nrr 0.5", () => {
      for (const h of [headline(changes, "2026-02-28"), headlineFromTotals(changes, "2026-02-28", {}, kept)]) {
        expect([h.values.customerChurnRate, h.values.customerRetentionRate]).toEqual([0, 1]);
        expect([h.values.churnedMrr, h.values.nrr, h.values.payingCustomers]).toEqual([-1000, 0.5, 2]);
      }
      // x has a churn movement but never stopped paying: 0 ÷ (2 + 0)
      expect(headline(changes, "2026-02-28", {}, { churnRateBasis: "movements" }).values.customerChurnRate).toBe(0);
    });

    it("cohort Jan: logo [1, 1, 1] (x still pays), revenue [1, 0.5, 0.5] (its gbp weighs 0), both paths", () => {
      for (const h of [headline(changes, "2026-03-31"), headlineFromTotals(changes, "2026-03-31", {}, kept)]) {
        const [jan] = h.values.cohortRetention ?? [];
        expect(jan).toMatchObject({ cohort: "2026-01", size: 2, initialMrr: 2000 });
        expect(jan?.logo).toEqual([1, 1, 1]);
        expect(jan?.revenue).toEqual([1, 0.5, 0.5]);
      }
    });
  });
});

describe("cash without a rate in the answer (§1.1)", () => {
  // usd 1000 from Jun 1; a gbp invoice of 700 paid Jun 15 and a gbp refund of 200 on Jun 20, no gbp rate.
  const changes = changesFromSteps("a", [["2026-06-01", 1000]]);
  const paid: InvoiceRecord = {
    id: "in_gbp",
    customerId: "a",
    currency: "gbp",
    status: "paid",
    amountDue: 700,
    amountPaid: 700,
    paidAt: at("2026-06-15T12:00:00Z"),
    firstFailedAt: null,
  };
  const refund = {
    id: "re_gbp",
    customerId: "a",
    currency: "gbp",
    amount: 200,
    status: "succeeded" as const,
    createdAt: at("2026-06-20T12:00:00Z"),
  };
  const groups = [
    { kind: "invoice" as const, currency: "gbp", day: "2026-06-15", amount: 700, count: 1 },
    { kind: "refund" as const, currency: "gbp", day: "2026-06-20", amount: 200, count: 1 },
  ];

  it("cash 0, unconverted {gbp: 700 − 200 = 500}, incomplete, both warnings; from records and from groups alike", () => {
    for (const h of [
      headline(changes, "2026-06-30", { invoices: [paid], refunds: [refund] }),
      headlineFromTotals(changes, "2026-06-30", { cash: groups }),
    ]) {
      expect(h.values.cashCollected).toBe(0);
      expect(h.incomplete).toBe(true);
      expect(h.unconverted).toEqual({ gbp: 500 });
      expect([...h.warnings].sort()).toEqual(["missing_fx_rate:gbp:2026-06-15", "missing_fx_rate:gbp:2026-06-20"]);
    }
  });
});

describe("comparison", () => {
  it("change = current − previous and changeRate = change ÷ |previous| (4500 vs 3000 → 1500, 0.5); previous 0 → null", () => {
    expect(computeChange(4500, 3000)).toEqual({ change: 1500, changeRate: 0.5 });
    expect(computeChange(0.25, -0.5)).toEqual({ change: 0.75, changeRate: 1.5 });
    expect(computeChange(100, 0)).toEqual({ change: 100, changeRate: null });
    expect(computeChange(null, 10)).toEqual({ change: null, changeRate: null });
  });
});
