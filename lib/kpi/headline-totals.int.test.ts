import { readFileSync } from "node:fs";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrationsFolder, type DbHandle } from "@/db/client";
import { createGeneratedBusinessDb } from "@/db/testing/business";
import { annotateLedgerInSql, listCustomersWithVersions, rebuildRollups } from "@/db/queries/mrr";
import { metricSettings, mrrChanges, mrrCohortMonthly, mrrDaily, mrrFlagDaily } from "@/db/schema";
import { computeHeadlineFromTotals } from "@/lib/metrics/headline-totals";
import { addDays, addMonths } from "@/lib/metrics/time";
import type { Workspace } from "@/lib/workspaces/context";
import { computeMetricsAnswer, loadTotalsInput } from "./finance";
import { computeMetricsAnswerFromLedger } from "./testing/reference";
import { refreshCustomerLedger } from "./ledger";
import { getMetricConfig } from "./settings";

// `/metrics` answers from the rollups (ADR 0009); the reference is the engine over the whole ledger. On a
// generated business (trials, upgrades, seats, discounts, failed payments, churn, reactivations, two currencies)
// both must give every headline value alike, for many dates, every interval and the read-time policies.

let h: DbHandle;
let workspace: Workspace;

async function rollupRows() {
  const strip = <T extends { workspaceId: string }>(rows: T[]) => rows.map(({ workspaceId: _w, ...r }) => r);
  const daily = await h.db.select().from(mrrDaily).where(eq(mrrDaily.workspaceId, workspace.id));
  const cohorts = await h.db.select().from(mrrCohortMonthly).where(eq(mrrCohortMonthly.workspaceId, workspace.id));
  const nonZero = (r: Record<string, unknown>) =>
    Object.entries(r).some(([k, v]) => typeof v === "number" && v !== 0 && k !== "day");
  const flags = await h.db.select().from(mrrFlagDaily).where(eq(mrrFlagDaily.workspaceId, workspace.id));
  const sortKey = (r: Record<string, unknown>) =>
    `${String(r.cohort ?? "")}|${String(r.month ?? r.day)}|${String(r.flag ?? "")}`;
  const norm = (rows: Record<string, unknown>[]) =>
    rows.filter(nonZero).sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : 1));
  return { daily: norm(strip(daily)), cohorts: norm(strip(cohorts)), flags: norm(strip(flags)) };
}

async function setReadPolicy(policy: Record<string, unknown>) {
  await h.db
    .insert(metricSettings)
    .values({ workspaceId: workspace.id, policy })
    .onConflictDoUpdate({ target: metricSettings.workspaceId, set: { policy } });
}

beforeAll(async () => {
  ({ h, workspace } = await createGeneratedBusinessDb({
    seed: "totals",
    customers: 40,
    months: 18,
    endDate: "2026-06-30",
  }));
}, 300_000);
afterAll(async () => h?.close());

const DATES: string[] = [];
for (let d = "2025-02-03"; d <= "2026-06-30"; d = addDays(d, 23)) DATES.push(d);
DATES.push("2026-06-30", "2026-05-31", "2025-12-31");

function comparable(values: Record<string, unknown>) {
  const rows = values.cohortRetention as { members: string[] }[];
  return { ...values, cohortRetention: rows.map(({ members: _m, ...row }) => row) };
}

