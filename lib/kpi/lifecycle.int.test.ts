import { beforeAll, describe, expect, it } from "vitest";
import { type DbHandle } from "@/db/client";
import { listMrrChanges } from "@/db/queries/mrr";
import { withAppTestDb } from "@/db/testing";
import { createTestWorkspace } from "@/db/testing/factories";
import { createConnection } from "@/lib/stripe/connections";
import { ingestEvent } from "@/lib/stripe/ingest";
import { loadLifecycle, shuffleWithDuplicates } from "@/lib/stripe/testing";
import { createApiKey } from "@/lib/workspaces/api-keys";
import { systemCtx } from "@/lib/workspaces/context";
import { updateWorkspace } from "@/lib/workspaces/workspaces";
import { GET as getCustomer } from "@/app/api/v1/workspaces/[slug]/customers/[customerId]/route";
import { GET as getMetrics } from "@/app/api/v1/workspaces/[slug]/metrics/route";
import { GET as getMovements } from "@/app/api/v1/workspaces/[slug]/mrr-movements/route";
import { computePolicyPreview } from "./dashboard-preview";
import { getMetricConfig, updateMetricConfig } from "./settings";
import { refreshLedgerOnApplied } from "./stripe-hook";

// The lifecycle fixtures (fixtures/stripe/README.md) through the real ingestion and the read API, checked against
// the catalogue's vectors L1, L2, L3 and L8 worked by hand.

let h: DbHandle;
withAppTestDb((handle) => (h = handle));

async function seed(order: "delivery" | "shuffled" | "reversed", seedValue = 1) {
  const workspace = await createTestWorkspace(h.db);
  const connection = await createConnection({
    db: h.db,
    workspaceId: workspace.id,
    webhookSecret: "whsec_test_lifecycle",
  });
  const events = loadLifecycle();
  const list =
    order === "delivery"
      ? events
      : order === "reversed"
        ? [...events].reverse()
        : shuffleWithDuplicates(events, seedValue);
  for (const event of list) await ingestEvent({ db: h.db, connection, event, onApplied: refreshLedgerOnApplied });
  const { token } = await createApiKey({ db: h.db, ctx: systemCtx(workspace), input: { scopes: ["metrics:read"] } });
  return { workspace, token };
}

