import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/db/client";
import { listMrrChanges } from "@/db/queries/mrr";
import { createTestDb } from "@/db/testing";
import { createTestWorkspace } from "@/db/testing/factories";
import { createConnection } from "@/lib/stripe/connections";
import type { StripeEvent } from "@/lib/stripe/event";
import { ingestEvent } from "@/lib/stripe/ingest";
import { loadLifecycle } from "@/lib/stripe/testing";
import { systemCtx, type Workspace } from "@/lib/workspaces/context";
import { computePolicyPreview } from "./dashboard-preview";
import { computeMetricsAnswer, computeMovementsAnswer } from "./finance";
import { rebuildWorkspaceLedger } from "./rebuild";
import { getMetricConfig, updateMetricConfig } from "./settings";
import { refreshLedgerOnApplied } from "./stripe-hook";

// The metered policy (metrics.md N4) through real ingestion: Alice's lifecycle plus usage billed on a metered
// price, $30.00 for June and $60.00 for July. Under `metered: "trailing3MonthAverage"` each month adds a third of
// the usage of the three complete months before it: July (Apr, May, Jun) 1000, August (May, Jun, Jul) 3000,
// September (Jun, Jul, Aug) 3000, October (Jul, Aug, Sep) 2000, November 0. Alice's seats are 4500 from Jun 17 to
// her churn on Aug 9.

const ALICE = "cus_TqAlice00000001";
const lifecycle = loadLifecycle();
const at = (iso: string) => Date.parse(iso) / 1000;

function meteredPrice(): StripeEvent {
  const event = structuredClone(lifecycle.find((e) => e.id.endsWith("02"))!);
  const price = event.data.object as Record<string, unknown> & { recurring: Record<string, unknown> };
  Object.assign(event, { id: "evt_TqMeteredPrice01" });
  Object.assign(price, {
    id: "price_TqMetered00001",
    lookup_key: "api_calls",
    unit_amount: 1,
    unit_amount_decimal: "1",
  });
  price.recurring.usage_type = "metered";
  return event;
}

/** A paid invoice of Alice's with one usage line on the metered price for [from, to). */
function usageInvoice(n: number, amount: number, from: string, to: string): StripeEvent {
  const event = structuredClone(lifecycle.find((e) => e.id.endsWith("14"))!);
  const invoice = event.data.object as Record<string, unknown> & {
    lines: { data: Record<string, unknown>[] };
    status_transitions: Record<string, number | null>;
  };
  const paidAt = at(to) + 3600;
  Object.assign(event, { id: `evt_TqUsageInvoice0${n}`, created: paidAt });
  Object.assign(invoice, {
    id: `in_TqUsage00000000${n}`,
    amount_due: amount,
    amount_paid: amount,
    subtotal: amount,
    total: amount,
    period_start: at(from),
    period_end: at(to),
    created: at(to),
  });
  invoice.status_transitions = { ...invoice.status_transitions, finalized_at: at(to), paid_at: paidAt };
  const line = invoice.lines.data[0]!;
  Object.assign(line, {
    id: `il_TqUsage0000000${n}`,
    invoice: invoice.id,
    amount,
    subtotal: amount,
    quantity: amount,
    quantity_decimal: String(amount),
    description: `${amount} API calls`,
    period: { start: at(from), end: at(to) },
    pricing: {
      type: "price_details",
      price_details: { price: "price_TqMetered00001", product: "prod_TqPro000000001" },
      unit_amount_decimal: "1",
    },
  });
  invoice.lines.data = [line];
  return event;
}

const JUNE_USAGE = usageInvoice(1, 3000, "2026-06-01T00:00:00Z", "2026-07-01T00:00:00Z");
const JULY_USAGE = usageInvoice(2, 6000, "2026-07-01T00:00:00Z", "2026-08-01T00:00:00Z");

let h: DbHandle;
beforeAll(async () => {
  h = await createTestDb();
});
afterAll(async () => h?.close());

