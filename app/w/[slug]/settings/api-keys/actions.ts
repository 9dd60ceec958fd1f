"use server";

import { revalidatePath } from "next/cache";
import { action } from "@/lib/actions";
import { createApiKey, revokeApiKey } from "@/lib/workspaces/api-keys";
import { createApiKeySchema, revokeApiKeySchema } from "@/lib/workspaces/schemas";

export const createApiKeyAction = action({
  permission: "apikeys.manage",
  schema: createApiKeySchema,
  run: async ({ db, ctx, input }) => {
    const key = await createApiKey({ db, ctx, input });
    revalidatePath(`/w/${ctx.workspace.slug}/settings/api-keys`);
    return { token: key.token };
  },
});

export const revokeApiKeyAction = action({
  permission: "apikeys.manage",
  schema: revokeApiKeySchema,
  run: async ({ db, ctx, input }) => {
    await revokeApiKey({ db, ctx, input });
    revalidatePath(`/w/${ctx.workspace.slug}/settings/api-keys`);
    return { message: "Token revoked." };
  },
});
