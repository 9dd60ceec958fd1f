"use server";

import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import { toActionError } from "@/lib/actions";
import { auth } from "@/lib/auth/config";
import { AppError } from "@/lib/errors";
import { createWorkspaceSchema } from "@/lib/workspaces/schemas";
import { createWorkspace } from "@/lib/workspaces/workspaces";
import type { FormState } from "@/app/_components/form";

/** Any signed-in user may create a workspace; they become its owner. */
export async function createWorkspaceAction(_prev: FormState, form: FormData): Promise<FormState> {
  let slug: string;
  try {
    const session = await auth();
    if (!session?.user?.id || !session.user.email) throw new AppError("UNAUTHENTICATED");
    const input = createWorkspaceSchema.parse(Object.fromEntries(form));
    const { workspace } = await createWorkspace({
      db: await getDb(),
      input: { ...input, ownerEmail: session.user.email, ownerUserId: session.user.id },
    });
    slug = workspace.slug;
  } catch (err) {
    return toActionError(err);
  }
  redirect(`/w/${slug}`);
}
