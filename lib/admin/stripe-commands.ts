import { z } from "zod";
import { createConnection } from "@/lib/stripe/connections";
import { slugSchema } from "@/lib/workspaces/schemas";
import { defineCommand } from "./registry";
import { resolveWorkspaceFlag } from "./workspace-commands";

export const connectStripeCommand = defineCommand({
  description: "Connect a Stripe account: webhook signing secret, optional secret key for backfill",
  flags: z.strictObject({
    workspace: slugSchema,
    webhookSecret: z.string().regex(/^whsec_[A-Za-z0-9_]+$/, "must start with whsec_"),
    secretKey: z
      .string()
      .regex(/^(sk|rk)_(test|live)_[A-Za-z0-9_]+$/, "must be a secret (sk_…) or restricted (rk_…) key")
      .optional(),
    apiBase: z.url("must be a URL").optional(),
    name: z.string().trim().min(1).max(100).optional(),
  }),
  async run({ handle, flags }) {
    const workspace = await resolveWorkspaceFlag(flags.workspace, handle.db);
    const connection = await createConnection({
      db: handle.db,
      workspaceId: workspace.id,
      webhookSecret: flags.webhookSecret,
      secretKey: flags.secretKey,
      apiBase: flags.apiBase,
      name: flags.name,
    });
    return { connection: { id: connection.id }, webhookPath: `/api/webhooks/stripe/${connection.id}` };
  },
});
