// Stripe connections: create (secrets sealed at rest, audited), list, and resolve for the webhook.
import { and, asc, eq } from "drizzle-orm";
import { z } from "zod";
import type { Executor } from "@/db/client";
import { auditLog, connections } from "@/db/schema";
import { openSecret, sealSecret } from "@/lib/crypto";
import { AppError } from "@/lib/errors";
import { newId, type Id } from "@/lib/ids";
import { formatIssues } from "./normalize/common";

export { STRIPE_EVENT_TYPES } from "./handlers";

/** The shapes of Stripe's webhook signing secrets and of secret or restricted API keys. */
export const WEBHOOK_SECRET_PATTERN = /^whsec_[A-Za-z0-9_]+$/;
export const SECRET_KEY_PATTERN = /^(sk|rk)_(test|live)_[A-Za-z0-9_]+$/;
export const webhookSecretSchema = z.string().regex(WEBHOOK_SECRET_PATTERN, "must start with whsec_");
export const secretKeySchema = z.string().regex(SECRET_KEY_PATTERN, "must be a secret (sk_…) or restricted (rk_…) key");

export const createConnectionSchema = z.object({
  workspaceId: z.string().min(1),
  webhookSecret: webhookSecretSchema,
  secretKey: secretKeySchema.optional(),
  apiBase: z.url().optional(),
  name: z.string().trim().min(1).max(100).optional(),
  actorUserId: z.string().optional(),
});

export type Connection = {
  id: string;
  workspaceId: string;
  name: string;
  livemode: boolean | null;
  apiBase: string | null;
  hasSecretKey: boolean;
  createdAt: Date;
};

export async function createConnection(
  input: z.input<typeof createConnectionSchema> & { db: Executor },
): Promise<Connection> {
  const { db, ...rest } = input;
  const parsed = createConnectionSchema.safeParse(rest);
  if (!parsed.success) {
    const fieldErrors: Record<string, string[]> = {};
    for (const issue of parsed.error.issues) (fieldErrors[String(issue.path[0] ?? "input")] ??= []).push(issue.message);
    throw new AppError("VALIDATION", `Invalid Stripe connection: ${formatIssues(parsed.error)}`, { fieldErrors });
  }
  const v = parsed.data;
  const id: Id<"con"> = newId("con");
  const livemode = v.secretKey ? v.secretKey.includes("_live_") : null;
  const row = {
    workspaceId: v.workspaceId,
    id,
    name: v.name ?? "Stripe",
    livemode,
    webhookSecret: sealSecret(v.webhookSecret),
    secretKey: v.secretKey ? sealSecret(v.secretKey) : null,
    apiBase: v.apiBase ?? null,
  };
  const write = async (tx: Executor) => {
    const [created] = await tx.insert(connections).values(row).returning();
    await tx.insert(auditLog).values({
      workspaceId: v.workspaceId,
      id: newId("aud"),
      actorUserId: v.actorUserId ?? null,
      action: "stripe.connection.create",
      target: id,
      details: { name: row.name, livemode, hasSecretKey: row.secretKey !== null, apiBase: row.apiBase },
    });
    return created!;
  };
  const created = "transaction" in db ? await db.transaction((tx) => write(tx)) : await write(db);
  return toConnection(created);
}

const toConnection = (r: typeof connections.$inferSelect): Connection => ({
  id: r.id,
  workspaceId: r.workspaceId,
  name: r.name,
  livemode: r.livemode,
  apiBase: r.apiBase,
  hasSecretKey: r.secretKey !== null,
  createdAt: r.createdAt,
});

export async function listConnections(workspaceId: string, db: Executor): Promise<Connection[]> {
  const rows = await db
    .select()
    .from(connections)
    .where(eq(connections.workspaceId, workspaceId))
    .orderBy(asc(connections.createdAt), asc(connections.id));
  return rows.map(toConnection);
}

export type ResolvedConnection = {
  id: string;
  workspaceId: string;
  webhookSecret: string;
  secretKey: string | null;
  apiBase: string | null;
};

// Decrypted secrets, cached briefly per connection id (a connection id belongs to exactly one workspace, and the
// cached entry carries that workspace). Saves the round trip and the AES work on the webhook's hot path.
const CACHE_MS = 30_000;
const cache = new Map<string, { at: number; value: ResolvedConnection }>();

/** The connection and its opened secrets, or undefined for an unknown id. */
export async function resolveConnection(connectionId: string, db: Executor): Promise<ResolvedConnection | undefined> {
  const hit = cache.get(connectionId);
  if (hit && Date.now() - hit.at < CACHE_MS) return hit.value;
  const [row] = await db.select().from(connections).where(eq(connections.id, connectionId)).limit(1);
  if (!row) return undefined;
  const value: ResolvedConnection = {
    id: row.id,
    workspaceId: row.workspaceId,
    webhookSecret: openSecret(row.webhookSecret),
    secretKey: row.secretKey ? openSecret(row.secretKey) : null,
    apiBase: row.apiBase,
  };
  cache.set(connectionId, { at: Date.now(), value });
  return value;
}

/** A connection of one workspace (backfill, CLI): throws NOT_FOUND for another workspace's id. */
export async function getConnection(
  workspaceId: string,
  connectionId: string,
  db: Executor,
): Promise<ResolvedConnection> {
  const [row] = await db
    .select({ id: connections.id })
    .from(connections)
    .where(and(eq(connections.workspaceId, workspaceId), eq(connections.id, connectionId)));
  if (!row) throw new AppError("NOT_FOUND", "Stripe connection not found.");
  return (await resolveConnection(connectionId, db))!;
}

/** Drops cached secrets (after a connection is deleted or rotated, and in tests). */
export function forgetConnectionCache(): void {
  cache.clear();
}
