import { sql } from "drizzle-orm";
import { rowsOf, type Tx } from "@/db/client";
import { kpiSettingsSchema, metricPolicySchema } from "@/lib/metrics/policy";
import type { FxRate } from "@/lib/metrics/types";
import { refreshCustomerLedger } from "./ledger";

type LedgerContextRow = {
  timezone: string;
  currency: string;
  policy: Record<string, unknown> | null;
  fx: FxRate[] | null;
};

/**
 * The workspace's time zone, currency, policy and FX rates in one round trip: this runs for every applied Stripe
 * event, on the webhook's hot path.
 */
async function loadLedgerContext(tx: Tx, workspaceId: string) {
  const [row] = rowsOf<LedgerContextRow>(
    await tx.execute(sql`
      select w.timezone, w.currency, ms.policy,
        (select json_agg(json_build_object('currency', f.currency, 'rateDate', f.rate_date::text, 'rate', f.rate)
                         order by f.currency, f.rate_date)
           from fx_rates f where f.workspace_id = w.id) as fx
      from workspaces w left join metric_settings ms on ms.workspace_id = w.id
      where w.id = ${workspaceId}`),
  );
  if (!row) throw new Error(`workspace ${workspaceId} vanished during ingestion`);
  return {
    workspace: { id: workspaceId, timezone: row.timezone, currency: row.currency.trim() },
    config: {
      policy: metricPolicySchema.parse(row.policy ?? {}),
      settings: kpiSettingsSchema.parse({}),
      fxRates: row.fx ?? [],
    },
  };
}

const PAYMENT_EVENT = /^(backfill\.)?(invoice|invoiceitem|charge|refund|credit_note|payment_intent)\b/;

/**
 * After a Stripe event changed a subscription's history, recompute the MRR ledger of the customers it touched,
 * inside the event's transaction: the raw event, the projection and the numbers commit together or not at all.
 */
export async function refreshLedgerOnApplied(
  tx: Tx,
  info: { workspaceId: string; customerIds: string[]; eventType?: string },
): Promise<void> {
  if (info.customerIds.length === 0) return;
  const { workspace, config } = await loadLedgerContext(tx, info.workspaceId);
  // Payments never move MRR (N14); invoices only through metered usage under the trailing-average policy (N4).
  if (info.eventType && PAYMENT_EVENT.test(info.eventType) && config.policy.metered !== "trailing3MonthAverage") return;
  await refreshCustomerLedger({ tx, workspace, config, customerIds: info.customerIds });
}
