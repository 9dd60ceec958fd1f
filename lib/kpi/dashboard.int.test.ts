import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/db/client";
import { hasFilter, listFilteredCustomerIds, listFilterOptions, type CustomerFilter } from "@/db/queries/dashboard";
import { metricSettings } from "@/db/schema";
import { createGeneratedBusinessDb } from "@/db/testing/business";
import type { FinanceInput } from "@/lib/metrics/finance";
import { computeHeadline, type Headline } from "@/lib/metrics/headline";
import { indexLedger, rowAsOf } from "@/lib/metrics/ledger";
import { comparisonPeriod, resolvePeriod } from "@/lib/metrics/time";
import type { Workspace } from "@/lib/workspaces/context";
import { loadFinanceDashboard, type FinanceHeadline } from "./dashboard";
import { computePeriodPoints, loadFinanceInput } from "./testing/reference";
import { parseFinanceParams, type FinanceParams } from "./dashboard-params";
import { loadOverview } from "./dashboard-overview";
import { getMetricConfig } from "./settings";

// The finance page reads totals (ADR 0009), or for a filtered view sums its customers' ledger rows in SQL; the
// reference is the whole-ledger engine over the view's customers' records, as the page computed it before. On a
// generated business both must give the same headline, comparison and chart points, for several dates,
// intervals, each filter kind and the read-time policies.

let h: DbHandle;
let workspace: Workspace;

beforeAll(async () => {
  ({ h, workspace } = await createGeneratedBusinessDb({
    seed: "dashboard",
    customers: 40,
    months: 18,
    endDate: "2026-06-30",
  }));
}, 300_000);
afterAll(async () => h?.close());

async function setReadPolicy(policy: Record<string, unknown>) {
  await h.db
    .insert(metricSettings)
    .values({ workspaceId: workspace.id, policy })
    .onConflictDoUpdate({ target: metricSettings.workspaceId, set: { policy } });
}

/** Only the records of the given customers (a filtered view); null means everyone. */
function restrict(input: FinanceInput, ids: ReadonlySet<string> | null): FinanceInput {
  if (!ids) return input;
  const keep = <T extends { customerId: string | null }>(list: readonly T[] | undefined) =>
    (list ?? []).filter((x) => x.customerId !== null && ids.has(x.customerId));
  return {
    ...input,
    changes: input.changes.filter((c) => ids.has(c.customerId)),
    committed: keep(input.committed),
    trials: keep(input.trials),
    invoices: keep(input.invoices),
    charges: keep(input.charges),
    refunds: keep(input.refunds),
  };
}

/** The view computed from the whole ledger: each headline from its own day's records, points over every row. */
async function reference(params: FinanceParams) {
  const config = await getMetricConfig(workspace.id, h.db);
  const ids = hasFilter(params.filter)
    ? new Set(await listFilteredCustomerIds(workspace.id, h.db, params.filter))
    : null;
  // The comparison leaves out the trailing-year NRR, which no tile compares (FinanceInput.trailingYear).
  const previousAt = async (asOf: string) =>
    computeHeadline({
      ...restrict(await loadFinanceInput(workspace, h.db, { asOf, interval: params.interval, config }), ids),
      trailingYear: false,
    });
  const period = resolvePeriod(params.to, params.interval);
  const previousPeriod = params.compare ? comparisonPeriod(period, params.interval) : null;
  const current = restrict(
    await loadFinanceInput(workspace, h.db, { asOf: params.to, interval: params.interval, config }),
    ids,
  );
  return {
    headline: computeHeadline(current),
    previous: previousPeriod ? await previousAt(previousPeriod.end) : null,
    points: computePeriodPoints(current.changes, config.policy, params).points,
    customers: ids?.size ?? null,
    /** Customers whose MRR at `to` is above 0 (the breakdowns' customers). */
    withMrr: [...indexLedger(current.changes).values()].filter((rows) => (rowAsOf(rows, params.to)?.mrr ?? 0) > 0)
      .length,
  };
}

function comparable(h: FinanceHeadline | Headline | null) {
  if (!h) return null;
  const rows = h.values.cohortRetention ?? [];
  return {
    period: h.period,
    values: { ...h.values, cohortRetention: rows.map(({ members: _m, ...row }) => row) },
    policies: h.policies,
    incomplete: h.incomplete,
    unconverted: h.unconverted,
    warnings: [...h.warnings].sort(),
  };
}

const VIEWS: Record<string, string>[] = [
  { to: "2026-06-30" },
  { to: "2026-06-20", compare: "1" },
  { to: "2026-05-17", from: "2026-02-01", interval: "week" },
  { to: "2026-03-31", from: "2025-01-01", interval: "quarter" },
  { to: "2026-06-12", from: "2026-05-01", interval: "day" },
  { to: "2025-11-14", from: "2025-03-10", interval: "month", compare: "0" },
  // a week that starts on the 1st and ends inside the month (2026-06-01 is a Monday)
  { to: "2026-06-28", from: "2026-05-25", interval: "week" },
];

