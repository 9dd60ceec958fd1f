import { index, integer, jsonb, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";
import { users, workspaces } from "./core";

/**
 * Marketing and customer-success events sent to the ingest API or imported from CSV: append-only, never updated
 * (style.md §4). The caller's `id` is the idempotency key, so the primary key is (workspace_id, id) and a repeated id
 * is ignored even when its type or payload differ (like a Stripe idempotency key: the first write wins).
 * Linking to customers by email or domain happens at read time, because the Stripe customer may arrive later;
 * `customer_id` and `email` are copied out of the payload only to make those reads cheap.
 */
export const ingestEvents = pgTable(
  "ingest_events",
  {
    workspaceId: text()
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    id: text().notNull(),
    type: text().notNull(),
    occurredAt: timestamp({ withTimezone: true }).notNull(),
    /** The validated event as lib/ingest/schemas.ts outputs it (normalized channels, defaults applied). */
    payload: jsonb().$type<Record<string, unknown>>().notNull(),
    /** The Stripe customer id, when the event names one. */
    customerId: text(),
    /** Lowercased, for linking by email or domain (metrics.md §1.4). */
    email: text(),
    receivedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    // The KPI loaders read one type over a day range.
    index("ingest_events_type_time_idx").on(t.workspaceId, t.type, t.occurredAt),
  ],
);

/**
 * CSV uploads imported in the background (lib/ingest/import-job.ts). The file itself is kept here, not on a local
 * disk, so any server on the same Postgres can run the job; it is cleared once the job no longer needs it
 * (succeeded or invalid). Progress is `done` of `rows`, committed with each batch of events it counts, so a
 * resumed job continues exactly where the last committed batch ended (docs/decisions/0007-background-csv-import.md).
 */
export const importJobs = pgTable(
  "import_jobs",
  {
    workspaceId: text()
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    id: text().notNull(),
    /** The ingest event type of every row. */
    type: text().notNull(),
    fileName: text().notNull(),
    bytes: integer().notNull(),
    /** field name → CSV header, as chosen on the import page. */
    mapping: jsonb().$type<Record<string, string>>().notNull(),
    status: text({ enum: ["queued", "validating", "invalid", "importing", "succeeded", "failed"] }).notNull(),
    /** The uploaded CSV text; null once the job has finished with it. */
    csv: text(),
    /** Data rows in the file (known after validation). */
    rows: integer(),
    /** Rows written so far, in file order; the resume point. */
    done: integer().notNull().default(0),
    /** Of `done`, the rows stored (the rest were ids the workspace already had). */
    inserted: integer().notNull().default(0),
    /** Row errors found by validation: the first ones, and how many in all. */
    errors: jsonb().$type<{ row: number; field: string; message: string }[]>().notNull().default([]),
    errorCount: integer().notNull().default(0),
    badRows: integer().notNull().default(0),
    /** Why a job failed for a reason other than its rows (the database went away, …). */
    failure: text(),
    createdBy: text().references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    index("import_jobs_created_idx").on(t.workspaceId, t.createdAt),
  ],
);
