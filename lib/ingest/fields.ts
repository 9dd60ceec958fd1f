/**
 * Field metadata for every ingest event type: the source of the docs' field tables and of CSV column mapping.
 * schemas.test.ts checks it lists exactly the schema's fields, with the same required flags, and that its examples
 * parse.
 */
import { INGEST_EVENT_TYPES, LIFECYCLE_STAGES, type IngestEventType } from "./schemas";

export type FieldKind = "string" | "integer" | "boolean" | "enum" | "datetime" | "currency" | "email" | "channel";

export type IngestFieldMeta = {
  name: string;
  required: boolean;
  kind: FieldKind;
  description: string;
  example: string | number | boolean;
  /** Allowed values for `enum` fields. */
  values?: readonly (string | number)[];
  /** Value used when the field is omitted. */
  default?: string | number;
};

const commonFields: IngestFieldMeta[] = [
  {
    name: "id",
    required: true,
    kind: "string",
    description: "Your id for the event (1–200 characters). A repeated id is ignored, so retries are safe.",
    example: "evt_2026_06_01_0001",
  },
  {
    name: "occurredAt",
    required: true,
    kind: "datetime",
    description: "When it happened: ISO 8601 with Z or an offset. Counts on the local day in the workspace time zone.",
    example: "2026-06-01T09:30:00Z",
  },
];

const customerIdField = (description: string): IngestFieldMeta => ({
  name: "customerId",
  required: false,
  kind: "string",
  description,
  example: "cus_QX1a2b3c",
});
const emailField: IngestFieldMeta = {
  name: "email",
  required: false,
  kind: "email",
  description: "Links the record to the Stripe customer with this email (case-insensitive), or else with this domain.",
  example: "ada@example.com",
};
const sourceField = (required: boolean): IngestFieldMeta => ({
  name: "source",
  required,
  kind: "channel",
  description: 'Acquisition channel; trimmed, lowercased, spaces and hyphens become _ ("Google Ads" → google_ads).',
  example: "google_ads",
});
const ticketIdField: IngestFieldMeta = {
  name: "ticketId",
  required: true,
  kind: "string",
  description: "Your helpdesk's ticket id; the three ticket events of one ticket share it.",
  example: "T-1042",
};
const ticketCustomerField = customerIdField("Stripe customer who opened the ticket; feeds the health score.");

const typeFields: Record<IngestEventType, IngestFieldMeta[]> = {
  visit: [
    {
      name: "visitorId",
      required: true,
      kind: "string",
      description: "Anonymous visitor id (cookie).",
      example: "v_8f2c",
    },
    sourceField(false),
  ],
  signup: [
    { name: "userId", required: true, kind: "string", description: "Your id for the new user.", example: "usr_42" },
    emailField,
    customerIdField("Stripe customer the user belongs to, when known at signup."),
    sourceField(false),
    {
      name: "referredBy",
      required: false,
      kind: "string",
      description: "Customer or user id of whoever referred this signup (viral coefficient).",
      example: "usr_7",
    },
  ],
  lead: [
    { name: "contactId", required: true, kind: "string", description: "Your CRM contact id.", example: "c_981" },
    sourceField(true),
    emailField,
    customerIdField("Stripe customer the contact belongs to, when known."),
  ],
  lifecycle_stage: [
    { name: "contactId", required: true, kind: "string", description: "Your CRM contact id.", example: "c_981" },
    {
      name: "stage",
      required: true,
      kind: "enum",
      description: "The stage the contact reached; reaching a stage implies all earlier ones.",
      example: "qualified_lead",
      values: LIFECYCLE_STAGES,
    },
    emailField,
    customerIdField("Stripe customer the contact belongs to, when known."),
  ],
  marketing_spend: [
    {
      name: "channel",
      required: true,
      kind: "channel",
      description: "Where the money went (same vocabulary as source): google_ads, linkedin, sales_team, …",
      example: "google_ads",
    },
    {
      name: "amount",
      required: true,
      kind: "integer",
      description: "Integer in the currency's minor unit, ≥ 0 (4500 = $45.00).",
      example: 30000,
    },
    {
      name: "currency",
      required: true,
      kind: "currency",
      description: "ISO 4217 code, stored lowercase.",
      example: "usd",
    },
  ],
  nps_response: [
    { name: "respondentId", required: true, kind: "string", description: "Who answered.", example: "usr_42" },
    { name: "score", required: true, kind: "integer", description: "Integer 0–10.", example: 9 },
    {
      name: "audience",
      required: false,
      kind: "enum",
      description: "customer (NPS) or employee (eNPS).",
      example: "customer",
      values: ["customer", "employee"],
      default: "customer",
    },
    customerIdField("Stripe customer the respondent belongs to."),
    emailField,
    { name: "comment", required: false, kind: "string", description: "Free-text answer.", example: "Great support" },
  ],
  csat_response: [
    {
      name: "respondentId",
      required: false,
      kind: "string",
      description: "Who answered; without it, each response counts once.",
      example: "usr_42",
    },
    { name: "score", required: true, kind: "integer", description: "Integer 1 … scale.", example: 4 },
    {
      name: "scale",
      required: false,
      kind: "enum",
      description: "5 or 10.",
      example: 5,
      values: [5, 10],
      default: 5,
    },
    customerIdField("Stripe customer the respondent belongs to."),
    { name: "touchpoint", required: false, kind: "string", description: "What was rated.", example: "onboarding" },
    { name: "comment", required: false, kind: "string", description: "Free-text answer.", example: "Quick fix" },
  ],
  ticket_opened: [ticketIdField, ticketCustomerField],
  ticket_first_response: [ticketIdField, ticketCustomerField],
  ticket_resolved: [
    ticketIdField,
    ticketCustomerField,
    {
      name: "firstContactResolution",
      required: true,
      kind: "boolean",
      description: "true when solved without a follow-up contact.",
      example: true,
    },
  ],
  product_activity: [
    { name: "userId", required: true, kind: "string", description: "The user who acted.", example: "usr_42" },
    {
      name: "customerId",
      required: true,
      kind: "string",
      description: "The user's Stripe customer.",
      example: "cus_QX1a2b3c",
    },
    {
      name: "action",
      required: false,
      kind: "string",
      description: "What they did (key actions).",
      example: "report.export",
    },
  ],
};

/** Field metadata per type (common fields first), for generated docs and CSV column mapping. */
export const INGEST_FIELDS = Object.fromEntries(
  INGEST_EVENT_TYPES.map((type) => [type, [...commonFields, ...typeFields[type]]]),
) as unknown as Record<IngestEventType, readonly IngestFieldMeta[]>;
