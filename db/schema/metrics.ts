import { sql } from "drizzle-orm";
import { bigint, boolean, char, date, index, jsonb, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";
import { workspaces } from "./core";

/** A workspace's metric policies and KPI settings, stored as partial objects over the defaults of lib/metrics. */
export const metricSettings = pgTable("metric_settings", {
  workspaceId: text()
    .primaryKey()
    .references(() => workspaces.id, { onDelete: "cascade" }),
  policy: jsonb()
    .$type<Record<string, unknown>>()
    .notNull()
    .default(sql`'{}'::jsonb`),
  settings: jsonb()
    .$type<Record<string, unknown>>()
    .notNull()
    .default(sql`'{}'::jsonb`),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  updatedBy: text(),
});

/** 1 major unit of `currency` = `rate` major units of the workspace's reporting currency, from `rateDate` on. */
export const fxRates = pgTable(
  "fx_rates",
  {
    workspaceId: text()
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    currency: char({ length: 3 }).notNull(),
    rateDate: date({ mode: "string" }).notNull(),
    /** A decimal string with up to 10 places: parsed exactly, never as a float. */
    rate: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.currency, t.rateDate] })],
);

/**
 * The per-customer MRR change ledger (docs/decisions/0004-mrr-ledger.md): one row per customer per local day on
 * which its end-of-day MRR state changes, with the movement of that day. `mrr` as of D is the customer's latest
 * row on or before D; every period total is a sum of rows. Derived data: rebuilt from the projection at will.
 */
export const mrrChanges = pgTable(
  "mrr_changes",
  {
    workspaceId: text()
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    customerId: text().notNull(),
    day: date({ mode: "string" }).notNull(),
    mrr: bigint({ mode: "number" }).notNull(),
    previousMrr: bigint({ mode: "number" }).notNull(),
    kind: text({ enum: ["new", "expansion", "contraction", "churn", "reactivation"] }),
    amount: bigint({ mode: "number" }).notNull(),
    fxImpact: bigint({ mode: "number" }).notNull().default(0),
    annualMrr: bigint({ mode: "number" }).notNull().default(0),
    trialing: boolean().notNull().default(false),
    involuntary: boolean().notNull().default(false),
    eventIds: text().array().notNull(),
    unconverted: jsonb().$type<Record<string, number>>(),
    warnings: text().array().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.customerId, t.day] }),
    index("mrr_changes_day_idx").on(t.workspaceId, t.day),
  ],
);
