import { sql } from "drizzle-orm";
import {
  bigint,
  char,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";

// Column names come from `casing: "snake_case"` (drizzle.config.ts and db/client.ts): `workspaceId` is `workspace_id`.

export const users = pgTable(
  "users",
  {
    id: text().primaryKey(),
    /** Lowercased at the edge; unique across the installation. */
    email: text().notNull(),
    name: text(),
    /** argon2id; null for users who only sign in with GitHub/Google. */
    passwordHash: text(),
    emailVerified: timestamp({ withTimezone: true }),
    image: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("users_email_key").on(t.email)],
);

/** OAuth accounts (Auth.js adapter shape) for the optional GitHub/Google sign-in. */
export const accounts = pgTable(
  "accounts",
  {
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    type: text().notNull(),
    provider: text().notNull(),
    providerAccountId: text().notNull(),
    refresh_token: text(),
    access_token: text(),
    expires_at: integer(),
    token_type: text(),
    scope: text(),
    id_token: text(),
    session_state: text(),
  },
  (t) => [primaryKey({ columns: [t.provider, t.providerAccountId] })],
);

export const workspaces = pgTable(
  "workspaces",
  {
    id: text().primaryKey(),
    name: text().notNull(),
    slug: text().notNull(),
    /** Reporting currency, lowercase ISO 4217. */
    currency: char({ length: 3 }).notNull().default("usd"),
    /** IANA time zone: a date means the end of that local day. */
    timezone: text().notNull().default("UTC"),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("workspaces_slug_key").on(t.slug)],
);

export const memberships = pgTable(
  "memberships",
  {
    workspaceId: text()
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: text({ enum: ["owner", "admin", "finance", "marketing", "success", "viewer"] }).notNull(),
    /** `invited` until the invitation link is accepted; only `active` members get in. */
    status: text({ enum: ["active", "invited"] })
      .notNull()
      .default("active"),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.userId] }), index("memberships_user_idx").on(t.userId)],
);

export const invitations = pgTable(
  "invitations",
  {
    workspaceId: text()
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    id: text().notNull(),
    email: text().notNull(),
    role: text({ enum: ["owner", "admin", "finance", "marketing", "success", "viewer"] }).notNull(),
    /** sha256 of the secret in the link; the secret itself is never stored. */
    tokenHash: text().notNull(),
    invitedBy: text().references(() => users.id, { onDelete: "set null" }),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    acceptedAt: timestamp({ withTimezone: true }),
    revokedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.id] }), uniqueIndex("invitations_token_hash_key").on(t.tokenHash)],
);

export const apiKeys = pgTable(
  "api_keys",
  {
    workspaceId: text()
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    id: text().notNull(),
    name: text().notNull(),
    /** sha256 of the token; the token is shown once at creation. */
    tokenHash: text().notNull(),
    /** The first characters of the token, to tell keys apart in the UI. */
    tokenPrefix: text().notNull(),
    scopes: text().array().notNull(),
    createdBy: text().references(() => users.id, { onDelete: "set null" }),
    lastUsedAt: timestamp({ withTimezone: true }),
    revokedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.id] }), uniqueIndex("api_keys_token_hash_key").on(t.tokenHash)],
);

export const auditLog = pgTable(
  "audit_log",
  {
    workspaceId: text()
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    id: text().notNull(),
    /** null when the CLI or the system acted. */
    actorUserId: text().references(() => users.id, { onDelete: "set null" }),
    action: text().notNull(),
    target: text(),
    details: jsonb()
      .$type<Record<string, unknown>>()
      .notNull()
      .default(sql`'{}'::jsonb`),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.id] }), index("audit_log_at_idx").on(t.workspaceId, t.at)],
);

/** Fixed-window counters for login attempts, shared by every server on the one database. */
export const rateLimits = pgTable("rate_limits", {
  key: text().primaryKey(),
  count: bigint({ mode: "number" }).notNull(),
  resetAt: timestamp({ withTimezone: true }).notNull(),
});
