"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { action } from "@/lib/actions";
import { enqueueBackfill } from "@/lib/jobs/queue";
import { getQueue } from "@/lib/server/services";
import { createConnection, getConnection } from "@/lib/stripe/connections";
import { insertAudit } from "@/lib/workspaces/audit";
import { connectStripeSchema } from "./schemas";

export const connectStripeAction = action({
  permission: "connections.manage",
  schema: connectStripeSchema,
  run: async ({ db, ctx, input }) => {
    const connection = await createConnection({
      db,
      workspaceId: ctx.workspace.id,
      actorUserId: ctx.actorUserId ?? undefined,
      ...input,
    });
    revalidatePath(`/w/${ctx.workspace.slug}/settings/stripe`);
    return { id: connection.id, message: "Connected. Paste the webhook URL into Stripe." };
  },
});

export const startBackfillAction = action({
  permission: "connections.manage",
  schema: z.object({ connectionId: z.string().regex(/^con_/) }),
  run: async ({ db, ctx, input }) => {
    await getConnection(ctx.workspace.id, input.connectionId, db); // NOT_FOUND for another workspace's id
    const { jobId } = await enqueueBackfill({
      db,
      boss: getQueue(),
      workspaceId: ctx.workspace.id,
      connectionId: input.connectionId,
    });
    await insertAudit(db, ctx, "stripe.backfill.start", input.connectionId, { jobId });
    revalidatePath(`/w/${ctx.workspace.slug}/settings/stripe`);
    return { jobId, message: "Backfill started: it runs in the background." };
  },
});
