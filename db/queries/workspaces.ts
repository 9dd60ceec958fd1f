import { eq } from "drizzle-orm";
import type { Executor } from "../client";
import { workspaces } from "../schema";

export async function findWorkspaceSlugById(workspaceId: string, db: Executor): Promise<string | undefined> {
  const [row] = await db.select({ slug: workspaces.slug }).from(workspaces).where(eq(workspaces.id, workspaceId));
  return row?.slug;
}
