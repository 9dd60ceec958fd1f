import { describe, expect, it } from "vitest";
import {
  INGEST_EVENT_TYPES,
  ingestBatchSchema,
  ingestEventSchema,
  ingestEventSchemas,
  toChannelKey,
  toIndexedIssues,
  type CsatResponseEvent,
  type IngestEvent,
  type IngestEventInput,
  type LeadEvent,
  type LifecycleStageEvent,
  type MarketingSpendEvent,
  type NpsResponseEvent,
  type ProductActivityEvent,
  type SignupEvent,
  type TicketResolvedEvent,
  type VisitEvent,
} from "./schemas";
import { INGEST_FIELDS } from "./fields";
import type {
  CsatResponseRecord,
  LeadRecord,
  LifecycleStageRecord,
  NpsResponseRecord,
  ProductActivityRecord,
  SignupRecord,
  SpendRecord,
  TicketRecord,
  VisitRecord,
} from "@/lib/metrics/kpi-inputs";

const at = "2026-06-01T09:30:00Z";
const validByType: Record<(typeof INGEST_EVENT_TYPES)[number], IngestEventInput> = {
  visit: { id: "e1", type: "visit", occurredAt: at, visitorId: "v1", source: "organic" },
  signup: {
    id: "e2",
    type: "signup",
    occurredAt: at,
    userId: "u1",
    email: "ada@example.com",
    customerId: "cus_1",
    source: "google_ads",
    referredBy: "u0",
  },
  lead: { id: "e3", type: "lead", occurredAt: at, contactId: "c1", source: "linkedin" },
  lifecycle_stage: { id: "e4", type: "lifecycle_stage", occurredAt: at, contactId: "c1", stage: "qualified_lead" },
  marketing_spend: {
    id: "e5",
    type: "marketing_spend",
    occurredAt: at,
    channel: "google_ads",
    amount: 30000,
    currency: "usd",
  },
  nps_response: { id: "e6", type: "nps_response", occurredAt: at, respondentId: "r1", score: 9 },
  csat_response: { id: "e7", type: "csat_response", occurredAt: at, score: 4 },
  ticket_opened: { id: "e8", type: "ticket_opened", occurredAt: at, ticketId: "t1", customerId: "cus_1" },
  ticket_first_response: { id: "e9", type: "ticket_first_response", occurredAt: at, ticketId: "t1" },
  ticket_resolved: { id: "e10", type: "ticket_resolved", occurredAt: at, ticketId: "t1", firstContactResolution: true },
  product_activity: { id: "e11", type: "product_activity", occurredAt: at, userId: "u1", customerId: "cus_1" },
};

function issuesOf(events: unknown[]) {
  const result = ingestBatchSchema.safeParse({ events });
  if (result.success) throw new Error("expected the batch to be rejected");
  return toIndexedIssues(result.error);
}

describe("ingest event schemas", () => {
  it.each(INGEST_EVENT_TYPES)("accepts a valid %s event", (type) => {
    expect(ingestEventSchema.safeParse(validByType[type]).success).toBe(true);
  });

  it("normalizes occurredAt with an offset to epoch ms (09:30+02:00 = 07:30Z)", () => {
    const event = ingestEventSchema.parse({ ...validByType.visit, occurredAt: "2026-06-01T09:30:00+02:00" });
    expect(event.occurredAt).toBe(Date.UTC(2026, 5, 1, 7, 30));
  });

  it("rejects occurredAt without an offset, a date alone and an impossible date", () => {
    for (const occurredAt of ["2026-06-01T09:30:00", "2026-06-01", "2026-02-30T00:00:00Z"]) {
      expect(ingestEventSchema.safeParse({ ...validByType.visit, occurredAt }).success).toBe(false);
    }
  });

  it("normalizes source and channel: trim, lowercase, spaces and hyphens to _ (' Google - Ads ' → google_ads)", () => {
    expect(toChannelKey(" Google - Ads ")).toBe("google_ads");
    expect(toChannelKey("Sales Team")).toBe("sales_team");
    const spend = ingestEventSchemas.marketing_spend.parse({ ...validByType.marketing_spend, channel: "Google-Ads" });
    expect(spend.channel).toBe("google_ads");
    const lead = ingestEventSchemas.lead.parse({ ...validByType.lead, source: "LinkedIn " });
    expect(lead.source).toBe("linkedin");
  });

  it("rejects a source that is blank after trimming", () => {
    expect(issuesOf([{ ...validByType.lead, source: "   " }])).toEqual([
      { index: 0, path: "source", message: "Must not be empty" },
    ]);
  });

  it("lowercases the currency (USD → usd) and rejects codes that are not 3 letters", () => {
    expect(ingestEventSchemas.marketing_spend.parse({ ...validByType.marketing_spend, currency: "USD" }).currency).toBe(
      "usd",
    );
    expect(issuesOf([{ ...validByType.marketing_spend, currency: "us" }])[0]?.path).toBe("currency");
  });

  it("rejects a fractional or negative spend amount (minor units are integers ≥ 0)", () => {
    expect(issuesOf([{ ...validByType.marketing_spend, amount: 1.5 }])[0]?.path).toBe("amount");
    expect(issuesOf([{ ...validByType.marketing_spend, amount: -1 }])[0]?.path).toBe("amount");
  });

  it("defaults nps audience to customer and csat scale to 5", () => {
    const nps = ingestEventSchemas.nps_response.parse(validByType.nps_response);
    expect(nps.audience).toBe("customer");
    const csat = ingestEventSchemas.csat_response.parse(validByType.csat_response);
    expect(csat.scale).toBe(5);
  });

  it("rejects an NPS score of 11 at path score", () => {
    expect(issuesOf([{ ...validByType.nps_response, score: 11 }])).toEqual([
      { index: 0, path: "score", message: "Too big: expected number to be <=10" },
    ]);
  });

  it("accepts CSAT 8 on a 10-point scale but rejects it on the 5-point scale, and rejects 0", () => {
    expect(
      ingestEventSchemas.csat_response.safeParse({ ...validByType.csat_response, score: 8, scale: 10 }).success,
    ).toBe(true);
    expect(issuesOf([{ ...validByType.csat_response, score: 8 }])[0]?.path).toBe("score");
    expect(issuesOf([{ ...validByType.csat_response, score: 0 }])[0]?.path).toBe("score");
    expect(issuesOf([{ ...validByType.csat_response, scale: 7 }])[0]?.path).toBe("scale");
  });

  it("rejects an unknown lifecycle stage", () => {
    expect(issuesOf([{ ...validByType.lifecycle_stage, stage: "mql" }])[0]?.path).toBe("stage");
  });

  it("rejects a missing id, an id over 200 characters and a missing firstContactResolution", () => {
    const { id: _omit, ...noId } = validByType.visit;
    expect(issuesOf([noId])[0]).toMatchObject({ index: 0, path: "id" });
    expect(issuesOf([{ ...validByType.visit, id: "x".repeat(201) }])[0]).toMatchObject({ index: 0, path: "id" });
    const { firstContactResolution: _fcr, ...noFcr } = validByType.ticket_resolved as Record<string, unknown>;
    expect(issuesOf([noFcr])[0]).toMatchObject({ index: 0, path: "firstContactResolution" });
  });

  it("rejects an unknown type at path type", () => {
    expect(issuesOf([{ ...validByType.visit, type: "pageview" }])[0]).toMatchObject({ index: 0, path: "type" });
  });

  it("rejects an unknown field, naming it in the path", () => {
    expect(issuesOf([{ ...validByType.visit, utm: "x" }])).toEqual([
      { index: 0, path: "utm", message: 'Unknown field "utm"' },
    ]);
  });
});

