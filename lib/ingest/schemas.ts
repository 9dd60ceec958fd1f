/**
 * Ingest event schemas: the one definition of marketing and customer-success records that the ingest API, the CSV
 * import (UI and `admin import`) and the docs share. Field names follow docs/metrics.md §1.4 exactly, because the
 * KPI functions in lib/metrics read them by those names.
 */
import { z } from "zod";

export const INGEST_EVENT_TYPES = [
  "visit",
  "signup",
  "lead",
  "lifecycle_stage",
  "marketing_spend",
  "nps_response",
  "csat_response",
  "ticket_opened",
  "ticket_first_response",
  "ticket_resolved",
  "product_activity",
] as const;
export type IngestEventType = (typeof INGEST_EVENT_TYPES)[number];

/** Stage order matters: a later stage implies every earlier one (metrics.md §4.5). */
export const LIFECYCLE_STAGES = [
  "visitor",
  "subscriber",
  "lead",
  "qualified_lead",
  "opportunity",
  "customer",
  "evangelist",
] as const;
export type LifecycleStage = (typeof LIFECYCLE_STAGES)[number];

export const MAX_EVENTS_PER_BATCH = 1000;

/**
 * Normalizes a `source` or `channel` (metrics.md §4.7): trim, lowercase, and each run of spaces or hyphens becomes
 * one `_`, so "Google Ads", "google-ads" and " google_ads " are the same channel.
 */
export function toChannelKey(value: string): string {
  return value
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, "_");
}

const text = (max: number) => z.string().min(1).max(max);
const idText = text(200);
const channelText = z.string().max(200).transform(toChannelKey).pipe(z.string().min(1, "Must not be empty"));
const email = z.string().trim().pipe(z.email().max(320));
const comment = z.string().max(10_000);

/** ISO 8601 with `Z` or an explicit offset; a local time without offset is ambiguous and rejected. */
const occurredAt = z.iso
  .datetime({ offset: true, message: "Expected an ISO 8601 date-time with Z or an offset" })
  .transform((value) => Date.parse(value));

const common = {
  id: idText,
  occurredAt,
};

export const visitEventSchema = z.strictObject({
  ...common,
  type: z.literal("visit"),
  visitorId: idText,
  source: channelText.optional(),
});

export const signupEventSchema = z.strictObject({
  ...common,
  type: z.literal("signup"),
  userId: idText,
  email: email.optional(),
  customerId: idText.optional(),
  source: channelText.optional(),
  referredBy: idText.optional(),
});

export const leadEventSchema = z.strictObject({
  ...common,
  type: z.literal("lead"),
  contactId: idText,
  source: channelText,
  email: email.optional(),
  customerId: idText.optional(),
});

export const lifecycleStageEventSchema = z.strictObject({
  ...common,
  type: z.literal("lifecycle_stage"),
  contactId: idText,
  stage: z.enum(LIFECYCLE_STAGES),
  email: email.optional(),
  customerId: idText.optional(),
});

export const marketingSpendEventSchema = z.strictObject({
  ...common,
  type: z.literal("marketing_spend"),
  channel: channelText,
  amount: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  currency: z
    .string()
    .regex(/^[A-Za-z]{3}$/, "Expected a 3-letter ISO 4217 code")
    .transform((value) => value.toLowerCase()),
});

export const npsResponseEventSchema = z.strictObject({
  ...common,
  type: z.literal("nps_response"),
  respondentId: idText,
  score: z.number().int().min(0).max(10),
  audience: z.enum(["customer", "employee"]).default("customer"),
  customerId: idText.optional(),
  email: email.optional(),
  comment: comment.optional(),
});

export const csatResponseEventSchema = z
  .strictObject({
    ...common,
    type: z.literal("csat_response"),
    respondentId: idText.optional(),
    score: z.number().int().min(1).max(10),
    scale: z.union([z.literal(5), z.literal(10)]).default(5),
    customerId: idText.optional(),
    touchpoint: text(200).optional(),
    comment: comment.optional(),
  })
  .superRefine((event, ctx) => {
    // The upper bound depends on the scale, so it can only be checked once both fields are known.
    if (event.score > event.scale) {
      ctx.addIssue({
        code: "custom",
        path: ["score"],
        message: `Too big: expected score to be <=${event.scale} on a ${event.scale}-point scale`,
      });
    }
  });

const ticketFields = { ticketId: idText, customerId: idText.optional() };