async function seed(events: StripeEvent[]) {
  const workspace = await createTestWorkspace(h.db);
  const connection = await createConnection({ db: h.db, workspaceId: workspace.id, webhookSecret: "whsec_metered" });
  for (const event of events) await ingestEvent({ db: h.db, connection, event, onApplied: refreshLedgerOnApplied });
  return { workspace, connection };
}

const mrrOn = async (workspace: Workspace, asOf: string) =>
  (await computeMetricsAnswer(workspace, h.db, { asOf })).headline.values.mrr;
const moves = async (workspaceId: string) =>
  (await listMrrChanges(workspaceId, h.db, { to: "2026-12-31" }))
    .filter((r) => r.day >= "2026-07-01")
    .map((r) => [r.day, r.kind, r.amount, r.mrr]);

const TRAILING = { metered: "trailing3MonthAverage" } as const;

describe("metered usage under the trailing 3-month average", () => {
  it("is previewed, saved, and kept up to date by the next usage invoice", async () => {
    const { workspace, connection } = await seed([...lifecycle, meteredPrice(), JUNE_USAGE]);
    // Excluded by default: the seats only.
    expect([await mrrOn(workspace, "2026-07-15"), await mrrOn(workspace, "2026-08-20")]).toEqual([4500, 0]);

    // The preview reads the usage lines as a save would: July 15 adds ⅓ × 3000.
    const config = await getMetricConfig(workspace.id, h.db);
    const candidate = { policy: { ...config.policy, ...TRAILING }, settings: config.settings };
    const preview = await computePolicyPreview(workspace, h.db, config, candidate, "2026-07-15");
    expect([preview.current.mrr, preview.candidate.mrr]).toEqual([4500, 5500]);
    expect(preview.customers).toEqual([{ customerId: ALICE, current: 4500, candidate: 5500 }]);

    await updateMetricConfig({ db: h.db, ctx: systemCtx(workspace), input: { policy: TRAILING } });
    expect(await mrrOn(workspace, "2026-07-15")).toBe(5500);
    // Only June's usage so far: August (May, Jun, Jul) is ⅓ × 3000 = 1000.
    expect(await mrrOn(workspace, "2026-08-20")).toBe(1000);

    // July's usage arrives: its invoice event refreshes the ledger under the saved policy.
    expect(await ingestEvent({ db: h.db, connection, event: JULY_USAGE, onApplied: refreshLedgerOnApplied })).toBe(
      "applied",
    );
    expect(
      await Promise.all(
        ["2026-07-15", "2026-08-05", "2026-08-20", "2026-09-15", "2026-10-15", "2026-11-15"].map((d) =>
          mrrOn(workspace, d),
        ),
      ),
    ).toEqual([5500, 7500, 3000, 3000, 2000, 0]);
    const rows = await moves(workspace.id);
    expect(rows).toEqual([
      ["2026-07-01", "expansion", 1000, 5500],
      // The cancellation at period end is requested (event 23): committed MRR changes, MRR does not.
      ["2026-07-16", null, 0, 5500],
      ["2026-08-01", "expansion", 2000, 7500],
      // The seats end on Aug 9; the usage average keeps her paying.
      ["2026-08-09", "contraction", -4500, 3000],
      ["2026-10-01", "contraction", -1000, 2000],
      ["2026-11-01", "churn", -2000, 0],
    ]);
    const [jul, aug, sep, oct, nov] = (
      await computeMovementsAnswer(workspace, h.db, { from: "2026-07-01", to: "2026-11-30", interval: "month" })
    ).value;
    expect([jul?.expansion, aug?.expansion, aug?.contraction, sep?.endMrr, oct?.contraction, nov?.churn]).toEqual([
      1000, 2000, -4500, 3000, -1000, -2000,
    ]);
    // The per-event ledger is the rebuilt one.
    await rebuildWorkspaceLedger(h.db, workspace.id);
    expect(await moves(workspace.id)).toEqual(rows);
  });
});
