import { lockCustomerLedgers } from "@/db/queries/config-lock";
import type { Executor } from "@/db/client";
import {
  deleteAllMrrChanges,
  diffLedgerRows,
  diffMarks,
  listCustomersWithVersions,
  listMeteredLines,
  listSubscriptionVersions,
  markRow,
  replaceMrrChanges,
  replaceTrialMarks,
  snakeRows,
  toRow,
} from "@/db/queries/mrr";
import { bumpLedgerEpoch, type StagedLedgerChange } from "@/db/queries/policy-change";
import {
  listCustomerLedgerInputs,
  storeJudgments,
  writeCustomerLedger,
  writeRollupDelta,
  type JudgedVersion,
  type VersionJudgment,
} from "@/db/queries/ledger-refresh";
import type { VersionKey } from "@/db/queries/stripe-projection";
import {
  annotateLedger,
  diffRollups,
  mergeRollupDelta,
  type AnnotatedChange,
  type RollupDelta,
} from "@/lib/metrics/rollup";
import { listTrialMarks, type TrialMark } from "@/lib/metrics/trials";
import type { MeteredUsageLine } from "@/lib/metrics/metered";
import { computeCustomerMrrSeries, sameJson } from "@/lib/metrics/mrr-series";
import { toMrrChanges, type MrrChange } from "@/lib/metrics/movements";
import type { SchedulePhase, SubscriptionVersion } from "@/lib/metrics/types";
import { listSchedulePhases } from "@/db/queries/finance";
import type { Workspace } from "@/lib/workspaces/context";
import type { MetricConfig } from "./settings";

/**
 * The ledger holds every change already known, including ones scheduled for later (a repeating discount that
 * ends next quarter, a past_due auto-churn): as-of queries cut at their day, so a future row never changes a past
 * answer, and no clock is needed to keep the ledger current.
 */
const HORIZON = "9999-12-31";

/** Pure step: the ledger rows of customers from their subscription versions. */
export function computeLedgerRows(
  versionsByCustomer: ReadonlyMap<string, SubscriptionVersion[]>,
  workspace: Pick<Workspace, "timezone" | "currency">,
  config: Pick<MetricConfig, "policy" | "fxRates">,
  meteredLines: readonly MeteredUsageLine[] = [],
  schedules: readonly SchedulePhase[] = [],
): MrrChange[] {
  const out: MrrChange[] = [];
  for (const [customerId, versions] of versionsByCustomer) {
    const series = computeCustomerMrrSeries({
      versions,
      policy: config.policy,
      timeZone: workspace.timezone,
      reportingCurrency: workspace.currency,
      fxRates: config.fxRates,
      toDay: HORIZON,
      meteredLines: meteredLines.filter((l) => l.customerId === customerId),
      schedules: schedules.filter((s) => s.customerId === customerId),
    });
    out.push(...toMrrChanges(customerId, series, config.policy));
  }
  return out;
}

/** Metered invoice lines matter only under the trailing-average policy (N4); skip the query otherwise. */
function loadMeteredLines(
  tx: Executor,
  workspaceId: string,
  config: Pick<MetricConfig, "policy">,
  customerIds: readonly string[],
) {
  return config.policy.metered === "trailing3MonthAverage"
    ? listMeteredLines(workspaceId, tx, customerIds)
    : Promise.resolve([]);
}

/** The trial marks of these versions' subscriptions, under the workspace's policies and time zone. */
function marksOf(
  rows: readonly { version: SubscriptionVersion }[],
  workspace: Pick<Workspace, "timezone">,
  config: Pick<MetricConfig, "policy">,
) {
  return listTrialMarks({ versions: rows.map((r) => r.version), policy: config.policy, timeZone: workspace.timezone });
}

/**
 * Judges the versions a refresh read (in `(valid_from, event_key)` order): each repeats when its state equals the
 * state of the one read before it of its subscription, which holds the state of every version left out between
 * them (ADR 0015). Returns the versions that do not repeat, and the judgments that differ from the stored ones.
 */
export function judgeVersions(read: readonly JudgedVersion[]): {
  changes: JudgedVersion[];
  judged: VersionJudgment[];
} {
  const before = new Map<string, JudgedVersion>();
  const changes: JudgedVersion[] = [];
  const judged: VersionJudgment[] = [];
  for (const v of read) {
    const prev = before.get(v.subscriptionId);
    const repeats = prev !== undefined && sameJson(prev.version.state, v.version.state);
    before.set(v.subscriptionId, v);
    if (repeats !== v.repeats)
      judged.push({ subscriptionId: v.subscriptionId, eventId: v.version.eventId ?? "", repeats });
    if (!repeats) changes.push(v);
  }
  return { changes, judged };
}

function groupByCustomer(
  rows: readonly { customerId: string; version: SubscriptionVersion }[],
  customerIds: readonly string[],
) {
  const map = new Map<string, SubscriptionVersion[]>(customerIds.map((c) => [c, []]));
  for (const r of rows) map.get(r.customerId)?.push(r.version);
  return map;
}

