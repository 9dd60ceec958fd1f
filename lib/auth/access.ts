import { cache } from "react";
import { notFound, redirect } from "next/navigation";
import { getDb } from "@/db/client";
import { AppError } from "@/lib/errors";
import { checkAccess, type Access } from "./check";
import { auth } from "./config";
import type { Permission } from "./permissions";

export { checkAccess, checkApiKey, type Access } from "./check";

/**
 * The first line of every workspace page: the signed-out go to /login, strangers get a 404, members without
 * the permission the no-access page. Memoized per request, so the layout and the page share one lookup.
 */
export const requireAccess = cache(async (slug: string, permission: Permission): Promise<Access> => {
  const session = await auth();
  const userId = session?.user?.id;
  if (!userId) redirect(`/login?next=${encodeURIComponent(`/w/${slug}`)}`);
  try {
    return await checkAccess(userId, slug, permission, await getDb());
  } catch (err) {
    if (err instanceof AppError && err.code === "NOT_FOUND") notFound();
    if (err instanceof AppError && err.code === "FORBIDDEN")
      redirect(`/w/${slug}/no-access?need=${encodeURIComponent(permission)}`);
    throw err;
  }
});

/** The signed-in user's id, or a redirect to /login. */
export async function requireUser(next = "/"): Promise<{ userId: string; email: string | null | undefined }> {
  const session = await auth();
  if (!session?.user?.id) redirect(`/login?next=${encodeURIComponent(next)}`);
  return { userId: session.user.id, email: session.user.email };
}