async function expectSame(query: Record<string, string>) {
  const params = parseFinanceParams(query, workspace.timezone);
  const [fast, slow] = [await loadFinanceDashboard(workspace, h.db, params), await reference(params)];
  const view = { ...query, filter: params.filter };
  expect({ view, headline: comparable(fast.headline) }).toEqual({ view, headline: comparable(slow.headline) });
  expect(fast.previous?.values.nrrTrailing12m ?? null).toBeNull();
  expect({ view, previous: comparable(fast.previous) }).toEqual({ view, previous: comparable(slow.previous) });
  expect({ view, points: fast.points }).toEqual({ view, points: slow.points });
  // Each breakdown covers every paying customer of the view once.
  for (const slices of Object.values(fast.breakdown)) {
    expect(slices.reduce((a, s) => a + s.mrr, 0)).toBe(fast.headline.values.mrr);
    expect(slices.reduce((a, s) => a + s.customers, 0)).toBe(slow.withMrr);
  }
  return { fast, slow };
}

describe("the finance page's data = the whole-ledger engine's", () => {
  it.each([
    ["default policies", {}],
    ["movement-based churn, annual contracts only", { churnRateBasis: "movements", arr: "annualContractsOnly" }],
  ])(
    "%s, unfiltered, several dates and intervals",
    async (_name, policy) => {
      await setReadPolicy(policy);
      const seen = { churn: false, moves: false, cohorts: false };
      for (const query of VIEWS) {
        const { slow } = await expectSame(query);
        seen.churn ||= slow.points.some((p) => (p.customerChurnRate ?? 0) > 0);
        seen.moves ||= slow.points.some((p) => p.new !== 0 && p.expansion !== 0 && p.churn !== 0);
        seen.cohorts ||= (slow.headline.values.cohortRetention?.length ?? 0) > 3;
      }
      // the comparison is not vacuous: the data churns, moves every way and has cohorts
      expect(seen).toEqual({ churn: true, moves: true, cohorts: true });
    },
    300_000,
  );

  it("each filter kind (plan, billing interval, currency, country), on several views", async () => {
    await setReadPolicy({});
    const options = await listFilterOptions(workspace.id, h.db);
    const filters: CustomerFilter[] = [
      { plan: options.plans[0]!.id },
      { billing: options.billing.find((b) => b.startsWith("year")) ?? options.billing[0]! },
      { currency: options.currencies.find((c) => c !== workspace.currency) ?? options.currencies[0]! },
      { country: options.countries[0]! },
      { country: "unknown" },
      { plan: options.plans[1]!.id, currency: options.currencies[0]! },
    ];
    const all = (await listFilteredCustomerIds(workspace.id, h.db, {})).length;
    for (const filter of filters) {
      for (const query of [VIEWS[1]!, VIEWS[2]!, VIEWS[3]!]) {
        const { slow } = await expectSame({ ...query, ...(filter as Record<string, string>) });
        // a real subset of the customers, not everyone and not nobody
        expect(slow.customers).toBeGreaterThan(0);
        expect(slow.customers).toBeLessThan(all);
      }
    }
  }, 300_000);
});

describe("the overview's finance tiles = the whole-ledger engine's", () => {
  it("MRR, ARR, net new MRR, customer churn and NRR, their previous values and their 12-month sparklines", async () => {
    await setReadPolicy({});
    const asOf = "2026-06-20";
    const overview = await loadOverview(workspace, h.db, "owner", asOf);
    const config = await getMetricConfig(workspace.id, h.db);
    const at = async (day: string) =>
      computeHeadline(await loadFinanceInput(workspace, h.db, { asOf: day, interval: "month", config })).values;
    const [now, then] = [await at(asOf), await at(overview.previousPeriod.end)];
    const changes = (await loadFinanceInput(workspace, h.db, { asOf, config })).changes;
    const points = computePeriodPoints(changes, config.policy, {
      from: "2025-07-01",
      to: asOf,
      interval: "month",
    }).points;
    const tile = (key: string) => overview.tiles.find((t) => t.key === key)!;
    const cases = [
      ["mrr", now.mrr, then.mrr, points.map((p) => p.endMrr)],
      ["arr", now.arr, then.arr, points.map((p) => p.arr)],
      [
        "netNewMrr",
        now.netNewMrr,
        then.netNewMrr,
        points.map((p) => p.new + p.expansion + p.contraction + p.churn + p.reactivation),
      ],
      ["customerChurnRate", now.customerChurnRate, then.customerChurnRate, points.map((p) => p.customerChurnRate)],
      ["nrr", now.nrr, then.nrr, points.map((p) => p.nrr)],
    ] as const;
    for (const [key, value, previous, spark] of cases)
      expect({
        key,
        value: tile(key).value,
        previous: tile(key).previous,
        spark: tile(key).spark.map((p) => p.value),
      }).toEqual({ key, value, previous, spark });
    expect(tile("mrr").spark).toHaveLength(12);
    expect(now.mrr).toBeGreaterThan(0);
  }, 120_000);
});
