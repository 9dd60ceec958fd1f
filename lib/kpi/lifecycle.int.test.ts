import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setDbHandle, type DbHandle } from "@/db/client";
import { listMrrChanges } from "@/db/queries/mrr";
import { createTestDb } from "@/db/testing";
import { createTestWorkspace } from "@/db/testing/factories";
import { createConnection } from "@/lib/stripe/connections";
import { ingestEvent } from "@/lib/stripe/ingest";
import { loadLifecycle, shuffleWithDuplicates } from "@/lib/stripe/testing";
import { createApiKey } from "@/lib/workspaces/api-keys";
import { systemCtx } from "@/lib/workspaces/context";
import { GET as getCustomer } from "@/app/api/v1/workspaces/[slug]/customers/[customerId]/route";
import { GET as getMetrics } from "@/app/api/v1/workspaces/[slug]/metrics/route";
import { GET as getMovements } from "@/app/api/v1/workspaces/[slug]/mrr-movements/route";
import { updateMetricConfig } from "./settings";
import { refreshLedgerOnApplied } from "./stripe-hook";

// The lifecycle fixtures (fixtures/stripe/README.md) through the real ingestion and the read API, checked against
// the catalogue's vectors L1, L2, L3 and L8 worked by hand.

let h: DbHandle;
beforeAll(async () => {
  h = await createTestDb();
  setDbHandle(Promise.resolve(h));
});
afterAll(async () => h?.close());

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
    expect((await call(getMetrics, url, params)).status).toBe(401);
    expect((await call(getMetrics, url, params, "ns_not-a-real-token")).status).toBe(401);
    expect((await call(getMetrics, url, params, ingestOnly.token)).status).toBe(403);
    const cross = await call(getMetrics, url, params, bKey.token);
    expect(cross.status).toBe(404);
    expect(cross.body).toEqual({ error: { code: "NOT_FOUND", message: "Not found." } });
    const bad = await call(getMetrics, `${url}?date=2026-02-30`, params, a.token);
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: { code: "VALIDATION" } });
  });
});
