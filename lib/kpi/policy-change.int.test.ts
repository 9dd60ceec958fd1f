import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { rowsOf, type DbHandle } from "@/db/client";
import { listCustomersWithVersions } from "@/db/queries/mrr";
import { jobs, metricSettings } from "@/db/schema";
import { withAppTestDb } from "@/db/testing";
import { createTestWorkspace } from "@/db/testing/factories";
import { generateBusiness } from "@/lib/demo/generate";
import { createConnection } from "@/lib/stripe/connections";
import type { StripeEvent } from "@/lib/stripe/event";
import { ingestEvent } from "@/lib/stripe/ingest";
import { loadLifecycle } from "@/lib/stripe/testing";
import { systemCtx, type Workspace } from "@/lib/workspaces/context";
import {
  discardPolicyChange,
  getPolicyChangeStatus,
  policyChangeRunsInBackground,
  requestPolicyChange,
  runPolicyChange,
  type PolicyChangeProgress,
} from "./policy-change";
import { rebuildWorkspaceLedger } from "./rebuild";
import { diffCustomerLedgers, writeLedgerChanges } from "./ledger";
import { getMetricConfig, loadLedgerContext, updateMetricConfig } from "./settings";

// ADR 0017: a policy change computes the new ledger aside while events go on, then swaps it in under the exclusive
// lock. Whatever arrives meanwhile, the result must be exactly what a rebuild under the new policy stores: the
// ledger rows, trial marks and every rollup.

let h: DbHandle;
withAppTestDb((handle) => (h = handle));

const lifecycle = loadLifecycle();

async function seed(events: StripeEvent[]) {
  const workspace = await createTestWorkspace(h.db);
  const connection = await createConnection({ db: h.db, workspaceId: workspace.id, webhookSecret: "whsec_policy" });
  const feed = async (list: StripeEvent[]) => {
    for (const event of list) await ingestEvent({ db: h.db, connection, event });
  };
  await feed(events);
  return { workspace, feed };
}

/** Everything the ledger derives for the workspace, as stored. */
async function derived(workspaceId: string) {
  const table = async (name: string, order: string) =>
    rowsOf<Record<string, unknown>>(
      await h.db.execute(
        sql`select * from ${sql.raw(name)} where workspace_id = ${workspaceId} order by ${sql.raw(order)}`,
      ),
    ).map(({ updated_at: _u, ...rest }) => rest);
  // An incremental write leaves a rollup row at zero where a rebuild writes none: the sums are the same.
  const sums = async (name: string, order: string, keys: string[]) =>
    (await table(name, order)).filter((r) =>
      Object.entries(r).some(([k, v]) => !keys.includes(k) && k !== "workspace_id" && Number(v) !== 0),
    );
  return {
    changes: await table("mrr_changes", "customer_id, day"),
    daily: await sums("mrr_daily", "day", ["day"]),
    cohorts: await sums("mrr_cohort_monthly", "cohort, month", ["cohort", "month"]),
    flags: await sums("mrr_flag_daily", "day, flag", ["day", "flag"]),
    marks: await table("trial_marks", "customer_id, subscription_id, seq"),
  };
}

/** Alice's [day, kind, amount, mrr] rows. */
async function aliceRows(workspaceId: string) {
  return rowsOf<{ day: string; kind: string | null; amount: number; mrr: number }>(
    await h.db.execute(sql`
      select day::text, kind, amount::int, mrr::int from mrr_changes
      where workspace_id = ${workspaceId} and customer_id = 'cus_TqAlice00000001' order by day`),
  ).map((r) => [r.day, r.kind, r.amount, r.mrr]);
}

/** Alice's rows with discounts ignored (metrics.md L3): June has no contraction and ends at 6000; August churns 6000. */
const ALICE_DISCOUNTS_IGNORED = [
  ["2026-05-27", null, 0, 0],
  ["2026-06-10", "new", 2000, 2000],
  ["2026-06-16", "expansion", 4000, 6000],
  ["2026-07-16", null, 0, 6000],
  ["2026-08-09", "churn", -6000, 0],
];

/** The Stripe events of a generated business that ends on 2026-10-31. */
async function generatedEvents(seed: number, customers: number, months: number) {
  const events: StripeEvent[] = [];
  for await (const item of generateBusiness({ seed, customers, months, endDate: "2026-10-31" }))
    if (item.kind === "stripe") events.push(item.event as unknown as StripeEvent);
  return events;
}

async function expectSameAsRebuild(workspace: Workspace) {
  const swapped = await derived(workspace.id);
  await rebuildWorkspaceLedger(h.db, workspace.id);
  expect(swapped).toEqual(await derived(workspace.id));
}

