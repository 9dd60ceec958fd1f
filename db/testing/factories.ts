import { newId } from "@/lib/ids";
import type { Executor } from "../client";
import { memberships, users, workspaces } from "../schema";

type Role = "owner" | "admin" | "finance" | "marketing" | "success" | "viewer";

/** A workspace of its own for one test: unique slug, optional currency and time zone. */
export async function createTestWorkspace(
  db: Executor,
  input: { slug?: string; currency?: string; timezone?: string; name?: string } = {},
) {
  const id = newId("ws");
  const slug = input.slug ?? `t-${id.slice(3, 13)}`;
  const [row] = await db
    .insert(workspaces)
    .values({
      id,
      slug,
      name: input.name ?? `Test ${slug}`,
      currency: input.currency ?? "usd",
      timezone: input.timezone ?? "UTC",
    })
    .returning();
  return row!;
}

/** A user (no password) and, when a workspace is given, their membership in it. */
export async function createTestUser(db: Executor, input: { email?: string; workspaceId?: string; role?: Role } = {}) {
  const id = newId("usr");
  const [user] = await db
    .insert(users)
    .values({ id, email: input.email ?? `${id}@example.test` })
    .returning();
  if (input.workspaceId)
    await db.insert(memberships).values({ workspaceId: input.workspaceId, userId: id, role: input.role ?? "viewer" });
  return user!;
}
