"use server";

import { revalidatePath } from "next/cache";
import { action } from "@/lib/actions";
import { updateWorkspaceSchema } from "@/lib/workspaces/schemas";
import { updateWorkspace } from "@/lib/workspaces/workspaces";

export const updateWorkspaceAction = action({
  permission: "settings.write",
  schema: updateWorkspaceSchema,
  run: async ({ db, ctx, input }) => {
    await updateWorkspace({ db, ctx, input });
    revalidatePath(`/w/${ctx.workspace.slug}`, "layout");
    return { message: "Saved." };
  },
});
