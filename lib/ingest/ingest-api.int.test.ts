import { beforeAll, describe, expect, it } from "vitest";
import { POST } from "@/app/api/v1/workspaces/[slug]/events/route";
import { type DbHandle } from "@/db/client";
import { countIngestEvents } from "@/db/queries/ingest-events";
import { withAppTestDb } from "@/db/testing";
import { createTestWorkspace } from "@/db/testing/factories";
import { computeMarketingKpis, computeSuccessKpis } from "@/lib/metrics/marketing-cs-kpis";
import { toKpiSettings } from "@/lib/metrics/kpi-inputs";
import { createApiKey } from "@/lib/workspaces/api-keys";
import { systemCtx } from "@/lib/workspaces/context";
import { insertIngestEvents } from "./insert";
import { listIngestRecords, listMarketingRecords, listSuccessRecords } from "./load";
import type { IngestEventInput } from "./schemas";

let h: DbHandle;
withAppTestDb((handle) => (h = handle));

type Ws = Awaited<ReturnType<typeof createTestWorkspace>>;

async function tokenFor(workspace: Ws, scopes: string[]) {
  return (await createApiKey({ db: h.db, ctx: systemCtx(workspace), input: { name: "test", scopes } })).token;
}

async function post(slug: string, body: unknown, token?: string) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  const req = new Request(`http://x/api/v1/workspaces/${slug}/events`, {
    method: "POST",
    headers,
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const res = await POST(req, { params: Promise.resolve({ slug }) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

// Times are UTC; the workspace is in America/New_York (UTC−4 in June), so 03:00Z is the previous local day.
const at = (day: string, time = "15:00:00") => `${day}T${time}Z`;
let seq = 0;
const ev = (fields: Record<string, unknown>) => ({ id: `e${++seq}`, ...fields }) as IngestEventInput;

/** Every type at least once, with the numbers of metrics.md K3 (NPS), K6 (CSAT) and K7 (FRT). */
function mixedBatch(): IngestEventInput[] {
  seq = 0;
  const npsScores = [10, 9, 9, 10, 9, 8, 7, 6, 5, 0];
  const frt = [600, 1200, 3600, 300];
  const june10 = Date.UTC(2026, 5, 10, 14);
  return [
    ev({ type: "visit", occurredAt: at("2026-06-02"), visitorId: "v1", source: "Google Ads" }),
    ev({ type: "visit", occurredAt: at("2026-06-03"), visitorId: "v2", source: "organic" }),
    ev({ type: "visit", occurredAt: at("2026-06-04"), visitorId: "v1" }),
    // 2026-06-01T03:00Z is May 31 in New York: not a June signup. 2026-07-01T03:00Z is June 30 there: a June one.
    ev({ type: "signup", occurredAt: at("2026-06-01", "03:00:00"), userId: "u0" }),
    ev({ type: "signup", occurredAt: at("2026-06-05"), userId: "u1", email: "Ada@Example.com", source: "google_ads" }),
    ev({ type: "signup", occurredAt: at("2026-06-06"), userId: "u2", customerId: "cus_B" }),
    ev({ type: "signup", occurredAt: at("2026-07-01", "03:00:00"), userId: "u3" }),
    ev({ type: "lead", occurredAt: at("2026-06-07"), contactId: "c1", source: "google-ads" }),
    ev({ type: "lead", occurredAt: at("2026-06-08"), contactId: "c2", source: "Google Ads" }),
    ev({ type: "lead", occurredAt: at("2026-06-09"), contactId: "c3", source: "linkedin" }),
    ev({ type: "lifecycle_stage", occurredAt: at("2026-06-09"), contactId: "c3", stage: "qualified_lead" }),
    ev({
      type: "marketing_spend",
      occurredAt: at("2026-06-01"),
      channel: "google_ads",
      amount: 30000,
      currency: "USD",
    }),
    ...npsScores.map((score, i) =>
      ev({ type: "nps_response", occurredAt: at("2026-06-11"), respondentId: `r${i}`, score }),
    ),
    ev({ type: "nps_response", occurredAt: at("2026-06-11"), respondentId: "staff1", score: 9, audience: "employee" }),
    ...[5, 4, 3, 5, 2].map((score, i) =>
      ev({ type: "csat_response", occurredAt: at("2026-06-12"), respondentId: `s${i}`, score }),
    ),
    ...frt.flatMap((seconds, i) => [
      ev({ type: "ticket_opened", occurredAt: new Date(june10 + i * 3_600_000).toISOString(), ticketId: `T${i}` }),
      ev({
        type: "ticket_first_response",
        occurredAt: new Date(june10 + i * 3_600_000 + seconds * 1000).toISOString(),
        ticketId: `T${i}`,
      }),
    ]),
    ev({ type: "ticket_resolved", occurredAt: at("2026-06-13"), ticketId: "T0", firstContactResolution: true }),
    ev({ type: "product_activity", occurredAt: at("2026-06-14"), userId: "u1", customerId: "cus_B", action: "export" }),
  ];
}

describe("POST /api/v1/workspaces/[slug]/events", () => {
  let ws: Ws;
  let token: string;
  beforeAll(async () => {
    ws = await createTestWorkspace(h.db, { timezone: "America/New_York" });
    token = await tokenFor(ws, ["ingest:write"]);
  });

  it("stores a mixed batch of every type (200, inserted = 38), then ignores the same batch (inserted 0, duplicates 38)", async () => {
    const batch = mixedBatch();
    expect(batch).toHaveLength(38);
    expect(new Set(batch.map((e) => e.type)).size).toBe(11);
    expect(await post(ws.slug, { events: batch }, token)).toEqual({
      status: 200,
      body: { inserted: 38, duplicates: 0 },
    });
    expect(await countIngestEvents(ws.id, h.db)).toBe(38);
    expect(await post(ws.slug, { events: batch }, token)).toEqual({
      status: 200,
      body: { inserted: 0, duplicates: 38 },
    });
    expect(await countIngestEvents(ws.id, h.db)).toBe(38);
  });

  it("ignores a known id even with another type and payload (first write wins), counting it as a duplicate", async () => {
    const res = await post(
      ws.slug,
      {
        events: [
          { id: "e1", type: "lead", occurredAt: at("2026-06-20"), contactId: "x", source: "organic" },
          { id: "fresh-1", type: "visit", occurredAt: at("2026-06-20"), visitorId: "v9" },
          { id: "fresh-1", type: "visit", occurredAt: at("2026-06-21"), visitorId: "v10" },
        ],
      },
      token,
    );
    expect(res).toEqual({ status: 200, body: { inserted: 1, duplicates: 2 } });
    const { visit, lead } = await listIngestRecords(ws.id, h.db, ["visit", "lead"], {
      to: "2026-12-31",
      timeZone: ws.timezone,
    });
    expect(visit.find((r) => r.id === "e1")).toMatchObject({ visitorId: "v1", source: "google_ads" });
    expect(lead.some((r) => r.id === "e1")).toBe(false);
    expect(visit.filter((r) => r.id === "fresh-1")).toEqual([expect.objectContaining({ visitorId: "v9" })]);
  });

  describe("rejects a bad batch whole (400, per-index details, nothing stored)", () => {
    let bad: Ws;
    let badToken: string;
    beforeAll(async () => {
      bad = await createTestWorkspace(h.db);
      badToken = await tokenFor(bad, ["ingest:write"]);
    });
    const visit = (id: string) => ({ id, type: "visit", occurredAt: at("2026-06-02"), visitorId: "v" });

    it.each([
      {
        name: "an unknown type at index 1",
        events: [visit("a"), { id: "b", type: "pageview", occurredAt: at("2026-06-02") }],
        details: [{ index: 1, path: "type" }],
      },
      {
        name: "score 11 at index 2",
        events: [
          visit("a"),
          visit("b"),
          { id: "c", type: "nps_response", occurredAt: at("2026-06-02"), respondentId: "r", score: 11 },
        ],
        details: [{ index: 2, path: "score", message: "Too big: expected number to be <=10" }],
      },
      {
        name: "a missing id at index 0",
        events: [{ type: "visit", occurredAt: at("2026-06-02"), visitorId: "v" }, visit("b")],
        details: [{ index: 0, path: "id" }],
      },
      {
        name: "1,001 events",
        events: Array.from({ length: 1001 }, (_, i) => visit(`v${i}`)),
        details: [{ index: null, path: "events" }],
      },
    ])("$name", async ({ events, details }) => {
      const res = await post(bad.slug, { events }, badToken);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error: { code: "VALIDATION", message: "Invalid events; nothing stored." } });
      const got = (res.body.error as { details: { index: number | null; path: string; message: string }[] }).details;
      expect(got).toHaveLength(details.length);
      details.forEach((d, i) => expect(got[i]).toMatchObject(d));
      expect(await countIngestEvents(bad.id, h.db)).toBe(0);
    });

    it("answers 400 for a body that is not JSON", async () => {
      const res = await post(bad.slug, "{not json", badToken);
      expect(res).toMatchObject({ status: 400, body: { error: { code: "VALIDATION" } } });
    });
  });

  it("answers 401 without a token or with a bad one, 403 for a metrics:read token, 404 for another workspace's token", async () => {
    const body = { events: [{ id: "x", type: "visit", occurredAt: at("2026-06-02"), visitorId: "v" }] };
    const other = await createTestWorkspace(h.db);
    expect((await post(ws.slug, body)).status).toBe(401);
    expect((await post(ws.slug, body, "ns_not-a-real-token")).status).toBe(401);
    const readOnly = await post(ws.slug, body, await tokenFor(ws, ["metrics:read"]));
    expect(readOnly).toMatchObject({ status: 403, body: { error: { code: "FORBIDDEN" } } });
    const foreign = await post(ws.slug, body, await tokenFor(other, ["ingest:write"]));
    expect(foreign).toEqual({ status: 404, body: { error: { code: "NOT_FOUND", message: "Not found." } } });
    expect(await countIngestEvents(other.id, h.db)).toBe(0);
  });
});

describe("loaders", () => {
  let a: Ws;
  let b: Ws;
  const june = { from: "2026-06-01", to: "2026-06-30", timeZone: "America/New_York" };
  beforeAll(async () => {
    a = await createTestWorkspace(h.db, { timezone: "America/New_York" });
    b = await createTestWorkspace(h.db, { timezone: "America/New_York" });
    expect(await post(a.slug, { events: mixedBatch() }, await tokenFor(a, ["ingest:write"]))).toMatchObject({
      status: 200,
    });
  });

  it("gives each record its local day in the workspace zone (2026-07-01T03:00Z → 2026-06-30) and epoch-ms occurredAt", async () => {
    const { signups } = await listMarketingRecords(a.id, h.db, { to: "2026-12-31", timeZone: a.timezone });
    expect(signups.map((s) => [s.userId, s.day])).toEqual([
      ["u0", "2026-05-31"],
      ["u1", "2026-06-05"],
      ["u2", "2026-06-06"],
      ["u3", "2026-06-30"],
    ]);
    expect(signups[3]!.occurredAt).toBe(Date.UTC(2026, 6, 1, 3));
    expect(signups[1]).toMatchObject({ email: "Ada@Example.com", source: "google_ads" });
    const inJune = await listMarketingRecords(a.id, h.db, june);
    expect(inJune.signups.map((s) => s.userId)).toEqual(["u1", "u2", "u3"]);
  });

  it("isolates tenants: workspace B reads none of A's events", async () => {
    const all = { to: "2099-12-31", timeZone: "UTC" };
    const m = await listMarketingRecords(b.id, h.db, all);
    const s = await listSuccessRecords(b.id, h.db, all);
    expect([...Object.values(m), ...Object.values(s)].every((list) => list.length === 0)).toBe(true);
    expect(await countIngestEvents(b.id, h.db)).toBe(0);
    expect((await listSuccessRecords(a.id, h.db, all)).npsResponses).toHaveLength(11);
  });

  it("feeds the marketing KPIs: 3 June signups, 2 unique visitors, leads google_ads 2 / linkedin 1, spend 30000", async () => {
    const records = await listMarketingRecords(a.id, h.db, { to: june.to, timeZone: june.timeZone });
    const kpis = computeMarketingKpis({
      period: { start: june.from, end: june.to },
      previousPeriod: { start: "2026-05-01", end: "2026-05-31" },
      reportingCurrency: "usd",
      settings: toKpiSettings(),
      customers: [],
      mrrSeries: {},
      newCustomers: [],
      startPayingCustomers: 0,
      ...records,
    });
    expect(kpis.signups.value).toBe(3);
    expect(kpis.uniqueVisitors.value).toBe(2);
    expect(kpis.leads.value).toBe(3);
    expect(kpis.leadsBySource.value).toEqual({ google_ads: 2, linkedin: 1 });
    expect(kpis.marketingSpend.value).toBe(30000);
  });

  it("feeds the success KPIs: NPS 20 (K3), eNPS 100, CSAT 0.6 (K6), FRT median 900 s (K7), FCR 1.0", async () => {
    const records = await listSuccessRecords(a.id, h.db, { to: june.to, timeZone: june.timeZone });
    expect(records.tickets).toHaveLength(9);
    const kpis = computeSuccessKpis({
      period: { start: june.from, end: june.to },
      settings: toKpiSettings(),
      customers: [],
      payingCustomers: [],
      expansionMrrS: 0,
      startMrrS: 0,
      ...records,
    });
    expect(kpis.nps.value).toBe(20);
    expect(kpis.enps.value).toBe(100);
    expect(kpis.csat.value).toBe(0.6);
    expect(kpis.firstResponseTimeMedian.value).toBe(900);
    expect(kpis.firstResponseTimeP90.value).toBe(3600);
    expect(kpis.firstContactResolutionRate.value).toBe(1);
  });
});

describe("insertIngestEvents", () => {
  it("writes more than one chunk in one transaction (2,500 events → inserted 2500, again → duplicates 2500)", async () => {
    const ws = await createTestWorkspace(h.db);
    const events = Array.from({ length: 2500 }, (_, i) => ({
      id: `bulk-${i}`,
      type: "visit" as const,
      occurredAt: Date.UTC(2026, 5, 1) + i * 1000,
      visitorId: `v${i % 100}`,
    }));
    expect(await insertIngestEvents(ws.id, h.db, events)).toEqual({ inserted: 2500, duplicates: 0 });
    expect(await insertIngestEvents(ws.id, h.db, events)).toEqual({ inserted: 0, duplicates: 2500 });
    expect(await countIngestEvents(ws.id, h.db)).toBe(2500);
  });

  it("stores nothing when a later chunk fails (all or none)", async () => {
    const ws = await createTestWorkspace(h.db);
    const events = Array.from({ length: 1500 }, (_, i) => ({
      id: `ok-${i}`,
      type: "visit" as const,
      occurredAt: Date.UTC(2026, 5, 1),
      // jsonb refuses \u0000, so the second chunk fails inside the transaction, after the first was written.
      visitorId: i === 1400 ? "a\u0000b" : "v",
    }));
    await expect(insertIngestEvents(ws.id, h.db, events)).rejects.toThrow();
    expect(await countIngestEvents(ws.id, h.db)).toBe(0);
  });
});