/**
 * Recomputes the ledger of the given customers from their subscription history, inside the caller's transaction
 * (the Stripe ingest calls it for the customers an event touched).
 */
export async function refreshCustomerLedger({
  tx,
  workspace,
  config,
  customerIds,
  fresh,
  locked,
}: {
  tx: Executor;
  workspace: Pick<Workspace, "id" | "timezone" | "currency">;
  config: Pick<MetricConfig, "policy" | "fxRates">;
  customerIds: readonly string[];
  /** Versions this transaction inserted and judged (`writeSubscriptions`): checked under the lock. */
  fresh?: readonly VersionKey[];
  /** Customers whose locks the transaction already holds (an event's first statement, a backfill page; ADR 0016). */
  locked?: ReadonlySet<string>;
}): Promise<number> {
  const ids = [...new Set(customerIds)].sort();
  if (ids.length === 0) return 0;
  // Two events of one customer (on different subscriptions) may run at once: the second waits here until the first
  // commits, so it reads the rows the first wrote and moves the rollups by the right difference (ADR 0009). A
  // webhook's event took its customer's lock in its first statement already (northstar_config_shared, same key), a
  // backfill page its customers' locks before its first write (ADR 0016).
  await lockCustomerLedgers(
    tx,
    workspace.id,
    ids.filter((id) => !locked?.has(id)),
  );
  const { inputs, rows, marks, judged } = await computeCustomerLedgers(tx, workspace, config, ids, fresh);
  await writeCustomerLedger(workspace.id, tx, { old: inputs, rows, marks, judged });
  return rows.length;
}

/**
 * Reads these customers' history with their stored ledger rows and trial marks, and computes their rows and marks
 * under `config`: what a refresh writes, and what a policy change compares (ADR 0017).
 */
async function computeCustomerLedgers(
  db: Executor,
  workspace: Pick<Workspace, "id" | "timezone" | "currency">,
  config: Pick<MetricConfig, "policy" | "fxRates">,
  ids: readonly string[],
  fresh?: readonly VersionKey[],
) {
  // One read for the history, the stored rows and marks; the schedules only when the customers have any.
  const inputs = await listCustomerLedgerInputs(workspace.id, db, ids, fresh);
  const metered = await loadMeteredLines(db, workspace.id, config, ids);
  const schedules = inputs.hasSchedules ? await listSchedulePhases(workspace.id, db, ids) : [];
  const { changes, judged } = judgeVersions(inputs.versions);
  const rows = computeLedgerRows(groupByCustomer(changes, ids), workspace, config, metered, schedules);
  return { inputs, rows, marks: marksOf(changes, workspace, config), judged };
}

/** One customer's stored ledger rows and marks, and what they become under another policy. */
export type CustomerLedgerChange = {
  customerId: string;
  old: { rows: AnnotatedChange[]; marks: TrialMark[] };
  rows: MrrChange[];
  /** `rows` annotated as stored. */
  annotated: AnnotatedChange[];
  marks: TrialMark[];
  /** What differs from the stored rows and marks (`diffLedgerRows`, `diffMarks`). */
  diff: { rows: ReturnType<typeof diffLedgerRows>; marks: ReturnType<typeof diffMarks> };
};

/**
 * The customers of `ids` whose ledger rows or trial marks would change under `config`, with their stored and
 * their new rows and marks (`writeLedgerChanges` writes them). Reads as a refresh does; writes nothing.
 */
export async function diffCustomerLedgers(
  db: Executor,
  workspace: Pick<Workspace, "id" | "timezone" | "currency">,
  config: Pick<MetricConfig, "policy" | "fxRates">,
  ids: readonly string[],
): Promise<CustomerLedgerChange[]> {
  if (ids.length === 0) return [];
  const { inputs, rows, marks } = await computeCustomerLedgers(db, workspace, config, ids);
  const by = <T extends { customerId: string }>(list: readonly T[]) => {
    const map = new Map<string, T[]>();
    for (const x of list) (map.get(x.customerId) ?? map.set(x.customerId, []).get(x.customerId)!).push(x);
    return map;
  };
  const [oldRows, oldMarks, newRows, newMarks] = [by(inputs.rows), by(inputs.marks), by(rows), by(marks)];
  const out: CustomerLedgerChange[] = [];
  for (const customerId of ids) {
    const [rows, marks] = [newRows.get(customerId) ?? [], newMarks.get(customerId) ?? []];
    const old = { rows: oldRows.get(customerId) ?? [], marks: oldMarks.get(customerId) ?? [] };
    const annotated = annotateLedger(rows);
    const diff = { rows: diffLedgerRows(old.rows, annotated), marks: diffMarks(old.marks, marks) };
    const { rows: r, marks: m } = diff;
    if (r.upserts.length + r.deletes.length + m.upserts.length + m.deletes.length > 0)
      out.push({ customerId, old, rows, annotated, marks, diff });
  }
  return out;
}