export const ticketOpenedEventSchema = z.strictObject({
  ...common,
  type: z.literal("ticket_opened"),
  ...ticketFields,
});

export const ticketFirstResponseEventSchema = z.strictObject({
  ...common,
  type: z.literal("ticket_first_response"),
  ...ticketFields,
});

export const ticketResolvedEventSchema = z.strictObject({
  ...common,
  type: z.literal("ticket_resolved"),
  ...ticketFields,
  firstContactResolution: z.boolean(),
});

export const productActivityEventSchema = z.strictObject({
  ...common,
  type: z.literal("product_activity"),
  userId: idText,
  customerId: idText,
  action: text(200).optional(),
});

export const ingestEventSchemas = {
  visit: visitEventSchema,
  signup: signupEventSchema,
  lead: leadEventSchema,
  lifecycle_stage: lifecycleStageEventSchema,
  marketing_spend: marketingSpendEventSchema,
  nps_response: npsResponseEventSchema,
  csat_response: csatResponseEventSchema,
  ticket_opened: ticketOpenedEventSchema,
  ticket_first_response: ticketFirstResponseEventSchema,
  ticket_resolved: ticketResolvedEventSchema,
  product_activity: productActivityEventSchema,
} as const;

export const ingestEventSchema = z.discriminatedUnion("type", [
  visitEventSchema,
  signupEventSchema,
  leadEventSchema,
  lifecycleStageEventSchema,
  marketingSpendEventSchema,
  npsResponseEventSchema,
  csatResponseEventSchema,
  ticketOpenedEventSchema,
  ticketFirstResponseEventSchema,
  ticketResolvedEventSchema,
  productActivityEventSchema,
]);

export const ingestBatchSchema = z.strictObject({
  events: z.array(ingestEventSchema).min(1).max(MAX_EVENTS_PER_BATCH),
});

/** A validated event; `occurredAt` is epoch milliseconds (UTC). */
export type IngestEvent = z.output<typeof ingestEventSchema>;
/** An event as a caller sends it (`occurredAt` an ISO string, defaults not yet applied). */
export type IngestEventInput = z.input<typeof ingestEventSchema>;
export type IngestBatch = z.output<typeof ingestBatchSchema>;
export type VisitEvent = z.output<typeof visitEventSchema>;
export type SignupEvent = z.output<typeof signupEventSchema>;
export type LeadEvent = z.output<typeof leadEventSchema>;
export type LifecycleStageEvent = z.output<typeof lifecycleStageEventSchema>;
export type MarketingSpendEvent = z.output<typeof marketingSpendEventSchema>;
export type NpsResponseEvent = z.output<typeof npsResponseEventSchema>;
export type CsatResponseEvent = z.output<typeof csatResponseEventSchema>;
export type TicketOpenedEvent = z.output<typeof ticketOpenedEventSchema>;
export type TicketFirstResponseEvent = z.output<typeof ticketFirstResponseEventSchema>;
export type TicketResolvedEvent = z.output<typeof ticketResolvedEventSchema>;
export type ProductActivityEvent = z.output<typeof productActivityEventSchema>;
export type IngestEventOf<T extends IngestEventType> = Extract<IngestEvent, { type: T }>;

export type IndexedIssue = {
  /** Index of the event in `events`, or null for an issue with the batch itself (e.g. more than 1,000 events). */
  index: number | null;
  /** Dotted field path inside the event ("score"), or inside the body for batch issues ("events"). */
  path: string;
  message: string;
};

/**
 * Flattens a zod error from `ingestBatchSchema` into one entry per field, keyed by event index, which is what the
 * API returns in `error.details`. Unknown keys become one entry each, so the caller sees the offending field name.
 */
export function toIndexedIssues(error: z.ZodError): IndexedIssue[] {
  const issues: IndexedIssue[] = [];
  for (const issue of error.issues) {
    const path = issue.path.map((segment) => (typeof segment === "symbol" ? String(segment) : segment));
    const inEvent = path[0] === "events" && typeof path[1] === "number";
    const index = inEvent ? (path[1] as number) : null;
    const rest = inEvent ? path.slice(2) : path;
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        issues.push({ index, path: [...rest, key].join("."), message: `Unknown field "${key}"` });
      }
      continue;
    }
    issues.push({ index, path: rest.join("."), message: issue.message });
  }
  return issues;
}

export function isIngestEventType(value: string): value is IngestEventType {
  return (INGEST_EVENT_TYPES as readonly string[]).includes(value);
}
