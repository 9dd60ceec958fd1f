import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setDbHandle, type DbHandle } from "@/db/client";
import { GET as getMetrics } from "@/app/api/v1/workspaces/[slug]/metrics/route";
import { createTestDb } from "@/db/testing";
import { createTestWorkspace } from "@/db/testing/factories";
import type { StripeEvent } from "@/lib/stripe/event";
import { ingestEvent } from "@/lib/stripe/ingest";
import { loadLifecycle } from "@/lib/stripe/testing";
import { createApiKey } from "@/lib/workspaces/api-keys";
import { systemCtx, type Workspace } from "@/lib/workspaces/context";
import type { HealthRow } from "@/lib/metrics/health";
import { computeMetricsAnswer } from "./finance";
import { updateMetricConfig } from "./settings";
import { refreshLedgerOnApplied } from "./stripe-hook";
import { loadSuccessKpis } from "./success";
import { computeMetricsAnswerFromLedger } from "./testing/reference";

// A customer billed in a currency without an FX rate is still a customer (metrics.md §1.1: a missing rate never
// changes counts). Three customers through the real ingestion, reporting in usd, no gbp rate:
//   Alice (the lifecycle, usd)  2000 from Jun 10, 4500 from Jun 17, churns Aug 9; invoice 3 (7700) fails Jul 10
//                               and is paid Jul 13
//   Bob   (gbp, 2 seats)        gbp 4000 from Jun 10 (converted MRR 0, unconverted {gbp: 4000}), ends Sep 15; his
//                               first invoice, gbp 4400, is paid Jun 10
//   Carol (usd, 1 seat)         2000 from Jun 10; an invoice of 2000 fails Jul 10, 500 of it is paid (still open)
//                               by an update of Jul 20

type Obj = Record<string, unknown>;
const lifecycle = loadLifecycle();
const ALICE = "cus_TqAlice00000001";
const byId = (suffix: string) => lifecycle.find((e) => e.id.endsWith(suffix))!;

/** A lifecycle event rewritten for another customer: ids replaced in the whole payload. */
function rewrite(suffix: string, replace: [string, string][], patch: (object: Obj, event: StripeEvent) => void) {
  let text = JSON.stringify(byId(suffix));
  for (const [from, to] of replace) text = text.replaceAll(from, to);
  const event = JSON.parse(text) as StripeEvent & { data: { object: Obj; previous_attributes?: unknown } };
  delete event.data.previous_attributes;
  patch(event.data.object, event);
  return event;
}

const customerOf = (id: string, tag: string): [string, string][] => [
  [ALICE, id],
  ["sub_TqSub00000000001", `sub_TqSub${tag}`],
  ["si_TqItem0000000001", `si_TqItem${tag}`],
];

const GBP_PRICE = "price_TqProMonthlyGbp1";
const bobIds: [string, string][] = [
  ...customerOf("cus_TqBob000000001", "Bob00001"),
  ["price_TqProMonthly0001", GBP_PRICE],
];
const carolIds = customerOf("cus_TqCarol0000001", "Carol001");

function withItems(object: Obj, quantity: number, currency: string) {
  object.currency = currency;
  const items = (object.items as { data: Obj[] }).data;
  items[0]!.quantity = quantity;
  (items[0]!.price as Obj).currency = currency;
  if (items[0]!.plan) (items[0]!.plan as Obj).currency = currency;
}

function invoiceFor(ids: [string, string][], invoiceId: string, suffix: string, fields: Obj, eventId: string) {
  return rewrite(
    suffix,
    [...ids, [suffix === "14" ? "in_TqInv00000000002" : "in_TqInv00000000003", invoiceId]],
    (o, e) => {
      Object.assign(
        o,
        { discounts: [], total_discount_amounts: [], lines: { object: "list", data: [], has_more: false } },
        fields,
      );
      e.id = eventId;
    },
  );
}

const bobSubscription = rewrite("11", bobIds, (o, e) => {
  withItems(o, 2, "gbp");
  e.id = "evt_TqBobSub01";
});

