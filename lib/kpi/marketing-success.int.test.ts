import { beforeAll, describe, expect, it } from "vitest";
import { type DbHandle } from "@/db/client";
import { GET as getMetrics } from "@/app/api/v1/workspaces/[slug]/metrics/route";
import { withAppTestDb } from "@/db/testing";
import { createTestWorkspace } from "@/db/testing/factories";
import { insertIngestEvents } from "@/lib/ingest/insert";
import { ingestBatchSchema, type IngestEventInput } from "@/lib/ingest/schemas";
import { createConnection } from "@/lib/stripe/connections";
import { ingestEvent } from "@/lib/stripe/ingest";
import { loadLifecycle } from "@/lib/stripe/testing";
import { createApiKey } from "@/lib/workspaces/api-keys";
import { systemCtx } from "@/lib/workspaces/context";
import { loadBillingFacts } from "./billing-facts";
import { loadMarketingKpis } from "./marketing";
import { getMetricConfig, updateMetricConfig } from "./settings";
import { refreshLedgerOnApplied } from "./stripe-hook";
import { loadSuccessKpis } from "./success";

// The lifecycle customer (cus_TqAlice00000001, billing@alice.example: trial from May 27, paying 2000 from Jun 10,
// 6000 on Jun 16, 4500 with the discount from Jun 17, past_due Jul 10–13, cancellation scheduled Jul 16, churned
// Aug 9) through the real Stripe ingestion, plus hand-made marketing and support events through the ingest path.

const ALICE = "cus_TqAlice00000001";

