import { sql } from "drizzle-orm";
import { z } from "zod";
import type { Db, Executor } from "@/db/client";
import { lockConfigExclusive } from "@/db/queries/config-lock";
import {
  findLedgerContextRow,
  findMetricSettingsRow,
  listFxRates,
  type LedgerContextRow,
} from "@/db/queries/metric-settings";
import { findPendingState } from "@/db/queries/policy-change";
import { metricSettings } from "@/db/schema";
import { AppError } from "@/lib/errors";
import {
  differsOnlyAtReadTime,
  kpiSettingsSchema,
  metricPolicySchema,
  type KpiSettings,
  type MetricPolicy,
} from "@/lib/metrics/policy";
import type { FxRate } from "@/lib/metrics/types";
import { insertAudit } from "@/lib/workspaces/audit";
import type { Ctx } from "@/lib/workspaces/context";
import { sameJson } from "@/lib/metrics/mrr-series";
import { rebuildLedger } from "./ledger";
import { failPolicyJob, requestPolicyChange, runPolicyChange } from "./policy-change";

export type MetricConfig = { policy: MetricPolicy; settings: KpiSettings; fxRates: FxRate[] };

/** The workspace's policies, KPI settings and FX rates, merged over the defaults of docs/metrics.md. */
export async function getMetricConfig(workspaceId: string, db: Executor): Promise<MetricConfig> {
  const [row, rates] = await Promise.all([findMetricSettingsRow(workspaceId, db), listFxRates(workspaceId, db)]);
  return {
    policy: metricPolicySchema.parse(row?.policy ?? {}),
    settings: kpiSettingsSchema.parse(row?.settings ?? {}),
    fxRates: rates.map((r) => ({ currency: r.currency, rateDate: r.rateDate, rate: r.rate })),
  };
}

export type LedgerContext = {
  workspace: { id: string; timezone: string; currency: string };
  config: MetricConfig;
  /** A policy change being applied in the background (ADR 0017): its job and the policy it will store. */
  pending: PendingPolicy | null;
};

export type PendingPolicy = { jobId: string; policy: MetricPolicy; requestedAt: string | null };

/** The stored `metric_settings.pending` object, parsed (null when no change is being applied). */
export function parsePending(raw: Record<string, unknown> | null | undefined): PendingPolicy | null {
  if (!raw || typeof raw.jobId !== "string") return null;
  const requestedAt = typeof raw.requestedAt === "string" ? raw.requestedAt : null;
  return { jobId: raw.jobId, policy: metricPolicySchema.parse(raw.policy ?? {}), requestedAt };
}

/** The workspace's pending policy change, parsed (null when none is being applied). */
export async function findPendingChange(db: Executor, workspaceId: string): Promise<PendingPolicy | null> {
  return parsePending((await findPendingState(db, workspaceId)).pending);
}

/** Parses a stored ledger context row (from `findLedgerContextRow` or the event insert that returns it). */
export function toLedgerContext(workspaceId: string, row: LedgerContextRow): LedgerContext {
  const config: MetricConfig = {
    policy: metricPolicySchema.parse(row.policy ?? {}),
    settings: kpiSettingsSchema.parse(row.settings ?? {}),
    fxRates: row.fx ?? [],
  };
  return {
    workspace: { id: workspaceId, timezone: row.timezone!, currency: row.currency!.trim() },
    config,
    pending: parsePending(row.pending),
  };
}

/**
 * What recomputing a workspace's ledger reads: its time zone and currency with its policies and FX rates, in one
 * round trip. Undefined for an unknown workspace. The webhook path gets the same row from its event insert instead
 * (`insertStripeEventWithOutcome`).
 */
export async function loadLedgerContext(workspaceId: string, db: Executor): Promise<LedgerContext | undefined> {
  const row = await findLedgerContextRow(workspaceId, db);
  return row ? toLedgerContext(workspaceId, row) : undefined;
}

/**
 * Changes metric policies and/or KPI settings. KPI settings apply at once (nothing stored derives from them). A
 * policy that differs from the one in force is recorded as pending and applied by `runPolicyChange` (ADR 0017),
 * which recomputes the MRR history aside and swaps it in with the policy, so no answer ever mixes two policies.
 * Without `background` that happens before this returns; with it, `background` queues the job and this returns its
 * id at once.
 */
