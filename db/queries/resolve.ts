import { and, eq, isNull } from "drizzle-orm";
import type { Executor } from "../client";
import { apiKeys, memberships, workspaces } from "../schema";

// The lookups that start a request: they find the workspace from what the caller holds (a slug, an API key),
// so they are the only queries that don't take a workspace id first.

export async function findWorkspaceBySlug(slug: string, db: Executor) {
  const [row] = await db.select().from(workspaces).where(eq(workspaces.slug, slug));
  return row;
}

/** The workspace and the user's role in it, or undefined when either is missing (strangers get a 404). */
export async function findMembershipBySlug(slug: string, userId: string, db: Executor) {
  const [row] = await db
    .select({ workspace: workspaces, role: memberships.role })
    .from(workspaces)
    .innerJoin(
      memberships,
      and(eq(memberships.workspaceId, workspaces.id), eq(memberships.userId, userId), eq(memberships.status, "active")),
    )
    .where(eq(workspaces.slug, slug));
  return row;
}

/** The active API key with this token hash, with its workspace. */
export async function findApiKeyByHash(tokenHash: string, db: Executor) {
  const [row] = await db
    .select({ key: apiKeys, workspace: workspaces })
    .from(apiKeys)
    .innerJoin(workspaces, eq(workspaces.id, apiKeys.workspaceId))
    .where(and(eq(apiKeys.tokenHash, tokenHash), isNull(apiKeys.revokedAt)));
  return row;
}