/** What the rollups move by when these changes are written. */
export function rollupDeltaOf(changes: readonly CustomerLedgerChange[]): RollupDelta {
  return diffRollups(
    changes.flatMap((c) => c.old.rows),
    changes.flatMap((c) => c.annotated),
  );
}

/** A change as `ledger_staged_changes` keeps it until the swap: only the rows and marks that differ. */
export function stagedFormOf(workspaceId: string, change: CustomerLedgerChange): StagedLedgerChange {
  const { rows, marks } = change.diff;
  return {
    customer_id: change.customerId,
    rows: snakeRows(rows.upserts.map((r) => toRow(workspaceId, r))),
    deletes: rows.deletes.map((d) => d.day),
    marks: snakeRows(marks.upserts.map((m) => markRow(workspaceId, m))),
    unmarks: marks.deletes.map((m) => ({ subscription_id: m.subscriptionId, seq: m.seq })),
  };
}

/**
 * Writes ledger changes computed by `diffCustomerLedgers`: one statement per `chunk` customers for the rows and
 * marks, then one that moves the rollups by the whole difference. The caller holds the configuration lock
 * exclusively, and the stored rows must still be the `old` ones (ADR 0017: every refresh since was recorded, and
 * its customers computed again).
 */
export async function writeLedgerChanges(
  db: Executor,
  workspaceId: string,
  changes: readonly CustomerLedgerChange[],
  {
    chunk = 500,
    alsoRollups,
  }: {
    chunk?: number;
    /** A difference the rollups move by as well, in the same statement (the staged customers' at a swap). */
    alsoRollups?: RollupDelta;
  } = {},
): Promise<void> {
  // The rows and marks by chunks; the rollups once at the end, each of their rows moved once by the sum.
  const deferRollups = { removed: [] as AnnotatedChange[], added: [] as AnnotatedChange[] };
  for (let i = 0; i < changes.length; i += chunk) {
    const part = changes.slice(i, i + chunk);
    await writeCustomerLedger(workspaceId, db, {
      old: { rows: part.flatMap((c) => c.old.rows), marks: part.flatMap((c) => c.old.marks) },
      rows: part.flatMap((c) => c.rows),
      marks: part.flatMap((c) => c.marks),
      deferRollups,
    });
  }
  const delta = diffRollups(deferRollups.removed, deferRollups.added);
  await writeRollupDelta(workspaceId, db, alsoRollups ? mergeRollupDelta(delta, alsoRollups) : delta);
}

/**
 * The ledger rows of a batch of customers from their versions (repeats dropped or not), with what else the rows
 * read: their metered lines (under the trailing-average policy) and schedules. A rebuild writes them; the policy
 * preview compares them with the stored rows, so it shows what saving would write.
 */
export async function computeBatchLedger(
  db: Executor,
  workspace: Pick<Workspace, "id" | "timezone" | "currency">,
  config: Pick<MetricConfig, "policy" | "fxRates">,
  batch: readonly string[],
  versions: readonly { customerId: string; version: SubscriptionVersion }[],
): Promise<MrrChange[]> {
  // One after the other: in a rebuild `db` is the transaction.
  const metered = await loadMeteredLines(db, workspace.id, config, batch);
  const schedules = await listSchedulePhases(workspace.id, db, batch);
  return computeLedgerRows(groupByCustomer(versions, batch), workspace, config, metered, schedules);
}

/**
 * Recomputes the whole workspace's ledger and trial marks (a policy, currency or FX change; `admin rebuild`), in
 * batches.
 */
export async function rebuildLedger({
  tx,
  workspace,
  config,
  onProgress,
}: {
  tx: Executor;
  workspace: Pick<Workspace, "id" | "timezone" | "currency">;
  config: Pick<MetricConfig, "policy" | "fxRates">;
  onProgress?: (done: number, total: number) => void;
}): Promise<{ customers: number; rows: number }> {
  const customers = await listCustomersWithVersions(workspace.id, tx);
  await deleteAllMrrChanges(workspace.id, tx);
  // A policy change computed aside before this rebuild compares against rows that are gone (ADR 0017).
  await bumpLedgerEpoch(tx, workspace.id);
  let rows = 0;
  for (let i = 0; i < customers.length; i += 500) {
    const batch = customers.slice(i, i + 500);
    // Whole histories: every judgment is checked. A rebuild only clears a wrong "repeats" (the safe direction: the
    // version is read again); setting one is left to the refreshes, under the customer's lock (ADR 0015).
    const { changes, judged } = judgeVersions(await listSubscriptionVersions(workspace.id, tx, batch));
    await storeJudgments(
      workspace.id,
      tx,
      judged.filter((j) => !j.repeats),
    );
    const ledger = await computeBatchLedger(tx, workspace, config, batch, changes);
    await replaceMrrChanges(workspace.id, tx, [], ledger);
    await replaceTrialMarks(workspace.id, tx, [], marksOf(changes, workspace, config));
    rows += ledger.length;
    onProgress?.(Math.min(i + 500, customers.length), customers.length);
  }
  return { customers: customers.length, rows };
}
