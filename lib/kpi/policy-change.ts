/**
 * A policy change, computed aside and swapped in (ADR 0017). Saving a policy records it as pending; the change
 * then computes every customer's ledger under the new policy in short read-only batches while events go on being
 * ingested under the old one, each recording its customers, and stages the differences it finds in a table; at
 * the end it takes the configuration lock exclusively, computes the recorded customers again, moves the staged
 * differences in by one statement, writes the recomputed ones, and stores the policy, in one transaction. No
 * answer ever mixes two policies, and events wait only for the swap.
 */
import { and, eq, sql } from "drizzle-orm";
import type { Db, Executor } from "@/db/client";
import { lockConfigExclusive } from "@/db/queries/config-lock";
import { listCustomersWithVersions } from "@/db/queries/mrr";
import {
  applyStagedChanges,
  clearPendingChange,
  countCustomersUpTo,
  countStagedChanges,
  findPendingState,
  listPendingCustomers,
  stageLedgerChanges,
  unstageLedgerChanges,
} from "@/db/queries/policy-change";
import { jobs, metricSettings } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { log } from "@/lib/log";
import { metricPolicySchema } from "@/lib/metrics/policy";
import { emptyRollupDelta, mergeRollupDelta } from "@/lib/metrics/rollup";
import { insertAudit } from "@/lib/workspaces/audit";
import type { Ctx } from "@/lib/workspaces/context";
import {
  diffCustomerLedgers,
  rollupDeltaOf,
  stagedFormOf,
  writeLedgerChanges,
  type CustomerLedgerChange,
} from "./ledger";
import { findPendingChange, loadLedgerContext, parsePending, type PendingPolicy } from "./settings";

const BATCH = 500;
/** Whole passes before giving up when rebuilds keep replacing the rows a pass compared against. */
const PASSES = 3;
const SUPERSEDED = "Superseded by a newer policy change.";

export type PolicyChangeProgress = { phase: "computing" | "applying"; done: number; total: number };

/**
 * Records `policy` (the stored partial object) as the workspace's pending change, with its job row, under the
 * exclusive lock: events in flight commit first, and every later one records its customers. A change already
 * pending is superseded. Returns the job id.
 */
export async function requestPolicyChange(
  db: Db,
  ctx: Ctx,
  policy: Record<string, unknown>,
): Promise<{ jobId: string }> {
  const parsed = metricPolicySchema.safeParse(policy);
  if (!parsed.success) throw new AppError("VALIDATION", parsed.error.issues[0]?.message ?? "Invalid policy.");
  const jobId = newId("job");
  const workspaceId = ctx.workspace.id;
  await db.transaction(async (tx) => {
    await lockConfigExclusive(tx, workspaceId);
    const before = await findPendingChange(tx, workspaceId);
    const pending = { jobId, policy, requestedBy: ctx.actorUserId, requestedAt: new Date().toISOString() };
    await tx
      .insert(metricSettings)
      .values({ workspaceId, pending })
      .onConflictDoUpdate({ target: metricSettings.workspaceId, set: { pending } });
    await clearPendingChange(tx, workspaceId);
    if (before) await failPolicyJob(tx, workspaceId, before.jobId, SUPERSEDED);
    await tx.insert(jobs).values({ workspaceId, id: jobId, kind: "policy", status: "queued", input: { policy } });
  });
  return { jobId };
}

/** Updates a policy job's row, unless it already succeeded (its outcome is final). */
function updatePolicyJob(db: Executor, workspaceId: string, jobId: string, set: Partial<typeof jobs.$inferInsert>) {
  return db
    .update(jobs)
    .set({ ...set, updatedAt: new Date() })
    .where(and(eq(jobs.workspaceId, workspaceId), eq(jobs.id, jobId), sql`${jobs.status} <> 'succeeded'`));
}

/** Marks a policy job failed with `error`, unless it already succeeded. */
export async function failPolicyJob(db: Executor, workspaceId: string, jobId: string, error: string) {
  await updatePolicyJob(db, workspaceId, jobId, { status: "failed", error });
}

/**
 * Drops the pending change `jobId` (the policy in force stays, nothing of the change is written). False when that
 * change is no longer pending: it was applied or superseded meanwhile.
 */
