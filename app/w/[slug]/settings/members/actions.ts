"use server";

import { revalidatePath } from "next/cache";
import { action } from "@/lib/actions";
import { getEnv } from "@/lib/env";
import { changeRole, inviteMember, removeMember, revokeInvitation } from "@/lib/workspaces/members";
import { changeRoleSchema, inviteMemberSchema, removeMemberSchema } from "@/lib/workspaces/schemas";
import { z } from "zod";

export const inviteMemberAction = action({
  permission: "members.manage",
  schema: inviteMemberSchema,
  run: async ({ db, ctx, input }) => {
    const { invitePath } = await inviteMember({ db, ctx, input });
    revalidatePath(`/w/${ctx.workspace.slug}/settings/members`);
    return { inviteUrl: `${getEnv().APP_URL}${invitePath}` };
  },
});

export const changeRoleAction = action({
  permission: "members.manage",
  schema: changeRoleSchema,
  run: async ({ db, ctx, input }) => {
    await changeRole({ db, ctx, input });
    revalidatePath(`/w/${ctx.workspace.slug}/settings/members`);
    return { message: "Role changed." };
  },
});

export const removeMemberAction = action({
  permission: "members.manage",
  schema: removeMemberSchema,
  run: async ({ db, ctx, input }) => {
    await removeMember({ db, ctx, input });
    revalidatePath(`/w/${ctx.workspace.slug}/settings/members`);
    return { message: "Member removed." };
  },
});

export const revokeInvitationAction = action({
  permission: "members.manage",
  schema: z.object({ id: z.string().min(1) }),
  run: async ({ db, ctx, input }) => {
    await revokeInvitation({ db, ctx, input });
    revalidatePath(`/w/${ctx.workspace.slug}/settings/members`);
    return { message: "Invitation withdrawn." };
  },
});
