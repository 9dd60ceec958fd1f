import { and, asc, count, eq } from "drizzle-orm";
import type { Executor } from "../client";
import { memberships, users, workspaces } from "../schema";

export async function findUserByEmail(email: string, db: Executor) {
  const [row] = await db.select().from(users).where(eq(users.email, email.trim().toLowerCase()));
  return row;
}

export async function findUserById(id: string, db: Executor) {
  const [row] = await db.select().from(users).where(eq(users.id, id));
  return row;
}

export async function countUsers(db: Executor): Promise<number> {
  const [row] = await db.select({ n: count() }).from(users);
  return row?.n ?? 0;
}

/** The workspaces a user belongs to, with their role: the workspace switcher. */
export async function listUserWorkspaces(userId: string, db: Executor) {
  return db
    .select({ id: workspaces.id, slug: workspaces.slug, name: workspaces.name, role: memberships.role })
    .from(memberships)
    .innerJoin(workspaces, eq(workspaces.id, memberships.workspaceId))
    .where(and(eq(memberships.userId, userId), eq(memberships.status, "active")))
    .orderBy(asc(workspaces.name));
}