/** Calls a route handler as Next would, with the dynamic params it expects. */
const call = async <C>(
  handler: (req: Request, ctx: C) => Promise<Response>,
  url: string,
  params: Record<string, string>,
  token?: string,
) => {
  const req = new Request(`http://northstar.test${url}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  const res = await handler(req, { params: Promise.resolve(params) } as C);
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
};

describe("lifecycle through ingestion and the read API", () => {
  let ws: Awaited<ReturnType<typeof seed>>;
  beforeAll(async () => {
    ws = await seed("delivery");
  });

  it.each([
    ["2026-05-31", 0, 0, 1],
    ["2026-06-10", 2000, 1, 0],
    ["2026-06-16", 6000, 1, 0],
    ["2026-06-17", 4500, 1, 0],
    ["2026-07-10", 4500, 1, 0],
    ["2026-07-16", 4500, 1, 0],
    ["2026-08-09", 0, 0, 0],
  ])("L1: MRR as of %s is %i (paying %i, trialing %i)", async (date, mrr, paying, trialing) => {
    const res = await call(
      getMetrics,
      `/api/v1/workspaces/${ws.workspace.slug}/metrics?date=${date}`,
      { slug: ws.workspace.slug },
      ws.token,
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      date,
      currency: "usd",
      mrr,
      arr: mrr * 12,
      payingCustomers: paying,
      trialingCustomers: trialing,
    });
  });

  it("L8: the headline on 2026-06-20 (arr 4500 × 12, acvNew 12 × 2000 ÷ 1, one trial converted of one)", async () => {
    const res = await call(
      getMetrics,
      `/api/v1/workspaces/${ws.workspace.slug}/metrics?date=2026-06-20`,
      { slug: ws.workspace.slug },
      ws.token,
    );
    expect(res.body).toMatchObject({
      mrr: 4500,
      arr: 54000,
      payingCustomers: 1,
      trialingCustomers: 0,
      arpa: 4500,
      acv: 54000,
      netNewMrr: 4500,
      acvNew: 24000,
      trialConversionRate: 1,
      period: { start: "2026-06-01", end: "2026-06-20", partial: true, daysElapsed: 20, daysInPeriod: 30 },
      policies: expect.objectContaining({
        discounts: "applied",
        pastDue: "included",
        trials: "excluded",
        taxes: "excluded",
      }),
    });
    expect(res.headers.get("cache-control")).toBe("private, no-store");
    expect(res.headers.get("vary")).toBe("authorization");
  });

  it.each([
    ["2026-05-31", 0, 0],
    ["2026-06-20", 6000, 72000],
    ["2026-07-16", 0, 0],
  ])(
    "L6: committed MRR as of %s is %i (the 25%% discount ends Sep 15; a scheduled cancel commits 0), carr %i",
    async (date, cmrr, carr) => {
      const res = await call(
        getMetrics,
        `/api/v1/workspaces/${ws.workspace.slug}/metrics?date=${date}`,
        { slug: ws.workspace.slug },
        ws.token,
      );
      expect(res.body).toMatchObject({ cmrr, carr });
    },
  );

  it("L2: month movements Jun (0 + 2000 + 4000 − 1500 = 4500), Jul (none), Aug (4500 − 4500 = 0)", async () => {
    const res = await call(
      getMovements,
      `/api/v1/workspaces/${ws.workspace.slug}/mrr-movements?from=2026-06-01&to=2026-08-31&interval=month`,
      { slug: ws.workspace.slug },
      ws.token,
    );
    expect(res.status).toBe(200);
    const periods = res.body.periods as Record<string, number | string>[];
    expect(
      periods.map(({ start, end, startMrr, new: n, expansion, contraction, churn, reactivation, endMrr }) => ({
        start,
        end,
        startMrr,
        new: n,
        expansion,
        contraction,
        churn,
        reactivation,
        endMrr,
      })),
    ).toEqual([
      {
        start: "2026-06-01",
        end: "2026-06-30",
        startMrr: 0,
        new: 2000,
        expansion: 4000,
        contraction: -1500,
        churn: 0,
        reactivation: 0,
        endMrr: 4500,
      },
      {
        start: "2026-07-01",
        end: "2026-07-31",
        startMrr: 4500,
        new: 0,
        expansion: 0,
        contraction: 0,
        churn: 0,
        reactivation: 0,
        endMrr: 4500,
      },
      {
        start: "2026-08-01",
        end: "2026-08-31",
        startMrr: 4500,
        new: 0,
        expansion: 0,
        contraction: 0,
        churn: -4500,
        reactivation: 0,
        endMrr: 0,
      },
    ]);
  });

  it("answers the customer with its subscription and one MRR row per change, each with the event that caused it", async () => {
    const res = await call(
      getCustomer,
      `/api/v1/workspaces/${ws.workspace.slug}/customers/cus_TqAlice00000001`,
      { slug: ws.workspace.slug, customerId: "cus_TqAlice00000001" },
      ws.token,
    );
    expect(res.status).toBe(200);
    const history = res.body.mrrHistory as { day: string; mrr: number; movement: string | null; eventIds: string[] }[];
    expect(history.filter((r) => r.movement).map((r) => [r.day, r.mrr, r.movement])).toEqual([
      ["2026-06-10", 2000, "new"],
      ["2026-06-16", 6000, "expansion"],
      ["2026-06-17", 4500, "contraction"],
      ["2026-08-09", 0, "churn"],
    ]);
    expect(history.find((r) => r.day === "2026-06-16")!.eventIds).toContain("evt_TqLifecycle000015");
    expect(history.find((r) => r.day === "2026-06-17")!.eventIds).toContain("evt_TqLifecycle000017");
    expect((res.body.subscriptions as { id: string; status: string }[])[0]).toMatchObject({
      id: "sub_TqSub00000000001",
      status: "canceled",
    });
  });

  it("answers the customer as of a past date: each subscription as it stood at the end of that day", async () => {
    const asOf = async (date: string) =>
      (
        await call(
          getCustomer,
          `/api/v1/workspaces/${ws.workspace.slug}/customers/cus_TqAlice00000001?date=${date}`,
          { slug: ws.workspace.slug, customerId: "cus_TqAlice00000001" },
          ws.token,
        )
      ).body as {
        customer: Record<string, unknown>;
        subscriptions: Record<string, unknown>[];
        mrrHistory: { day: string; mrr: number; fxImpact: number }[];
        policies: Record<string, unknown>;
      };
    // Before the subscription began (2026-05-27): none, no MRR.
    const may1 = await asOf("2026-05-01");
    expect([may1.subscriptions, may1.customer.mrr, may1.mrrHistory]).toEqual([[], 0, []]);
    // In its trial: 1 seat, no discount, the trial's end as its period's end (event 08).
    const may28 = await asOf("2026-05-28");
    expect(may28.subscriptions).toMatchObject([
      { status: "trialing", currentPeriodEnd: "2026-06-10T09:00:00.000Z", items: [{ quantity: 1 }], discounts: [] },
    ]);
    expect(may28.customer).toMatchObject({ mrr: 0, deleted: false, incomplete: false, unconverted: {} });
    // After event 17: 3 seats with LAUNCH25 (25% off for 3 months), 4500; the period to 2026-07-10.
    const jun20 = await asOf("2026-06-20");
    expect(jun20.subscriptions).toMatchObject([
      {
        status: "active",
        cancelAtPeriodEnd: false,
        canceledAt: null,
        currentPeriodEnd: "2026-07-10T09:00:00.000Z",
        items: [{ quantity: 3, unitAmountDecimal: "2000" }],
        discounts: [{ couponId: "LAUNCH25", percentOff: "25", duration: "repeating" }],
      },
    ]);
    expect(jun20.customer).toMatchObject({ mrr: 4500, incomplete: false, warnings: [] });
    expect(jun20.mrrHistory.map((r) => [r.day, r.mrr, r.fxImpact])).toEqual([
      ["2026-05-27", 0, 0],
      ["2026-06-10", 2000, 0],
      ["2026-06-16", 6000, 0],
      ["2026-06-17", 4500, 0],
    ]);
    expect(jun20.policies).toMatchObject({ discounts: "applied", pastDue: "included", taxes: "excluded" });
  });

  it("lists the policies behind the movements, and no FX gap when every amount is in the reporting currency", async () => {
    const res = await call(
      getMovements,
      `/api/v1/workspaces/${ws.workspace.slug}/mrr-movements?from=2026-06-01&to=2026-08-31&interval=month`,
      { slug: ws.workspace.slug },
      ws.token,
    );
    expect(res.body).toMatchObject({
      policies: { discounts: "applied", trials: "excluded", reactivationWindowDays: null },
      incomplete: false,
      warnings: [],
    });
    expect((res.body.periods as Record<string, unknown>[]).map((p) => [p.incomplete, p.unconverted])).toEqual([
      [false, {}],
      [false, {}],
      [false, {}],
    ]);
  });

  it("F2 through the read API: reported in EUR with no USD rate, Alice's MRR is unconverted and flagged", async () => {
    const other = await seed("delivery");
    await updateWorkspace({
      db: h.db,
      ctx: systemCtx(other.workspace),
      input: { name: other.workspace.name, currency: "eur", timezone: other.workspace.timezone },
    });
    const params = { slug: other.workspace.slug };
    const movements = await call(
      getMovements,
      `/api/v1/workspaces/${other.workspace.slug}/mrr-movements?from=2026-06-01&to=2026-08-31&interval=month`,
      params,
      other.token,
    );
    // Nothing converts: every period ends at 0. At the end of June and July the 4500 of 2026-06-17 is left out;
    // by the end of August Alice has churned and nothing is.
    expect(
      (movements.body.periods as Record<string, unknown>[]).map((p) => [p.end, p.endMrr, p.incomplete, p.unconverted]),
    ).toEqual([
      ["2026-06-30", 0, true, { usd: 4500 }],
      ["2026-07-31", 0, true, { usd: 4500 }],
      ["2026-08-31", 0, false, {}],
    ]);
    expect(movements.body).toMatchObject({ currency: "eur", incomplete: true });
    expect(movements.body.warnings).toEqual(expect.arrayContaining([expect.stringMatching(/^missing_fx_rate:usd:/)]));
    const customer = await call(
      getCustomer,
      `/api/v1/workspaces/${other.workspace.slug}/customers/cus_TqAlice00000001?date=2026-06-20`,
      { ...params, customerId: "cus_TqAlice00000001" },
      other.token,
    );
    expect(customer.body.customer).toMatchObject({ mrr: 0, incomplete: true, unconverted: { usd: 4500 } });
    expect((customer.body.customer as { warnings: string[] }).warnings).toEqual([
      expect.stringMatching(/^missing_fx_rate:usd:/),
    ]);
  });

  it("L3: with discounts ignored, June has no contraction and ends at 6000; August churns 6000", async () => {
    const other = await seed("delivery");
    await updateMetricConfig({
      db: h.db,
      ctx: systemCtx(other.workspace),
      input: { policy: { discounts: "ignored" } },
    });
    const res = await call(
      getMovements,
      `/api/v1/workspaces/${other.workspace.slug}/mrr-movements?from=2026-06-01&to=2026-08-31&interval=month`,
      { slug: other.workspace.slug },
      other.token,
    );
    const [jun, , aug] = res.body.periods as Record<string, number>[];
    expect(jun).toMatchObject({ contraction: 0, endMrr: 6000 });
    expect(aug).toMatchObject({ churn: -6000, endMrr: 0 });
    const metrics = await call(
      getMetrics,
      `/api/v1/workspaces/${other.workspace.slug}/metrics?date=2026-06-20`,
      { slug: other.workspace.slug },
      other.token,
    );
    expect(metrics.body).toMatchObject({ mrr: 6000, policies: expect.objectContaining({ discounts: "ignored" }) });
  });

  it("the policy preview shows what saving writes: with discounts ignored, 4500 becomes 6000 on 2026-06-20", async () => {
    const other = await seed("delivery");
    const config = await getMetricConfig(other.workspace.id, h.db);
    /** The preview on 2026-06-20 of `policy` changed over the policy in force. */
    const previewOf = (policy: Partial<typeof config.policy>, inForce = config) =>
      computePolicyPreview(
        other.workspace,
        h.db,
        inForce,
        { policy: { ...inForce.policy, ...policy }, settings: inForce.settings },
        "2026-06-20",
      );
    const preview = await previewOf({ discounts: "ignored" });
    expect([preview.current.mrr, preview.candidate.mrr, preview.candidate.arr]).toEqual([4500, 6000, 72000]);
    expect(preview.customers).toEqual([{ customerId: "cus_TqAlice00000001", current: 4500, candidate: 6000 }]);
    const june = (side: typeof preview.current) => side.periods.find((p) => p.start === "2026-06-01");
    expect([june(preview.current)?.contraction, june(preview.candidate)?.contraction]).toEqual([-1500, 0]);
    // ARR's basis is applied when the numbers are read: the same ledger, ARR of annual contracts only (Alice pays
    // monthly, so 0), and no customer's MRR differs.
    const arrBasis = await previewOf({ arr: "annualContractsOnly" });
    expect([arrBasis.current.arr, arrBasis.candidate.mrr, arrBasis.candidate.arr, arrBasis.customers]).toEqual([
      54000,
      4500,
      0,
      [],
    ]);
    await updateMetricConfig({
      db: h.db,
      ctx: systemCtx(other.workspace),
      input: { policy: { discounts: "ignored" } },
    });
    // Saved: the stored ledger is the preview's candidate, and nothing is left to preview.
    const saved = await getMetricConfig(other.workspace.id, h.db);
    const after = await previewOf({}, saved);
    expect(after.current).toEqual(preview.candidate);
    expect(after.customers).toEqual([]);
  });

  it("reaches the same ledger whatever the delivery order (shuffled with repeats, reversed)", async () => {
    const strip = (rows: Awaited<ReturnType<typeof listMrrChanges>>) =>
      rows.map(({ customerId: _c, ...rest }) => ({ ...rest, eventIds: [...rest.eventIds].sort() }));
    const base = strip(await listMrrChanges(ws.workspace.id, h.db, { to: "2026-12-31" }));
    for (const [order, s] of [
      ["shuffled", 7],
      ["shuffled", 42],
      ["reversed", 0],
    ] as const) {
      const other = await seed(order, s);
      expect(strip(await listMrrChanges(other.workspace.id, h.db, { to: "2026-12-31" }))).toEqual(base);
    }
  });
});

describe("read API access", () => {
  it("401 without or with a bad token, 403 without the scope, 404 with another workspace's token", async () => {
    const a = await seed("delivery");
    const b = await createTestWorkspace(h.db);
    const ingestOnly = await createApiKey({
      db: h.db,
      ctx: systemCtx(a.workspace),
      input: { scopes: ["ingest:write"] },
    });
    const bKey = await createApiKey({ db: h.db, ctx: systemCtx(b), input: { scopes: ["metrics:read"] } });
    const url = `/api/v1/workspaces/${a.workspace.slug}/metrics`;
    const params = { slug: a.workspace.slug };
    const anonymous = await call(getMetrics, url, params);
    expect([anonymous.status, anonymous.headers.get("www-authenticate")]).toEqual([401, 'Bearer realm="northstar"']);
    expect((await call(getMetrics, url, params, "ns_not-a-real-token")).status).toBe(401);
    expect((await call(getMetrics, url, params, ingestOnly.token)).status).toBe(403);
    const cross = await call(getMetrics, url, params, bKey.token);
    expect(cross.status).toBe(404);
    expect(cross.body).toEqual({ error: { code: "NOT_FOUND", message: "Not found." } });
    // 2016-01-01 to 2026-02-16 is 3,700 days, the most one daily answer holds.
    const daily = (to: string) =>
      call(
        getMovements,
        `/api/v1/workspaces/${a.workspace.slug}/mrr-movements?from=2016-01-01&to=${to}&interval=day`,
        params,
        a.token,
      );
    const longest = await daily("2026-02-16");
    expect([longest.status, (longest.body.periods as unknown[]).length]).toEqual([200, 3700]);
    expect((await daily("2026-02-17")).body).toMatchObject({
      error: { code: "VALIDATION", message: "At most 3700 daily periods per request." },
    });
    const bad = await call(getMetrics, `${url}?date=2026-02-30`, params, a.token);
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: { code: "VALIDATION" } });
  });
});
