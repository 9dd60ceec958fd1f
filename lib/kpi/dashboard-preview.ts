import type { Executor } from "@/db/client";
import { listCustomersWithVersions, listMrrChanges, listSubscriptionVersions } from "@/db/queries/mrr";
import { computeHeadline } from "@/lib/metrics/headline";
import { computeMovementPeriods, type MovementPeriod } from "@/lib/metrics/movement-periods";
import type { MrrChange } from "@/lib/metrics/movements";
import { differsOnlyAtReadTime, type KpiSettings, type MetricPolicy } from "@/lib/metrics/policy";
import { addMonths, startOfPeriod } from "@/lib/metrics/time";
import type { Day } from "@/lib/metrics/types";
import type { Workspace } from "@/lib/workspaces/context";
import { computeBatchLedger } from "./ledger";
import type { MetricConfig } from "./settings";

export type PolicyPreview = {
  asOf: Day;
  current: { mrr: number; arr: number; payingCustomers: number; ltv: number | null; periods: MovementPeriod[] };
  candidate: { mrr: number; arr: number; payingCustomers: number; ltv: number | null; periods: MovementPeriod[] };
  /** Customers whose MRR today differs, largest difference first (at most 20). */
  customers: { customerId: string; current: number; candidate: number }[];
};

const BATCH = 500;

/**
 * The whole ledger recomputed under a candidate policy, in memory, batch by batch as a rebuild computes it (metered
 * lines and schedules included): nothing is written (updateMetricConfig does that).
 */
async function computeCandidateLedger(
  workspace: Workspace,
  db: Executor,
  config: Pick<MetricConfig, "fxRates">,
  policy: MetricPolicy,
): Promise<MrrChange[]> {
  const ids = await listCustomersWithVersions(workspace.id, db);
  const out: MrrChange[] = [];
  for (let i = 0; i < ids.length; i += BATCH) {
    const batch = ids.slice(i, i + BATCH);
    const versions = await listSubscriptionVersions(workspace.id, db, batch);
    out.push(...(await computeBatchLedger(db, workspace, { policy, fxRates: config.fxRates }, batch, versions)));
  }
  return out;
}

function latestMrr(changes: readonly MrrChange[], asOf: Day): Map<string, number> {
  const m = new Map<string, { day: Day; mrr: number }>();
  for (const c of changes) {
    if (c.day > asOf) continue;
    const prev = m.get(c.customerId);
    if (!prev || prev.day < c.day) m.set(c.customerId, { day: c.day, mrr: c.mrr });
  }
  return new Map([...m].map(([k, v]) => [k, v.mrr]));
}

/**
 * How MRR, LTV and the last months' movements would change under a candidate policy and settings, computed with
 * the pure engine on the current subscription history. The current side reads the stored ledger.
 */
export async function computePolicyPreview(
  workspace: Workspace,
  db: Executor,
  config: MetricConfig,
  candidate: { policy: MetricPolicy; settings: KpiSettings },
  asOf: Day,
): Promise<PolicyPreview> {
  const currentChanges = await listMrrChanges(workspace.id, db, { to: asOf });
  // Read-time policies change no row: the candidate's ledger is the stored one, and nothing is recomputed.
  const candidateChanges = differsOnlyAtReadTime(candidate.policy, config.policy)
    ? currentChanges
    : (await computeCandidateLedger(workspace, db, config, candidate.policy)).filter((c) => c.day <= asOf);
  const range = { from: startOfPeriod(addMonths(asOf, -5), "month"), to: asOf, interval: "month" as const };
  const side = (changes: MrrChange[], policy: MetricPolicy, settings: KpiSettings) => {
    const h = computeHeadline({
      changes,
      asOf,
      policy,
      settings,
      timeZone: workspace.timezone,
      reportingCurrency: workspace.currency,
      fxRates: config.fxRates,
    });
    return {
      mrr: h.values.mrr ?? 0,
      arr: h.values.arr ?? 0,
      payingCustomers: h.values.payingCustomers ?? 0,
      ltv: h.values.ltv,
      periods: computeMovementPeriods({ changes, ...range }).value,
    };
  };
  const now = latestMrr(currentChanges, asOf);
  const next = latestMrr(candidateChanges, asOf);
  const customers = [...new Set([...now.keys(), ...next.keys()])]
    .map((customerId) => ({ customerId, current: now.get(customerId) ?? 0, candidate: next.get(customerId) ?? 0 }))
    .filter((c) => c.current !== c.candidate)
    .sort((a, b) => Math.abs(b.candidate - b.current) - Math.abs(a.candidate - a.current))
    .slice(0, 20);
  return {
    asOf,
    current: side(currentChanges, config.policy, config.settings),
    candidate: side(candidateChanges, candidate.policy, candidate.settings),
    customers,
  };
}