describe("ingest batch schema", () => {
  it("accepts 1,000 events and rejects 1,001 with a batch-level issue (index null)", () => {
    const event = validByType.visit;
    expect(ingestBatchSchema.safeParse({ events: Array.from({ length: 1000 }, () => event) }).success).toBe(true);
    expect(issuesOf(Array.from({ length: 1001 }, () => event))).toEqual([
      { index: null, path: "events", message: "Too big: expected array to have <=1000 items" },
    ]);
  });

  it("rejects an empty batch and a body without events", () => {
    expect(issuesOf([])[0]).toMatchObject({ index: null, path: "events" });
    const result = ingestBatchSchema.safeParse({ event: [] });
    expect(result.success).toBe(false);
  });

  it("reports each bad event by its index and leaves valid ones out (events 1 and 3 of 4)", () => {
    const issues = issuesOf([
      validByType.visit,
      { ...validByType.nps_response, score: 11 },
      validByType.lead,
      { ...validByType.ticket_opened, ticketId: "" },
    ]);
    expect(issues.map(({ index, path }) => ({ index, path }))).toEqual([
      { index: 1, path: "score" },
      { index: 3, path: "ticketId" },
    ]);
  });
});

describe("field metadata", () => {
  it.each(INGEST_EVENT_TYPES)("lists exactly the schema's fields for %s (type excluded)", (type) => {
    const schemaFields = Object.keys(ingestEventSchemas[type].shape)
      .filter((name) => name !== "type")
      .sort();
    expect(INGEST_FIELDS[type].map((field) => field.name).sort()).toEqual(schemaFields);
  });

  it.each(INGEST_EVENT_TYPES)("marks as required exactly the fields %s cannot omit", (type) => {
    const shape = ingestEventSchemas[type].shape as Record<string, { safeParse: (v: unknown) => { success: boolean } }>;
    for (const field of INGEST_FIELDS[type]) {
      expect(shape[field.name]?.safeParse(undefined).success, field.name).toBe(!field.required);
    }
  });

  it.each(INGEST_EVENT_TYPES)("builds a valid %s event from the metadata examples", (type) => {
    const event: Record<string, unknown> = { type };
    for (const field of INGEST_FIELDS[type]) event[field.name] = field.example;
    expect(ingestEventSchemas[type].safeParse(event).success).toBe(true);
  });
});

describe("compatibility with the KPI inputs", () => {
  it("lets a parsed event plus its local day feed lib/metrics as it is (checked by tsc)", () => {
    type WithDay<T> = T & { day: string };
    const toRecords = (events: IngestEvent[]) => events.map((event) => ({ ...event, day: "2026-06-01" }));
    const [signup, nps, ticket] = toRecords([
      ingestEventSchema.parse(validByType.signup),
      ingestEventSchema.parse(validByType.nps_response),
      ingestEventSchema.parse(validByType.ticket_resolved),
    ]);
    // Assignments below fail type-checking if the ingest and KPI shapes drift apart.
    const records: [SignupRecord, NpsResponseRecord, TicketRecord] = [
      signup as WithDay<SignupEvent>,
      nps as WithDay<NpsResponseEvent>,
      ticket as WithDay<TicketResolvedEvent>,
    ];
    const others: [
      VisitRecord,
      LeadRecord,
      LifecycleStageRecord,
      SpendRecord,
      CsatResponseRecord,
      ProductActivityRecord,
    ] = [
      {} as WithDay<VisitEvent>,
      {} as WithDay<LeadEvent>,
      {} as WithDay<LifecycleStageEvent>,
      {} as WithDay<MarketingSpendEvent>,
      {} as WithDay<CsatResponseEvent>,
      {} as WithDay<ProductActivityEvent>,
    ];
    expect(records[0].userId).toBe("u1");
    expect(others).toHaveLength(6);
  });
});