const events: IngestEventInput[] = [
  // Marketing: Alice's contact is a lead in May (google_ads, her first touch), qualified Jun 2, customer Jun 10.
  {
    id: "l1",
    type: "lead",
    occurredAt: "2026-05-25T10:00:00Z",
    contactId: "c_alice",
    source: "google_ads",
    customerId: ALICE,
  },
  {
    id: "l2",
    type: "lead",
    occurredAt: "2026-06-15T10:00:00Z",
    contactId: "c_bob",
    source: "LinkedIn",
    email: "bob@other.test",
  },
  {
    id: "st1",
    type: "lifecycle_stage",
    occurredAt: "2026-05-25T10:00:00Z",
    contactId: "c_alice",
    stage: "lead",
    customerId: ALICE,
  },
  {
    id: "st2",
    type: "lifecycle_stage",
    occurredAt: "2026-06-02T10:00:00Z",
    contactId: "c_alice",
    stage: "qualified_lead",
    customerId: ALICE,
  },
  {
    id: "st3",
    type: "lifecycle_stage",
    occurredAt: "2026-06-10T10:00:00Z",
    contactId: "c_alice",
    stage: "customer",
    customerId: ALICE,
  },
  {
    id: "s1",
    type: "signup",
    occurredAt: "2026-06-01T08:00:00Z",
    userId: "u_alice",
    customerId: ALICE,
    source: "google_ads",
  },
  { id: "v1", type: "visit", occurredAt: "2026-06-01T07:00:00Z", visitorId: "vis_1", source: "google_ads" },
  { id: "v2", type: "visit", occurredAt: "2026-06-01T07:30:00Z", visitorId: "vis_1" },
  { id: "v3", type: "visit", occurredAt: "2026-06-03T07:00:00Z", visitorId: "vis_2" },
  {
    id: "sp1",
    type: "marketing_spend",
    occurredAt: "2026-06-03T12:00:00Z",
    channel: "google_ads",
    amount: 30000,
    currency: "USD",
  },
  // No eur rate is loaded: left out of every total and flagged (metrics.md §1.1).
  {
    id: "sp2",
    type: "marketing_spend",
    occurredAt: "2026-06-04T12:00:00Z",
    channel: "linkedin",
    amount: 10000,
    currency: "eur",
  },
  // Product activity: 3 active days Jun 2–4 (PQL on Jun 4, while still trialing), then Jun 20–29 and Jul 12.
  ...["02", "03", "04"].map((d): IngestEventInput => ({
    id: `a-jun${d}`,
    type: "product_activity",
    occurredAt: `2026-06-${d}T09:00:00Z`,
    userId: "u_alice",
    customerId: ALICE,
  })),
  ...Array.from({ length: 10 }, (_, i): IngestEventInput => ({
    id: `a-jun${20 + i}`,
    type: "product_activity",
    occurredAt: `2026-06-${20 + i}T09:00:00Z`,
    userId: "u_alice",
    customerId: ALICE,
  })),
  { id: "a-carol", type: "product_activity", occurredAt: "2026-06-25T15:00:00Z", userId: "u_carol", customerId: ALICE },
  { id: "a-jul12", type: "product_activity", occurredAt: "2026-07-12T09:00:00Z", userId: "u_alice", customerId: ALICE },
  // NPS: r_alice answers 5 then 9 (the latest counts); two unlinked answers in June; Carol (linked by her
  // alice.example domain) answers 7 in July.
  {
    id: "n1",
    type: "nps_response",
    occurredAt: "2026-06-10T09:00:00Z",
    respondentId: "r_alice",
    score: 5,
    customerId: ALICE,
  },
  {
    id: "n2",
    type: "nps_response",
    occurredAt: "2026-06-20T09:00:00Z",
    respondentId: "r_alice",
    score: 9,
    customerId: ALICE,
  },
  {
    id: "n3",
    type: "nps_response",
    occurredAt: "2026-06-21T09:00:00Z",
    respondentId: "r_x",
    score: 3,
    comment: "Too slow",
  },
  {
    id: "n4",
    type: "nps_response",
    occurredAt: "2026-06-22T09:00:00Z",
    respondentId: "r_y",
    score: 10,
    comment: "Love it",
  },
  {
    id: "n5",
    type: "nps_response",
    occurredAt: "2026-07-01T09:00:00Z",
    respondentId: "r_carol",
    score: 7,
    email: "carol@alice.example",
  },
  {
    id: "n6",
    type: "nps_response",
    occurredAt: "2026-07-02T09:00:00Z",
    respondentId: "e_1",
    score: 2,
    audience: "employee",
  },
  // CSAT in July: 5, 4 (support), 3 (onboarding) of 5 and 8 of 10.
  { id: "c1", type: "csat_response", occurredAt: "2026-07-02T09:00:00Z", score: 5, touchpoint: "support" },
  { id: "c2", type: "csat_response", occurredAt: "2026-07-03T09:00:00Z", score: 4, touchpoint: "support" },
  { id: "c3", type: "csat_response", occurredAt: "2026-07-04T09:00:00Z", score: 3, touchpoint: "onboarding" },
  { id: "c4", type: "csat_response", occurredAt: "2026-07-05T09:00:00Z", score: 8, scale: 10 },
  // Tickets: t1 (Alice) answered in 600 s, resolved after 86400 s, not at first contact; t2 (Alice) still open;
  // t3 (unlinked) answered in 3600 s, resolved after 7200 s at first contact.
  { id: "t1o", type: "ticket_opened", occurredAt: "2026-07-01T10:00:00Z", ticketId: "t1", customerId: ALICE },
  { id: "t1f", type: "ticket_first_response", occurredAt: "2026-07-01T10:10:00Z", ticketId: "t1", customerId: ALICE },
  {
    id: "t1r",
    type: "ticket_resolved",
    occurredAt: "2026-07-02T10:00:00Z",
    ticketId: "t1",
    customerId: ALICE,
    firstContactResolution: false,
  },
  { id: "t2o", type: "ticket_opened", occurredAt: "2026-07-05T10:00:00Z", ticketId: "t2", customerId: ALICE },
  { id: "t3o", type: "ticket_opened", occurredAt: "2026-07-03T09:00:00Z", ticketId: "t3" },
  { id: "t3f", type: "ticket_first_response", occurredAt: "2026-07-03T10:00:00Z", ticketId: "t3" },
  {
    id: "t3r",
    type: "ticket_resolved",
    occurredAt: "2026-07-03T11:00:00Z",
    ticketId: "t3",
    firstContactResolution: true,
  },
];