async function jobRow(workspaceId: string, jobId: string) {
  const [row] = await h.db
    .select()
    .from(jobs)
    .where(and(eq(jobs.workspaceId, workspaceId), eq(jobs.id, jobId)));
  return row;
}

describe("a policy change computed aside", () => {
  it("takes in the events that arrive while it computes: Alice's last ten events land between its read and its swap", async () => {
    // The first 14 events end in June at 6000 with the 25 % coupon; 15–24 change seats, cancel and churn her.
    const { workspace, feed } = await seed(lifecycle.slice(0, 14));
    const { jobId } = await requestPolicyChange(h.db, systemCtx(workspace), { discounts: "ignored" });
    const seen: PolicyChangeProgress[] = [];
    const outcome = await runPolicyChange(h.db, workspace.id, jobId, async (p) => {
      seen.push(p);
      // After the read of every customer, before the swap: the events go through under the old policy.
      if (p.phase === "computing" && p.done === p.total) await feed(lifecycle.slice(14));
    });
    expect(outcome).toBe("applied");
    expect(seen).toEqual([
      { phase: "computing", done: 1, total: 1 },
      // Nothing differs yet: the discount comes with events 16–17. Alice is computed again at the swap.
      { phase: "applying", done: 0, total: 0 },
    ]);
    expect(await aliceRows(workspace.id)).toEqual(ALICE_DISCOUNTS_IGNORED);
    expect((await getMetricConfig(workspace.id, h.db)).policy.discounts).toBe("ignored");
    const job = await jobRow(workspace.id, jobId);
    expect([job?.status, job?.progress]).toEqual(["succeeded", { customers: 1, changed: 1, recomputed: 1 }]);
    expect(rowsOf(await h.db.execute(sql`select * from ledger_pending_customers`))).toEqual([]);
    await expectSameAsRebuild(workspace);
  });

  it("starts again when a rebuild replaced the ledger while it computed", async () => {
    const { workspace } = await seed(lifecycle);
    const { jobId } = await requestPolicyChange(h.db, systemCtx(workspace), { discounts: "ignored" });
    const phases: string[] = [];
    await runPolicyChange(h.db, workspace.id, jobId, async (p) => {
      phases.push(p.phase);
      if (phases.length === 1) await rebuildWorkspaceLedger(h.db, workspace.id);
    });
    // The first pass's swap found the rebuild's epoch and went round once more.
    expect(phases).toEqual(["computing", "applying", "computing", "applying"]);
    expect(await aliceRows(workspace.id)).toContainEqual(["2026-08-09", "churn", -6000, 0]);
    await expectSameAsRebuild(workspace);
  });

  it("stages Alice's difference until the swap moves it in; a staged row gone by then makes the pass compute again", async () => {
    const { workspace } = await seed(lifecycle);
    const { jobId } = await requestPolicyChange(h.db, systemCtx(workspace), { discounts: "ignored" });
    const staged = async () =>
      rowsOf<{ customer_id: string; rows: { day: string; kind: string | null; amount: number; mrr: number }[] }>(
        await h.db.execute(sql`
          select customer_id, rows, deletes from ledger_staged_changes where workspace_id = ${workspace.id}`),
      ).map((r) => ({ ...r, rows: r.rows.map((x) => [x.day, x.kind, x.amount, x.mrr]) }));
    const atSwap: unknown[] = [];
    await runPolicyChange(h.db, workspace.id, jobId, async (p) => {
      if (p.phase !== "applying") return;
      atSwap.push(await staged());
      // The first pass loses its staged row before the swap (as a database crash empties the unlogged table).
      if (atSwap.length === 1) await h.db.execute(sql`delete from ledger_staged_changes`);
    });
    // Only what differs: June 17's contraction goes; June 16's row now lasts to July 16 (its next day), July 16
    // stays at 6000 rather than 4500, and August churns 6000 rather than 4500.
    const alice = {
      customer_id: "cus_TqAlice00000001",
      rows: [
        ["2026-06-16", "expansion", 4000, 6000],
        ["2026-07-16", null, 0, 6000],
        ["2026-08-09", "churn", -6000, 0],
      ],
      deletes: ["2026-06-17"],
    };
    expect(atSwap).toEqual([[alice], [alice]]);
    expect(await staged()).toEqual([]);
    expect(await aliceRows(workspace.id)).toEqual(ALICE_DISCOUNTS_IGNORED);
    await expectSameAsRebuild(workspace);
  });

  it("run twice at once (a queue's retry beside the first run): one applies, the other is superseded, nothing stays staged", async () => {
    const events = await generatedEvents(29, 30, 12);
    const { workspace } = await seed(events);
    const { jobId } = await requestPolicyChange(h.db, systemCtx(workspace), {
      discounts: "ignored",
      churnRecognition: "atRequest",
    });
    const outcomes = await Promise.all([
      runPolicyChange(h.db, workspace.id, jobId),
      runPolicyChange(h.db, workspace.id, jobId),
    ]);
    expect(outcomes.sort()).toEqual(["applied", "superseded"]);
    const job = await jobRow(workspace.id, jobId);
    expect(job?.status).toBe("succeeded");
    expect((job?.progress as { changed: number }).changed).toBeGreaterThan(0);
    expect(rowsOf(await h.db.execute(sql`select * from ledger_staged_changes`))).toEqual([]);
    await expectSameAsRebuild(workspace);
  });

  it("is superseded by a newer change, and a save back to the policy in force supersedes it too", async () => {
    const { workspace } = await seed(lifecycle);
    const before = await derived(workspace.id);
    const first = await requestPolicyChange(h.db, systemCtx(workspace), { discounts: "ignored" });
    const second = await requestPolicyChange(h.db, systemCtx(workspace), { discounts: "applied" });
    expect(await runPolicyChange(h.db, workspace.id, first.jobId)).toBe("superseded");
    expect((await jobRow(workspace.id, first.jobId))?.status).toBe("failed");
    expect((await jobRow(workspace.id, first.jobId))?.error).toBe("Superseded by a newer policy change.");
    expect(await runPolicyChange(h.db, workspace.id, second.jobId)).toBe("applied");
    expect((await jobRow(workspace.id, second.jobId))?.progress).toEqual({ customers: 1, changed: 0, recomputed: 0 });
    expect(await derived(workspace.id)).toEqual(before);
  });

  it("on a generated business with events arriving mid-change, stores what a rebuild under the new policy stores", async () => {
    const events = await generatedEvents(17, 60, 14);
    // The first half of the business goes in before the change, the second half while it computes.
    const half = Math.floor(events.length / 2);
    const { workspace, feed } = await seed(events.slice(0, half));
    const { jobId } = await requestPolicyChange(h.db, systemCtx(workspace), {
      discounts: "ignored",
      pastDue: "churnAfterDays",
      pastDueChurnDays: 3,
    });
    await runPolicyChange(h.db, workspace.id, jobId, async (p) => {
      if (p.phase === "computing") await feed(events.slice(half));
    });
    const job = await jobRow(workspace.id, jobId);
    expect(job?.status).toBe("succeeded");
    const progress = job?.progress as { customers: number; changed: number; recomputed: number };
    expect(progress.recomputed).toBeGreaterThan(10);
    expect(progress.changed).toBeGreaterThan(0);
    await expectSameAsRebuild(workspace);
  });

  it("shows its state while pending, and a discard drops it and what events recorded for it", async () => {
    const { workspace, feed } = await seed(lifecycle.slice(0, 16));
    const before = await derived(workspace.id);
    expect(await getPolicyChangeStatus(h.db, workspace.id)).toBeNull();
    const { jobId } = await requestPolicyChange(h.db, systemCtx(workspace), { discounts: "ignored" });
    const status = await getPolicyChangeStatus(h.db, workspace.id);
    expect([status?.pending.jobId, status?.pending.policy.discounts, status?.status, status?.progress]).toEqual([
      jobId,
      "ignored",
      "queued",
      null,
    ]);
    // Event 17 (Alice's coupon) goes in under the policy in force and records Alice for the change.
    await feed(lifecycle.slice(16, 17));
    expect(rowsOf(await h.db.execute(sql`select customer_id from ledger_pending_customers`))).toEqual([
      { customer_id: "cus_TqAlice00000001" },
    ]);
    expect(await discardPolicyChange(h.db, systemCtx(workspace), jobId)).toBe(true);
    expect(await getPolicyChangeStatus(h.db, workspace.id)).toBeNull();
    expect(rowsOf(await h.db.execute(sql`select * from ledger_pending_customers`))).toEqual([]);
    const job = await jobRow(workspace.id, jobId);
    expect([job?.status, job?.error]).toEqual(["failed", "Discarded before it was applied."]);
    // Discarded: nothing runs, the policy in force stays, and June's contraction of 1500 is there.
    expect(await runPolicyChange(h.db, workspace.id, jobId)).toBe("superseded");
    expect((await getMetricConfig(workspace.id, h.db)).policy.discounts).toBe("applied");
    expect(await aliceRows(workspace.id)).toContainEqual(["2026-06-17", "contraction", -1500, 4500]);
    expect((await derived(workspace.id)).changes.length).toBeGreaterThan(before.changes.length);
    expect(await discardPolicyChange(h.db, systemCtx(workspace), jobId)).toBe(false);
    const [audit] = rowsOf<{ action: string }>(
      await h.db.execute(sql`
        select action from audit_log where workspace_id = ${workspace.id} order by at desc limit 1`),
    );
    expect(audit?.action).toBe("metrics.policy.discard");
  });

  it("runs in the background above the threshold: 2000 customers stay inline, 2001 do not", async () => {
    const workspace = await createTestWorkspace(h.db);
    const insert = (n: number, from: number) =>
      h.db.execute(sql`
        insert into customers (workspace_id, id, connection_id, last_event_key, last_event_id, last_event_created)
        select ${workspace.id}, 'cus_size' || lpad(i::text, 5, '0'), 'con_size', 'k', 'evt_size', now()
        from generate_series(${from}::int, ${from + n - 1}::int) i`);
    await insert(2000, 1);
    expect(await policyChangeRunsInBackground(h.db, workspace.id, 2000)).toBe(false);
    expect(await policyChangeRunsInBackground(h.db, workspace.id, 1999)).toBe(true);
    await insert(1, 2001);
    expect(await policyChangeRunsInBackground(h.db, workspace.id, 2000)).toBe(true);
  });

  it("a change of read-time policies only (ARR's basis, the churn rate's) is stored at once and recomputes nothing", async () => {
    const events = await generatedEvents(31, 30, 12);
    const { workspace } = await seed(events);
    const before = await derived(workspace.id);
    // No customer's rows or marks depend on them: the guard for READ_TIME_POLICIES.
    const context = await loadLedgerContext(workspace.id, h.db);
    const readTime = {
      ...context!.config.policy,
      arr: "annualContractsOnly" as const,
      churnRateBasis: "movements" as const,
    };
    const ids = await listCustomersWithVersions(workspace.id, h.db);
    expect(ids.length).toBeGreaterThan(20);
    expect(await diffCustomerLedgers(h.db, workspace, { policy: readTime, fxRates: [] }, ids)).toEqual([]);

    const saved = await updateMetricConfig({
      db: h.db,
      ctx: systemCtx(workspace),
      input: { policy: { arr: "annualContractsOnly", churnRateBasis: "movements" } },
    });
    expect([saved.jobId, saved.policy.arr, saved.policy.churnRateBasis]).toEqual([
      null,
      "annualContractsOnly",
      "movements",
    ]);
    expect(await h.db.select().from(jobs).where(eq(jobs.workspaceId, workspace.id))).toEqual([]);
    expect(await derived(workspace.id)).toEqual(before);
    const [audit] = rowsOf<{ action: string; details: unknown }>(
      await h.db.execute(sql`
        select action, details from audit_log where workspace_id = ${workspace.id} order by at desc limit 1`),
    );
    expect(audit).toMatchObject({ action: "metrics.policy.update", details: { customersChanged: 0 } });

    // With a change pending, the same kind of save supersedes it, through a job like any other.
    const pending = await requestPolicyChange(h.db, systemCtx(workspace), { discounts: "ignored" });
    const again = await updateMetricConfig({
      db: h.db,
      ctx: systemCtx(workspace),
      input: { policy: { arr: "mrrTimes12", churnRateBasis: "movements" } },
    });
    expect(again.jobId).not.toBeNull();
    expect((await jobRow(workspace.id, pending.jobId))?.status).toBe("failed");
    expect([again.policy.arr, again.policy.discounts, await getPolicyChangeStatus(h.db, workspace.id)]).toEqual([
      "mrrTimes12",
      "applied",
      null,
    ]);
  });

  it("writes changes of many chunks with the rollups moved once by their sum: what a rebuild stores", async () => {
    const events = await generatedEvents(23, 40, 12);
    const { workspace } = await seed(events);
    const context = await loadLedgerContext(workspace.id, h.db);
    const config = {
      policy: {
        ...context!.config.policy,
        discounts: "ignored" as const,
        pastDue: "churnAfterDays" as const,
        pastDueChurnDays: 3,
        churnRecognition: "atRequest" as const,
      },
      fxRates: [],
    };
    const ids = (await listCustomersWithVersions(workspace.id, h.db)).slice();
    const changes = await diffCustomerLedgers(h.db, workspace, config, ids);
    // Six of the 39 customers change (seed 23): three chunks of two.
    expect(changes.length).toBe(6);
    // The rollups' rows are moved by the sum over every chunk, in one statement.
    await h.db.transaction((tx) => writeLedgerChanges(tx, workspace.id, changes, { chunk: 2 }));
    const written = await derived(workspace.id);
    await h.db
      .insert(metricSettings)
      .values({ workspaceId: workspace.id, policy: config.policy })
      .onConflictDoUpdate({ target: metricSettings.workspaceId, set: { policy: config.policy } });
    await rebuildWorkspaceLedger(h.db, workspace.id);
    expect(written).toEqual(await derived(workspace.id));
  });
});