describe("the rollups follow the ledger", () => {
  it("hold what a fresh sum of the ledger gives, also after some customers' rows are replaced", async () => {
    const kept = await rollupRows();
    expect(kept.daily.length).toBeGreaterThan(50);
    // FX warnings come and go with the rates: flags both start and end on some days.
    expect(kept.flags.some((f) => Number(f.rows) < 0)).toBe(true);
    expect(kept.flags.some((f) => Number(f.rows) > 0)).toBe(true);
    await rebuildRollups(workspace.id, h.db);
    expect(await rollupRows()).toEqual(kept);
    // Migration 0006 fills the flag rollup of existing ledgers with the same sums.
    await h.db.execute(sql`delete from mrr_flag_daily`);
    const migration = readFileSync(path.join(migrationsFolder, "0006_flag_rollup.sql"), "utf8");
    await h.db.execute(sql.raw(migration.split("--> statement-breakpoint").at(-1)!));
    expect(await rollupRows()).toEqual(kept);

    // Replace a third of the customers' rows under another discount policy: the deltas must move the sums.
    const config = await getMetricConfig(workspace.id, h.db);
    const ids = (await listCustomersWithVersions(workspace.id, h.db)).filter((_, i) => i % 3 === 0);
    await h.db.transaction(async (tx) => {
      await refreshCustomerLedger({
        tx,
        workspace,
        config: { ...config, policy: { ...config.policy, discounts: "ignored" } },
        customerIds: ids,
      });
    });
    const moved = await rollupRows();
    expect(moved).not.toEqual(kept);
    await rebuildRollups(workspace.id, h.db);
    expect(await rollupRows()).toEqual(moved);

    // And back: the same customers under the workspace's policy give the first sums again.
    await h.db.transaction(async (tx) => {
      await refreshCustomerLedger({ tx, workspace, config, customerIds: ids });
    });
    expect(await rollupRows()).toEqual(kept);
  }, 120_000);
});

describe("two events of one customer at once", () => {
  // Only Postgres runs transactions side by side (PGlite has one connection).
  it.skipIf(!process.env.TEST_DATABASE_URL)(
    "the second waits for the first and moves the rollups from the rows the first wrote",
    async () => {
      const kept = await rollupRows();
      const config = await getMetricConfig(workspace.id, h.db);
      const ignored = { ...config, policy: { ...config.policy, discounts: "ignored" as const } };
      const ids = await listCustomersWithVersions(workspace.id, h.db);
      let release = () => {};
      const held = new Promise<void>((resolve) => (release = resolve));
      let firstDone = () => {};
      const firstRefreshed = new Promise<void>((resolve) => (firstDone = resolve));
      const first = h.db.transaction(async (tx) => {
        await refreshCustomerLedger({ tx, workspace, config: ignored, customerIds: ids });
        firstDone();
        await held;
      });
      await firstRefreshed;
      const second = h.db.transaction(async (tx) => {
        await refreshCustomerLedger({ tx, workspace, config, customerIds: ids });
      });
      await new Promise((r) => setTimeout(r, 300));
      release();
      await Promise.all([first, second]);
      // The second ran last under the workspace's own policy: the sums are the first ones again, and fresh.
      expect(await rollupRows()).toEqual(kept);
      await rebuildRollups(workspace.id, h.db);
      expect(await rollupRows()).toEqual(kept);
    },
    120_000,
  );
});