export async function updateMetricConfig({
  db,
  ctx,
  input,
  background,
}: {
  db: Db;
  ctx: Ctx;
  input: { policy?: Record<string, unknown>; settings?: Record<string, unknown> };
  background?: (jobId: string) => Promise<void>;
}): Promise<MetricConfig & { jobId: string | null }> {
  const policy = input.policy === undefined ? undefined : metricPolicySchema.safeParse(input.policy);
  const settings = input.settings === undefined ? undefined : kpiSettingsSchema.safeParse(input.settings);
  const issues = [
    ...(policy && !policy.success ? policy.error.issues : []),
    ...(settings && !settings.success ? settings.error.issues : []),
  ];
  if (issues.length > 0)
    throw new AppError("VALIDATION", undefined, {
      fieldErrors: Object.fromEntries(issues.map((i) => [i.path.join(".") || "policy", [i.message]])),
    });
  if (input.settings !== undefined) {
    const value = input.settings;
    await db.transaction(async (tx) => {
      await tx
        .insert(metricSettings)
        .values({ workspaceId: ctx.workspace.id, settings: value, updatedBy: ctx.actorUserId })
        .onConflictDoUpdate({
          target: metricSettings.workspaceId,
          set: { settings: value, updatedAt: new Date(), updatedBy: ctx.actorUserId },
        });
      await insertAudit(tx, ctx, "metrics.settings.update", ctx.workspace.id, { settingsKeys: Object.keys(value) });
    });
  }
  let jobId: string | null = null;
  if (input.policy !== undefined && policy?.success) {
    const current = await getMetricConfig(ctx.workspace.id, db);
    const changed = !sameJson(policy.data, current.policy);
    // Only read-time policies changed (and nothing is pending): stored at once, as KPI settings are, no job.
    const storedAtOnce =
      changed &&
      differsOnlyAtReadTime(policy.data, current.policy) &&
      (await storeReadTimePolicy(db, ctx, input.policy));
    // A save while another change is pending supersedes it, even back to the policy in force.
    if (!storedAtOnce && (changed || (await findPendingChange(db, ctx.workspace.id)))) {
      const id = (await requestPolicyChange(db, ctx, input.policy)).jobId;
      jobId = id;
      if (!background) await runPolicyChange(db, ctx.workspace.id, id);
      else
        await background(id).catch(async (err: unknown) => {
          await failPolicyJob(db, ctx.workspace.id, id, "The change could not be queued; save it again.");
          throw err;
        });
    }
  }
  return { ...(await getMetricConfig(ctx.workspace.id, db)), jobId };
}

/**
 * Stores a policy that differs from the one in force only in read-time policies (`READ_TIME_POLICIES`), under the
 * exclusive lock, with its audit entry. False, storing nothing, when a change is pending (the save then goes
 * through `requestPolicyChange` and supersedes it).
 */
async function storeReadTimePolicy(db: Db, ctx: Ctx, value: Record<string, unknown>): Promise<boolean> {
  const workspaceId = ctx.workspace.id;
  return db.transaction(async (tx) => {
    await lockConfigExclusive(tx, workspaceId);
    if ((await findPendingState(tx, workspaceId)).pending) return false;
    await tx
      .insert(metricSettings)
      .values({ workspaceId, policy: value, updatedBy: ctx.actorUserId })
      .onConflictDoUpdate({
        target: metricSettings.workspaceId,
        set: { policy: value, updatedAt: new Date(), updatedBy: ctx.actorUserId },
      });
    await insertAudit(tx, ctx, "metrics.policy.update", workspaceId, { policy: value, customersChanged: 0 });
    return true;
  });
}

const fxRowSchema = z.object({
  currency: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z]{3}$/, "Use a 3-letter currency code."),
  rateDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "Use YYYY-MM-DD."),
  rate: z
    .string()
    .trim()
    .regex(/^\d+(\.\d{1,10})?$/, "Use a positive decimal with at most 10 places.")
    .refine((r) => Number(r) > 0, "The rate must be above 0."),
});

/**
 * Loads FX rates (CSV columns currency, rateDate/date, rate) for the workspace: all rows valid or nothing written.
 * Existing (currency, date) pairs are replaced; MRR history is recomputed in the same transaction.
 */
export async function loadFxRates({ db, ctx, input }: { db: Db; ctx: Ctx; input: { rows: unknown[] } }) {
  const rows: z.output<typeof fxRowSchema>[] = [];
  const errors: string[] = [];
  input.rows.forEach((raw, i) => {
    const r = fxRowSchema.safeParse(raw);
    if (r.success) rows.push(r.data);
    else errors.push(`row ${i + 1}: ${r.error.issues.map((x) => `${x.path.join(".")}: ${x.message}`).join("; ")}`);
  });
  if (errors.length > 0)
    throw new AppError(
      "VALIDATION",
      `${errors[0]}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ""}; nothing loaded`,
    );
  return db.transaction(async (tx) => {
    await lockConfigExclusive(tx, ctx.workspace.id);
    for (const r of rows)
      await tx.execute(
        sql`insert into fx_rates (workspace_id, currency, rate_date, rate) values (${ctx.workspace.id}, ${r.currency}, ${r.rateDate}, ${r.rate})
            on conflict (workspace_id, currency, rate_date) do update set rate = excluded.rate`,
      );
    await insertAudit(tx, ctx, "metrics.fx.load", ctx.workspace.id, { rows: rows.length });
    await rebuildLedger({ tx, workspace: ctx.workspace, config: await getMetricConfig(ctx.workspace.id, tx) });
    return { loaded: rows.length };
  });
}