export async function discardPolicyChange(db: Db, ctx: Ctx, jobId: string): Promise<boolean> {
  const workspaceId = ctx.workspace.id;
  return db.transaction(async (tx) => {
    await lockConfigExclusive(tx, workspaceId);
    const pending = await findPendingChange(tx, workspaceId);
    if (pending?.jobId !== jobId) return false;
    await tx.update(metricSettings).set({ pending: null }).where(eq(metricSettings.workspaceId, workspaceId));
    await clearPendingChange(tx, workspaceId);
    await failPolicyJob(tx, workspaceId, jobId, "Discarded before it was applied.");
    await insertAudit(tx, ctx, "metrics.policy.discard", workspaceId, { jobId, policy: pending.policy });
    return true;
  });
}

/** Whether the workspace has more than `above` customers: its policy change then runs in the background. */
export async function policyChangeRunsInBackground(db: Db, workspaceId: string, above: number): Promise<boolean> {
  return (await countCustomersUpTo(db, workspaceId, above + 1)) > above;
}

export type PolicyChangeStatus = {
  pending: PendingPolicy;
  status: string;
  progress: PolicyChangeProgress | null;
  error: string | null;
};

/** The change being applied, with its job's state and progress; null when none is pending. */
export async function getPolicyChangeStatus(db: Db, workspaceId: string): Promise<PolicyChangeStatus | null> {
  const pending = await findPendingChange(db, workspaceId);
  if (!pending) return null;
  const [job] = await db
    .select()
    .from(jobs)
    .where(and(eq(jobs.workspaceId, workspaceId), eq(jobs.id, pending.jobId)));
  const progress = job?.progress as Partial<PolicyChangeProgress> | null | undefined;
  return {
    pending,
    status: job?.status ?? "queued",
    progress: progress?.phase ? (progress as PolicyChangeProgress) : null,
    error: job?.error ?? null,
  };
}

/**
 * Applies the pending change `jobId` (see the module comment). "superseded" when another change replaced it
 * before it could be applied (nothing of it is written). The job row follows: running, progress, the outcome.
 */
export async function runPolicyChange(
  db: Db,
  workspaceId: string,
  jobId: string,
  onProgress?: (p: PolicyChangeProgress) => void | Promise<void>,
): Promise<"applied" | "superseded"> {
  const report = async (p: PolicyChangeProgress) => {
    await updatePolicyJob(db, workspaceId, jobId, { progress: p });
    await onProgress?.(p);
  };
  const end = (set: Partial<typeof jobs.$inferInsert>) => updatePolicyJob(db, workspaceId, jobId, set);
  const superseded = async () => {
    await failPolicyJob(db, workspaceId, jobId, SUPERSEDED);
    return "superseded" as const;
  };
  if ((await findPendingChange(db, workspaceId))?.jobId !== jobId) return superseded();
  await end({ status: "running", error: null });
  try {
    for (let pass = 1; pass <= PASSES; pass++) {
      const outcome = await runPass(db, workspaceId, jobId, report);
      if (outcome === "superseded") return superseded();
      if (outcome !== "again") {
        await end({ status: "succeeded", progress: outcome });
        return "applied";
      }
      log.info("kpi.policy.pass_again", { workspaceId, jobId, pass });
    }
    throw new Error(`the ledger was rebuilt during each of ${PASSES} passes; save the policy again`);
  } catch (err) {
    const message = ((err as { cause?: Error }).cause ?? (err as Error)).message;
    await end({ status: "failed", error: String(message).slice(0, 500) });
    throw err;
  }
}

type PassOutcome = "again" | "superseded" | { customers: number; changed: number; recomputed: number };

/** Runs one pass, and drops what it staged unless its swap applied it (the swap clears the staging itself). */
async function runPass(
  db: Db,
  workspaceId: string,
  jobId: string,
  report: (p: PolicyChangeProgress) => Promise<void>,
): Promise<PassOutcome> {
  const runId = newId("run");
  let outcome: PassOutcome | undefined;
  try {
    outcome = await computeAndSwap(db, workspaceId, jobId, runId, report);
    return outcome;
  } finally {
    if (typeof outcome !== "object")
      await unstageLedgerChanges(db, workspaceId, runId).catch((err: unknown) =>
        log.warn("kpi.policy.unstage_failed", { workspaceId, jobId, error: String(err) }),
      );
  }
}