const extra: StripeEvent[] = [
  rewrite("02", bobIds, (o, e) => {
    o.currency = "gbp";
    e.id = "evt_TqBobPrice01";
  }),
  rewrite("07", bobIds, (o, e) => {
    Object.assign(o, { email: "billing@bob.example", name: "Bob Ltd" });
    e.id = "evt_TqBobCustomer01";
  }),
  bobSubscription,
  invoiceFor(
    bobIds,
    "in_TqInvBob000001",
    "14",
    { currency: "gbp", amount_due: 4400, amount_paid: 4400, subtotal: 4400, total: 4400 },
    "evt_TqBobPaid01",
  ),
  // Bob's subscription ends on 2026-09-15 (canceled on Sep 1).
  (() => {
    const event = JSON.parse(JSON.stringify(bobSubscription)) as StripeEvent & { data: { object: Obj } };
    Object.assign(event.data.object, { status: "canceled", canceled_at: 1788253200, ended_at: 1789462800 });
    return {
      ...event,
      id: "evt_TqBobDeleted01",
      type: "customer.subscription.deleted",
      created: 1789462800,
    } as StripeEvent;
  })(),
  rewrite("07", carolIds, (o, e) => {
    Object.assign(o, { email: "billing@carol.example", name: "Carol SA" });
    e.id = "evt_TqCarolCustomer01";
  }),
  rewrite("11", carolIds, (o, e) => {
    withItems(o, 1, "usd");
    e.id = "evt_TqCarolSub01";
  }),
  invoiceFor(
    carolIds,
    "in_TqInvCarol00001",
    "19",
    { amount_due: 2000, amount_remaining: 2000, subtotal: 2000, total: 2000 },
    "evt_TqCarolFailed01",
  ),
  // 2026-07-20 12:00 UTC: 500 paid on it, still open.
  (() => {
    const event = invoiceFor(
      carolIds,
      "in_TqInvCarol00001",
      "19",
      { amount_due: 2000, amount_paid: 500, amount_remaining: 1500, subtotal: 2000, total: 2000 },
      "evt_TqCarolPart01",
    );
    return { ...event, type: "invoice.updated", created: 1784548800 } as StripeEvent;
  })(),
];

let h: DbHandle;
let workspace: Workspace;
let token: string;
let outcomes: Record<string, string>;

beforeAll(async () => {
  h = await createTestDb();
  setDbHandle(Promise.resolve(h));
  workspace = await createTestWorkspace(h.db);
  const connection = { id: `con_${workspace.id.slice(3)}`, workspaceId: workspace.id };
  outcomes = {};
  for (const event of [...lifecycle, ...extra])
    outcomes[event.id] = await ingestEvent({ db: h.db, connection, event, onApplied: refreshLedgerOnApplied });
  ({ token } = await createApiKey({ db: h.db, ctx: systemCtx(workspace), input: { scopes: ["metrics:read"] } }));
}, 120_000);
afterAll(async () => h?.close());

