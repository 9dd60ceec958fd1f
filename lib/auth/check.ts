import { and, eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { findApiKeyByHash, findMembershipBySlug } from "@/db/queries/resolve";
import { apiKeys } from "@/db/schema";
import { hashToken } from "@/lib/crypto";
import { AppError } from "@/lib/errors";
import type { Ctx, Workspace } from "@/lib/workspaces/context";
import { can, type Permission, type Role, type Scope } from "./permissions";

// The checks themselves, free of Next: pages (access.ts), actions (lib/actions.ts) and routes call these.

export type Access = { workspace: Workspace; role: Role; userId: string; ctx: Ctx };

/**
 * The membership check behind actions and routes, without Next's control flow: NOT_FOUND for strangers (a
 * workspace's existence never leaks), FORBIDDEN for members whose role lacks the permission.
 */
export async function checkAccess(
  userId: string | undefined,
  slug: string,
  permission: Permission,
  db: Executor,
): Promise<Access> {
  if (!userId) throw new AppError("UNAUTHENTICATED");
  const m = await findMembershipBySlug(slug, userId, db);
  if (!m) throw new AppError("NOT_FOUND");
  if (!can(m.role, permission)) throw new AppError("FORBIDDEN");
  return {
    workspace: m.workspace,
    role: m.role,
    userId,
    ctx: { workspace: m.workspace, actorUserId: userId, role: m.role },
  };
}

/**
 * The bearer-token check of the read and ingest APIs: 401 for a missing or unknown token, 404 when the token
 * belongs to another workspace (existence never leaks), 403 when it lacks the scope.
 */
export async function checkApiKey(
  req: Request,
  slug: string,
  scope: Scope,
  db: Executor,
): Promise<{ workspace: Workspace; keyId: string }> {
  const header = req.headers.get("authorization") ?? "";
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw new AppError("UNAUTHENTICATED", "Missing or invalid API token.");
  const found = await findApiKeyByHash(hashToken(match[1]!), db);
  if (!found) throw new AppError("UNAUTHENTICATED", "Missing or invalid API token.");
  if (found.workspace.slug !== slug) throw new AppError("NOT_FOUND");
  if (!found.key.scopes.includes(scope)) throw new AppError("FORBIDDEN", `This token lacks the scope ${scope}.`);
  const stale = !found.key.lastUsedAt || Date.now() - found.key.lastUsedAt.getTime() > 60_000;
  if (stale)
    await db
      .update(apiKeys)
      .set({ lastUsedAt: new Date() })
      .where(and(eq(apiKeys.workspaceId, found.workspace.id), eq(apiKeys.id, found.key.id)));
  return { workspace: found.workspace, keyId: found.key.id };
}