describe("headline from the rollups = headline from the whole ledger", () => {
  it.each([
    ["default policies", {}],
    ["movement-based churn, annual contracts only", { churnRateBasis: "movements", arr: "annualContractsOnly" }],
  ])(
    "%s, every interval, many dates",
    async (_name, policy) => {
      await setReadPolicy(policy);
      let compared = 0;
      const seen = {
        churn: false,
        nrr: false,
        cohorts: false,
        cmrr: false,
        trials: false,
        recovery: false,
        cash: false,
        reactivation: false,
        flagged: false,
      };
      for (const asOf of DATES) {
        for (const interval of ["month", "quarter", "year", "week", "day"] as const) {
          const fast = await computeMetricsAnswer(workspace, h.db, { asOf, interval });
          const slow = await computeMetricsAnswerFromLedger(workspace, h.db, { asOf, interval });
          expect({ asOf, interval, ...comparable(fast.headline.values) }).toEqual({
            asOf,
            interval,
            ...comparable(slow.headline.values),
          });
          expect(fast.headline.unconverted).toEqual(slow.headline.unconverted);
          expect(new Set(fast.headline.warnings)).toEqual(new Set(slow.headline.warnings));
          expect(fast.headline.period).toEqual(slow.headline.period);
          seen.churn ||= (slow.headline.values.customerChurnRate ?? 0) > 0;
          seen.nrr ||= slow.headline.values.nrrTrailing12m !== null;
          seen.cohorts ||= (slow.headline.values.cohortRetention?.length ?? 0) > 3;
          seen.cmrr ||= slow.headline.values.cmrr !== slow.headline.values.mrr;
          seen.trials ||= slow.headline.values.trialConversionRate !== null;
          seen.recovery ||= slow.headline.values.failedPaymentRecoveryRate !== null;
          seen.cash ||= (slow.headline.values.cashCollected ?? 0) > 0;
          seen.reactivation ||= (slow.headline.values.reactivationMrr ?? 0) > 0;
          seen.flagged ||= slow.headline.warnings.length > 0;
          compared++;
        }
      }
      // the comparison is not vacuous: the data churns, has a trailing year, cohorts, commitments, trials ending,
      // failed payments, cash, customers coming back and rows with FX warnings
      expect(seen).toEqual({
        churn: true,
        nrr: true,
        cohorts: true,
        cmrr: true,
        trials: true,
        recovery: true,
        cash: true,
        reactivation: true,
        flagged: true,
      });
      expect(compared).toBe(DATES.length * 5);
    },
    300_000,
  );
});

describe("the ledger's annotations in SQL", () => {
  const ledger = async () =>
    (await h.db.select().from(mrrChanges).where(eq(mrrChanges.workspaceId, workspace.id))).sort((a, b) =>
      `${a.customerId}|${a.day}` < `${b.customerId}|${b.day}` ? -1 : 1,
    );

  it("annotateLedgerInSql and migration 0005's backfill give what annotateLedger wrote, returns to paying included", async () => {
    const written = await ledger();
    expect(written.filter((r) => r.zeroSince !== null).length).toBeGreaterThan(0);
    expect(written.filter((r) => r.nextDay !== null).length).toBeGreaterThan(written.length / 2);
    await h.db.execute(sql`update mrr_changes set next_day = null, zero_since = null, cohort = null,
      first_new = false, annual_delta = 0, cmrr_delta = 0, annual_cmrr_delta = 0, paying_delta = 0, trialing_delta = 0
      where workspace_id = ${workspace.id}`);
    await annotateLedgerInSql(workspace.id, h.db);
    expect(await ledger()).toEqual(written);

    await h.db.execute(
      sql`update mrr_changes set next_day = null, zero_since = null where workspace_id = ${workspace.id}`,
    );
    const migration = readFileSync(path.join(migrationsFolder, "0005_kpi_read_indexes.sql"), "utf8");
    await h.db.execute(sql.raw(migration.split("--> statement-breakpoint").at(-1)!));
    expect(await ledger()).toEqual(written);
  });
});

describe("a headline without the trailing year (a page's comparison)", () => {
  it("skips exactly that window and gives every other value alike", async () => {
    await setReadPolicy({});
    let nrrSeen = false;
    for (const asOf of ["2026-06-30", "2026-03-14", "2025-12-31"]) {
      const full = await loadTotalsInput(workspace, h.db, { asOf });
      const lean = await loadTotalsInput(workspace, h.db, { asOf, trailingYear: false });
      const trailing = `${addDays(addMonths(asOf, -12), 1)}|${asOf}`;
      expect(full.windows.has(trailing)).toBe(true);
      expect([...lean.windows.keys()].sort()).toEqual([...full.windows.keys()].filter((k) => k !== trailing).sort());
      const a = computeHeadlineFromTotals(full).values;
      const b = computeHeadlineFromTotals(lean).values;
      nrrSeen ||= a.nrrTrailing12m !== null;
      expect(b.nrrTrailing12m).toBeNull();
      expect({ ...b, nrrTrailing12m: a.nrrTrailing12m }).toEqual(a);
    }
    expect(nrrSeen).toBe(true);
  });
});
