import { index, jsonb, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";
import { workspaces } from "./core";

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