async function metrics(date: string) {
  const req = new Request(`http://northstar.test/api/v1/workspaces/${workspace.slug}/metrics?date=${date}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const res = await getMetrics(req, { params: Promise.resolve({ slug: workspace.slug }) });
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, unknown>;
}

const MISSING = "missing_fx_rate:gbp:2026-06-10";

describe("a gbp customer without a gbp rate in /metrics", () => {
  it("every event applies", () => {
    for (const e of extra) expect([e.id, outcomes[e.id]]).toEqual([e.id, "applied"]);
  });

  it("June: 3 paying (Bob counted, mrr 4500 + 2000 = 6500); cash 2000, its gbp 4400 listed beside Bob's gbp 4000 MRR", async () => {
    const june = await metrics("2026-06-30");
    expect(june).toMatchObject({ mrr: 6500, payingCustomers: 3, cashCollected: 2000, incomplete: true });
    expect(june.unconverted).toEqual({ gbp: 8400 });
    expect(june.warnings).toEqual([MISSING]);
  });

  it("July: recovery (7700 + 500 paid on Carol's open invoice) ÷ (7700 + 2000) = 0.8454; on Jul 15, before the 500: 0.7938", async () => {
    expect(await metrics("2026-07-31")).toMatchObject({
      failedPaymentRecoveryRate: 0.8454,
      cashCollected: 7700,
      customerChurnRate: 0,
      payingCustomers: 3,
    });
    expect(await metrics("2026-07-15")).toMatchObject({ failedPaymentRecoveryRate: 0.7938 });
  });

  it("August: Alice churns, one of 3 start customers: churn 1 / 3 = 0.3333, retention 0.6667; nrr 2000 ÷ 6500", async () => {
    const august = await metrics("2026-08-31");
    expect(august).toMatchObject({
      customerChurnRate: 0.3333,
      customerRetentionRate: 0.6667,
      payingCustomers: 2,
      mrr: 2000,
      nrr: 0.3077,
      churnedMrr: -4500,
      incomplete: true,
      unconverted: { gbp: 4000 },
    });
  });

  it("September: Bob ends, one of 2: churn 0.5, retention 0.5, 1 paying; ltv 2000 ÷ (2 / 8) = 8000; incomplete by its start", async () => {
    const september = await metrics("2026-09-30");
    expect(september).toMatchObject({
      customerChurnRate: 0.5,
      customerRetentionRate: 0.5,
      payingCustomers: 1,
      mrr: 2000,
      nrr: 1,
      // pooled churn Apr–Sep: Jul 0 / 3, Aug 1 / 3, Sep 1 / 2 (nobody paying at the start of Apr, May, Jun)
      ltv: 8000,
      incomplete: true,
      unconverted: {},
      warnings: [MISSING],
    });
  });

  it("the rollups answer as the whole-ledger engine does, every month, default and movement-based churn", async () => {
    const dates = ["2026-06-30", "2026-07-15", "2026-07-31", "2026-08-31", "2026-09-30"];
    const compare = async () => {
      for (const asOf of dates) {
        const fast = (await computeMetricsAnswer(workspace, h.db, { asOf })).headline;
        const slow = (await computeMetricsAnswerFromLedger(workspace, h.db, { asOf })).headline;
        expect({ asOf, ...fast.values, cohortRetention: null }).toEqual({
          asOf,
          ...slow.values,
          cohortRetention: null,
        });
        expect([asOf, fast.incomplete, fast.unconverted, [...fast.warnings].sort()]).toEqual([
          asOf,
          slow.incomplete,
          slow.unconverted,
          [...slow.warnings].sort(),
        ]);
      }
    };
    await compare();
    await updateMetricConfig({
      db: h.db,
      ctx: systemCtx(workspace),
      input: { policy: { churnRateBasis: "movements" } },
    });
    try {
      // Customers who stopped paying ÷ (#S + #N): Aug Alice 1 ÷ (3 + 0); Sep Bob, whose gbp end moves no converted MRR, 1 ÷ (2 + 0).
      expect(await metrics("2026-08-31")).toMatchObject({ customerChurnRate: 0.3333 });
      expect(await metrics("2026-09-30")).toMatchObject({ customerChurnRate: 0.5 });
      await compare();
    } finally {
      await updateMetricConfig({
        db: h.db,
        ctx: systemCtx(workspace),
        input: { policy: { churnRateBasis: "startCohort" } },
      });
    }
  });
});

describe("a gbp customer without a gbp rate in customer success", () => {
  it("June 30: Bob is one of the 3 scored customers, 0 of MRR with his gbp 4000 beside it, yellow at 56 like the others", async () => {
    const success = await loadSuccessKpis(workspace, h.db, { asOf: "2026-06-30", interval: "month" });
    const health = (success.kpis.healthScore.breakdown as { customers: HealthRow[] }).customers;
    // No usage (0 × 30 %), no NPS answers (50 × 20 %), no tickets (100 × 15 %), no failures (100 × 20 %), nobody
    // paying 90 days before (75 × 15 %): 0 + 10 + 15 + 20 + 11.25 = 56.25 → 56, yellow.
    expect(health.map((r) => [r.customerId, r.mrr, r.score, r.band])).toEqual([
      [ALICE, 4500, 56, "yellow"],
      ["cus_TqBob000000001", 0, 56, "yellow"],
      ["cus_TqCarol0000001", 2000, 56, "yellow"],
    ]);
    expect(success.kpis.healthDistribution.value).toEqual({ green: 0, yellow: 3, red: 0 });
    expect(success.kpis.atRiskMrr.value).toBe(0);
    const bob = success.atRisk.find((r) => r.customerId === "cus_TqBob000000001");
    expect([bob?.name, bob?.facts?.mrr, bob?.facts?.unconverted]).toEqual(["Bob Ltd", 0, { gbp: 4000 }]);
    // Alice and Carol bill in usd: nothing left out.
    expect(success.atRisk.find((r) => r.customerId === ALICE)?.facts?.unconverted).toEqual({});
  });
});