async function computeAndSwap(
  db: Db,
  workspaceId: string,
  jobId: string,
  runId: string,
  report: (p: PolicyChangeProgress) => Promise<void>,
): Promise<PassOutcome> {
  // The context and epoch this pass computes under; the swap checks both are still in force.
  const start = await db.transaction(async (tx) => {
    const context = await loadLedgerContext(workspaceId, tx);
    return { context, ...(await findPendingState(tx, workspaceId)) };
  });
  const pending = parsePending(start.pending);
  if (!start.context) throw new AppError("NOT_FOUND", "No such workspace.");
  if (pending?.jobId !== jobId) return "superseded";
  const { workspace } = start.context;
  const config = { policy: pending.policy, fxRates: start.context.config.fxRates };

  const customers = await listCustomersWithVersions(workspaceId, db);
  // The customers whose ledger changes, staged in the table as they are found; `delta` sums what the rollups move
  // by for all of them (a customer computed again at the swap is taken out of it).
  const staged = new Map<string, CustomerLedgerChange>();
  const delta = emptyRollupDelta();
  for (let i = 0; i < customers.length; i += BATCH) {
    const batch = customers.slice(i, i + BATCH);
    // One read per batch, no transaction: what an event changes meanwhile, it records for the swap.
    const changes = await diffCustomerLedgers(db, workspace, config, batch);
    await stageLedgerChanges(
      db,
      workspaceId,
      runId,
      changes.map((c) => stagedFormOf(workspaceId, c)),
    );
    for (const change of changes) staged.set(change.customerId, change);
    mergeRollupDelta(delta, rollupDeltaOf(changes));
    const done = Math.min(i + BATCH, customers.length);
    await report({ phase: "computing", done, total: customers.length });
    if ((i / BATCH) % 10 === 9 && (await findPendingChange(db, workspaceId))?.jobId !== jobId) return "superseded";
  }

  await report({ phase: "applying", done: 0, total: staged.size });
  return db.transaction(async (tx): Promise<PassOutcome> => {
    // Events in flight commit first; the ones that arrive now wait (up to 5 s, then 503 and Stripe retries).
    await lockConfigExclusive(tx, workspaceId);
    const now = await findPendingState(tx, workspaceId);
    if (parsePending(now.pending)?.jobId !== jobId) return "superseded";
    if (now.epoch !== start.epoch) return "again";
    // Every staged row must still be there (the table is unlogged: a database crash empties it).
    if ((await countStagedChanges(tx, workspaceId, runId)) !== staged.size) return "again";
    // The customers events touched since the pass began: unstaged, and computed again from what is stored now.
    const locked = performance.now();
    const touched = await listPendingCustomers(tx, workspaceId);
    const restaged = touched.filter((id) => staged.has(id));
    await unstageLedgerChanges(tx, workspaceId, runId, restaged);
    for (const id of restaged) {
      mergeRollupDelta(delta, rollupDeltaOf([staged.get(id)!]), -1);
      staged.delete(id);
    }
    const fresh: CustomerLedgerChange[] = [];
    for (let i = 0; i < touched.length; i += BATCH)
      fresh.push(...(await diffCustomerLedgers(tx, workspace, config, touched.slice(i, i + BATCH))));
    const computed = performance.now();
    // The staged customers set-based, then the touched ones; the rollups once, by the sum of both.
    await applyStagedChanges(tx, workspaceId, runId);
    await writeLedgerChanges(tx, workspaceId, fresh, { alsoRollups: delta });
    const changed = staged.size + fresh.length;
    log.info("kpi.policy.swap", {
      workspaceId,
      jobId,
      recomputed: touched.length,
      changed,
      recomputeMs: Math.round(computed - locked),
      writeMs: Math.round(performance.now() - computed),
    });
    const requestedBy = typeof now.pending?.requestedBy === "string" ? now.pending.requestedBy : null;
    await tx
      .update(metricSettings)
      .set({
        policy: now.pending!.policy as Record<string, unknown>,
        pending: null,
        updatedAt: new Date(),
        updatedBy: requestedBy,
      })
      .where(eq(metricSettings.workspaceId, workspaceId));
    await clearPendingChange(tx, workspaceId);
    await insertAudit(tx, { workspace, actorUserId: requestedBy }, "metrics.policy.update", workspaceId, {
      policy: now.pending!.policy,
      customersChanged: changed,
    });
    return { customers: customers.length, changed, recomputed: touched.length };
  });
}