let h: DbHandle;
withAppTestDb((handle) => (h = handle));

async function seed() {
  const workspace = await createTestWorkspace(h.db);
  const connection = await createConnection({ db: h.db, workspaceId: workspace.id, webhookSecret: "whsec_test_mcs" });
  for (const event of loadLifecycle())
    await ingestEvent({ db: h.db, connection, event, onApplied: refreshLedgerOnApplied });
  await insertIngestEvents(workspace.id, h.db, ingestBatchSchema.parse({ events }).events);
  return workspace;
}

describe("marketing and customer-success loaders on the lifecycle customer", () => {
  let ws: Awaited<ReturnType<typeof seed>>;
  beforeAll(async () => {
    ws = await seed();
  });

  it("June: 1 signup linked to Alice, paying from Jun 10 → signupToPaidRate 1/1 = 1.0; 1 signup ÷ 2 visitors = 0.5", async () => {
    const d = await loadMarketingKpis(ws, h.db, { asOf: "2026-06-30", interval: "month" });
    expect(d.period).toMatchObject({ start: "2026-06-01", end: "2026-06-30", partial: false });
    expect(d.kpis.signups.value).toBe(1);
    expect(d.kpis.signupToPaidRate.value).toBe(1);
    expect(d.kpis.uniqueVisitors.value).toBe(2);
    expect(d.kpis.muv.value).toBe(2);
    expect(d.kpis.visitorToSignupRate.value).toBe(0.5);
    expect(d.kpis.leads.value).toBe(1);
    expect(d.kpis.leadsBySource.value).toEqual({ linkedin: 1 });
    expect(d.kpis.activationRate.value).toBe(1);
  });

  it("June: spend 30000 google_ads ÷ N = {Alice, first touch google_ads} → cacBlended 30000, cacPaid 30000, cacByChannel google_ads 30000; the eur spend is left out", async () => {
    const d = await loadMarketingKpis(ws, h.db, { asOf: "2026-06-30", interval: "month" });
    expect(d.kpis.marketingSpend.value).toBe(30000);
    expect(d.kpis.marketingSpendByChannel.value).toEqual({ google_ads: 30000 });
    expect(d.kpis.cacBlended.value).toBe(30000);
    expect(d.kpis.cacPaid.value).toBe(30000);
    expect(d.kpis.cacByChannel.value).toEqual({ google_ads: 30000 });
    expect(d.incomplete).toBe(true);
    expect(d.unconverted).toEqual({ eur: 10000 });
    expect(d.warnings).toContain("missing_fx_rate:eur:2026-06-04");
  });

  it("June: google_ads ROI = (2000 new MRR × 12 × 1.0 − 30000) ÷ 30000 = −0.2, and the channel table says so", async () => {
    const d = await loadMarketingKpis(ws, h.db, { asOf: "2026-06-30", interval: "month" });
    expect(d.kpis.channelRoi.value).toEqual({ google_ads: -0.2 });
    expect(d.kpis.trafficRoi.value).toBe(-0.2);
    expect(d.channels).toEqual([
      {
        channel: "google_ads",
        spend: 30000,
        leads: 0,
        newCustomers: 1,
        newMrr: 2000,
        paid: true,
        cac: 30000,
        roi: -0.2,
      },
      { channel: "linkedin", spend: 0, leads: 1, newCustomers: 0, newMrr: 0, paid: false, cac: null, roi: null },
    ]);
  });

  it("June funnel: Alice reached lead in May, qualified Jun 2, customer Jun 10 (opportunity implied) → QL 1, sales cycle May 25 → Jun 10 = 16 days, #S = 0 → viral k null", async () => {
    const d = await loadMarketingKpis(ws, h.db, { asOf: "2026-06-30", interval: "month" });
    expect(d.kpis.lifecycleFunnel.value).toEqual({
      visitor: 0,
      subscriber: 0,
      lead: 0,
      qualified_lead: 1,
      opportunity: 1,
      customer: 1,
      evangelist: 0,
    });
    expect(d.kpis.leadConversionRate.value).toBe(1);
    expect(d.kpis.leadVelocityRate.value).toBeNull(); // QL(May) = 0
    expect(d.kpis.salesCycleDays.value).toBe(16);
    expect(d.kpis.viralCoefficient.value).toBeNull();
    expect(d.previous.lifecycleFunnel.value).toMatchObject({ visitor: 1, subscriber: 1, lead: 1, qualified_lead: 0 });
  });

  it("June: active on Jun 2, 3, 4 while trialing → PQL day Jun 4; paying from Jun 10 → pqlConversionRate 1/1", async () => {
    const d = await loadMarketingKpis(ws, h.db, { asOf: "2026-06-30", interval: "month" });
    expect(d.kpis.pqls.value).toBe(1);
    expect(d.kpis.pqls.breakdown).toMatchObject({ accounts: [{ account: ALICE, pqlDay: "2026-06-04" }] });
    expect(d.kpis.pqlConversionRate.value).toBe(1);
  });

  it("the trend holds one point per month for 12 months, June with 1 signup, 30000 spend and 1 new customer", async () => {
    const d = await loadMarketingKpis(ws, h.db, { asOf: "2026-07-12", interval: "month" });
    expect(d.trend).toHaveLength(12);
    expect(d.trend[0]).toMatchObject({ start: "2025-08-01", signups: 0 });
    expect(d.trend.at(-2)).toMatchObject({
      start: "2026-06-01",
      end: "2026-06-30",
      signups: 1,
      spend: 30000,
      newCustomers: 1,
    });
    expect(d.trend.at(-1)).toMatchObject({ start: "2026-07-01", end: "2026-07-12", signups: 0 });
  });

  it("June NPS: latest of r_alice (9), r_x (3), r_y (10) → 100 × (2 − 1) ÷ 3 = 33.3333; the employee answer stays in eNPS", async () => {
    const d = await loadSuccessKpis(ws, h.db, { asOf: "2026-06-30", interval: "month" });
    expect(d.kpis.nps.value).toBe(33.3333);
    expect(d.kpis.nps.breakdown).toMatchObject({ responses: 3, promoters: 2, passives: 0, detractors: 1 });
    expect(d.kpis.nps.breakdown).toMatchObject({
      comments: [
        { respondentId: "r_y", comment: "Love it" },
        { respondentId: "r_x", comment: "Too slow" },
      ],
    });
    const july = await loadSuccessKpis(ws, h.db, { asOf: "2026-07-12", interval: "month" });
    expect(july.kpis.nps.value).toBe(0); // r_carol's 7 alone: a passive
    expect(july.kpis.enps.value).toBe(-100);
  });

  it("July to the 12th: CSAT 3 positive of 4 = 0.75 (support 1.0, onboarding 0); tickets 3, open 1; FRT [600, 3600] → 2100 / 3600; resolution [86400, 7200] → 46800 / 86400; FCR 1/2", async () => {
    const d = await loadSuccessKpis(ws, h.db, { asOf: "2026-07-12", interval: "month" });
    expect(d.kpis.csat.value).toBe(0.75);
    expect(d.kpis.csat.breakdown).toMatchObject({ byTouchpoint: { support: 1, onboarding: 0 } });
    expect(d.kpis.supportTickets.value).toBe(3);
    expect(d.kpis.openTickets.value).toBe(1);
    expect(d.kpis.firstResponseTimeMedian.value).toBe(2100);
    expect(d.kpis.firstResponseTimeP90.value).toBe(3600);
    expect(d.kpis.resolutionTimeMedian.value).toBe(46800);
    expect(d.kpis.resolutionTimeP90.value).toBe(86400);
    expect(d.kpis.firstContactResolutionRate.value).toBe(0.5);
    expect(d.trend.at(-1)).toMatchObject({
      start: "2026-07-01",
      csat: 0.75,
      supportTickets: 3,
      firstResponseTimeMedian: 2100,
    });
  });

  it("as of Jul 12: DAU 1, WAU 1, MAU 2; stickiness = (10 + 1 + 1) daily users ÷ (30 × 2) = 0.2", async () => {
    const d = await loadSuccessKpis(ws, h.db, { asOf: "2026-07-12", interval: "month" });
    expect([d.kpis.dau.value, d.kpis.wau.value, d.kpis.mau.value]).toEqual([1, 1, 2]);
    expect(d.kpis.stickiness.value).toBe(0.2);
  });

  it("billing facts as of Jul 12: 3 seats, m = 4500, not paying 90 days before, past_due with the failed invoice still open", async () => {
    const config = await getMetricConfig(ws.id, h.db);
    const facts = await loadBillingFacts(ws, h.db, {
      asOf: "2026-07-12",
      stockDays: ["2026-07-12", "2026-07-20"],
      policy: config.policy,
    });
    expect(facts.payingByDay.get("2026-07-12")).toEqual([
      {
        customerId: ALICE,
        mrr: 4500,
        mrr90DaysAgo: 0,
        seats: 3,
        pastDueOrUnpaid: true,
        openFailedInvoice: true,
        failedAttemptInLast90Days: true,
        cancellationScheduled: false,
        unconverted: {},
      },
    ]);
    // Jul 20 reads the states as of that day even though the ledger was cut at Jul 12: paid on Jul 13, the
    // failure is recent, and cancel_at_period_end was set on Jul 16.
    expect(facts.payingByDay.get("2026-07-20")).toMatchObject([
      {
        pastDueOrUnpaid: false,
        openFailedInvoice: false,
        failedAttemptInLast90Days: true,
        cancellationScheduled: true,
      },
    ]);
  });

  it("health of Alice on Jul 12: usage 0.3 × 60.8333 (11 of 20 days, 2 of 3 seats) + nps 0.2 × 75 (NPS 50) + tickets 0.15 × 60 (2 opened) + payments 0.2 × 0 (past_due) + mrrTrend 0.15 × 75 (not paying 90 days ago) = 53.5 → 54, yellow", async () => {
    const d = await loadSuccessKpis(ws, h.db, { asOf: "2026-07-12", interval: "month" });
    expect(d.kpis.engagementScore.value).toBe(60.8333);
    expect(d.kpis.healthScore.value).toBe(53.5);
    expect(d.kpis.healthDistribution.value).toEqual({ green: 0, yellow: 1, red: 0 });
    expect(d.kpis.atRiskMrr.value).toBe(0);
    expect(d.atRisk).toHaveLength(1);
    expect(d.atRisk[0]).toMatchObject({
      customerId: ALICE,
      email: "billing@alice.example",
      mrr: 4500,
      score: 54,
      band: "yellow",
      components: {
        usage: { value: 60.8333, weight: 0.3, points: 18.25 },
        nps: { value: 75, weight: 0.2, points: 15 },
        tickets: { value: 60, weight: 0.15, points: 9 },
        payments: { value: 0, weight: 0.2, points: 0 },
        mrrTrend: { value: 75, weight: 0.15, points: 11.25 },
      },
    });
  });

  it("with healthBands red < 55 the same 54 is red: atRiskMrr = Alice's 4500; July expansion_S 0 ÷ startMrr_S 4500 = 0", async () => {
    const ctx = systemCtx(ws);
    const { settings } = await getMetricConfig(ws.id, h.db);
    await updateMetricConfig({
      db: h.db,
      ctx,
      input: { settings: { ...settings, healthBands: { green: 70, red: 55 } } },
    });
    const d = await loadSuccessKpis(ws, h.db, { asOf: "2026-07-12", interval: "month" });
    expect(d.kpis.healthDistribution.value).toEqual({ green: 0, yellow: 0, red: 1 });
    expect(d.kpis.atRiskMrr.value).toBe(4500);
    expect(d.atRisk[0]).toMatchObject({ customerId: ALICE, band: "red" });
    expect(d.kpis.expansionRate.value).toBe(0);
    await updateMetricConfig({ db: h.db, ctx, input: { settings } });
  });

  it("CRC for July with staff costs of 450000 a month: 450000 ÷ 1 paying customer on Jul 31", async () => {
    const ctx = systemCtx(ws);
    const { settings } = await getMetricConfig(ws.id, h.db);
    await updateMetricConfig({
      db: h.db,
      ctx,
      input: { settings: { ...settings, retentionCosts: { staff: 450000 } } },
    });
    const d = await loadSuccessKpis(ws, h.db, { asOf: "2026-07-31", interval: "month" });
    expect(d.kpis.crc.value).toBe(450000);
    await updateMetricConfig({ db: h.db, ctx, input: { settings } });
  });

  it("June expansion: Alice's 2000 → 6000 on Jun 16 is expansionMrr 4000, but S is empty on Jun 1 (trialing) → expansionRate null", async () => {
    const d = await loadSuccessKpis(ws, h.db, { asOf: "2026-06-30", interval: "month" });
    expect(d.expansionMrr).toEqual({ current: 4000, previous: 0 });
    expect(d.kpis.expansionRate.value).toBeNull();
    expect(d.expanded).toEqual([{ customerId: ALICE, name: "Alice Corp", expansion: 4000 }]);
  });

  it("the read API: /metrics?include=marketing,success adds every marketing and success value beside finance", async () => {
    const { token } = await createApiKey({ db: h.db, ctx: systemCtx(ws), input: { scopes: ["metrics:read"] } });
    const get = async (query: string) => {
      const req = new Request(`http://northstar.test/api/v1/workspaces/${ws.slug}/metrics?${query}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const res = await getMetrics(req, { params: Promise.resolve({ slug: ws.slug }) });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    const june = await get("date=2026-06-30&include=marketing");
    expect(june.status).toBe(200);
    expect(june.body).toMatchObject({
      mrr: 4500,
      // Marketing: 1 signup of 2 visitors; 30000 of google_ads spend for Alice, the one new customer.
      signups: 1,
      uniqueVisitors: 2,
      visitorToSignupRate: 0.5,
      cacBlended: 30000,
      // Finance: 30000 ÷ (2000 new MRR × margin 1.0) = 15 months; the 10000 eur of Jun 4 has no rate.
      cacPaybackMonths: 15,
      incomplete: true,
      unconverted: { eur: 10000 },
      warnings: ["missing_fx_rate:eur:2026-06-04"],
    });
    expect(june.body).not.toHaveProperty("nps");
    // Success to Jul 12: CSAT 3 of 4, 3 tickets of which 1 open, first responses 600 and 3600 s.
    const july = await get("date=2026-07-12&include=success,marketing");
    expect(july.body).toMatchObject({ csat: 0.75, supportTickets: 3, openTickets: 1, firstResponseTimeMedian: 2100 });
    expect(july.body).toHaveProperty("signups");
    // One day as the period: Jun 3 holds the 30000 of google_ads spend, Jun 4 only the eur 10000 without a rate.
    const jun3 = await get("date=2026-06-03&period=day&include=marketing");
    expect(jun3.body).toMatchObject({ period: { start: "2026-06-03", end: "2026-06-03" }, marketingSpend: 30000 });
    const jun4 = await get("date=2026-06-04&period=day&include=marketing");
    expect(jun4.body).toMatchObject({ marketingSpend: 0, incomplete: true, unconverted: { eur: 10000 } });
    const plain = await get("date=2026-06-30");
    expect(plain.body).not.toHaveProperty("signups");
    const bad = await get("include=sales");
    expect(bad).toMatchObject({ status: 400, body: { error: { code: "VALIDATION" } } });
  });

  it("another workspace sees none of these records or customers", async () => {
    const other = await createTestWorkspace(h.db);
    const m = await loadMarketingKpis(other, h.db, { asOf: "2026-06-30", interval: "month" });
    const s = await loadSuccessKpis(other, h.db, { asOf: "2026-07-12", interval: "month" });
    expect([m.kpis.signups.value, m.kpis.marketingSpend.value, m.kpis.cacBlended.value]).toEqual([0, 0, null]);
    expect([s.kpis.nps.value, s.kpis.supportTickets.value, s.kpis.healthScore.value, s.atRisk]).toEqual([
      null,
      0,
      null,
      [],
    ]);
  });
});
