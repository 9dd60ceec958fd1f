import { z } from "zod";
import { findWorkspaceBySlug } from "@/db/queries/resolve";
import type { Db } from "@/db/client";
import { AppError } from "@/lib/errors";
import { createApiKey } from "@/lib/workspaces/api-keys";
import { systemCtx } from "@/lib/workspaces/context";
import { addMember } from "@/lib/workspaces/members";
import {
  currencySchema,
  emailSchema,
  passwordSchema,
  roleSchema,
  scopeListSchema,
  slugSchema,
  timezoneSchema,
} from "@/lib/workspaces/schemas";
import { createWorkspace } from "@/lib/workspaces/workspaces";
import { defineCommand } from "./registry";

/** The workspace named by `--workspace <slug>`, or NOT_FOUND (exit 1). */
export async function resolveWorkspaceFlag(slug: string, db: Db) {
  const workspace = await findWorkspaceBySlug(slug, db);
  if (!workspace) throw new AppError("NOT_FOUND", `no workspace with slug "${slug}"`);
  return workspace;
}

export const createWorkspaceCommand = defineCommand({
  description: "Create a workspace and its owner",
  flags: z.strictObject({
    name: z.string().trim().min(1, "must not be empty"),
    slug: slugSchema,
    ownerEmail: emailSchema,
    ownerPassword: passwordSchema,
    currency: currencySchema.default("usd"),
    timezone: timezoneSchema.default("UTC"),
  }),
  async run({ handle, flags }) {
    const { workspace, user } = await createWorkspace({ db: handle.db, input: flags });
    return {
      workspace: { id: workspace.id, slug: workspace.slug, currency: workspace.currency, timezone: workspace.timezone },
      user,
    };
  },
});

export const addMemberCommand = defineCommand({
  description: "Add a member (with --password) or print an invitation link",
  flags: z.strictObject({
    workspace: slugSchema,
    email: emailSchema,
    role: roleSchema,
    password: passwordSchema.optional(),
  }),
  async run({ handle, flags, appUrl }) {
    const workspace = await resolveWorkspaceFlag(flags.workspace, handle.db);
    const result = await addMember({ db: handle.db, ctx: systemCtx(workspace), input: flags });
    return {
      membership: result.membership,
      ...(result.invitePath ? { inviteUrl: `${appUrl}${result.invitePath}` } : {}),
    };
  },
});

export const createApiKeyCommand = defineCommand({
  description: "Create an API token (shown once, stored hashed)",
  flags: z.strictObject({
    workspace: slugSchema,
    scopes: z
      .string()
      .transform((s) =>
        s
          .split(",")
          .map((x) => x.trim())
          .filter(Boolean),
      )
      .pipe(scopeListSchema),
    name: z.string().trim().min(1).max(100).optional(),
  }),
  async run({ handle, flags }) {
    const workspace = await resolveWorkspaceFlag(flags.workspace, handle.db);
    const key = await createApiKey({
      db: handle.db,
      ctx: systemCtx(workspace),
      input: { name: flags.name ?? "CLI key", scopes: flags.scopes },
    });
    return { apiKey: { id: key.id, token: key.token } };
  },
});
