import { z } from "zod";
import { AppError, isTransientDbError, newErrorRef } from "@/lib/errors";
import { rebuildWorkspaceLedger } from "@/lib/kpi/rebuild";
import { log } from "@/lib/log";
import { runBackfill } from "@/lib/stripe/backfill";
import { createConnection, listConnections, secretKeySchema, webhookSecretSchema } from "@/lib/stripe/connections";
import { rebuildProjection } from "@/lib/stripe/rebuild";
import { slugSchema } from "@/lib/workspaces/schemas";
import { defineCommand } from "./registry";
import { resolveWorkspaceFlag } from "./workspace-commands";

export const connectStripeCommand = defineCommand({
  description: "Connect a Stripe account: webhook signing secret, optional secret key for backfill",
  flags: z.strictObject({
    workspace: slugSchema,
    webhookSecret: webhookSecretSchema,
    secretKey: secretKeySchema.optional(),
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

export const backfillCommand = defineCommand({
  description: "Import existing Stripe objects through the same projection as webhooks (resumable)",
  flags: z.strictObject({
    workspace: slugSchema,
    connection: z.string().regex(/^con_/, "must be a connection id (con_…)").optional(),
  }),
  async run({ handle, flags, progress }) {
    const workspace = await resolveWorkspaceFlag(flags.workspace, handle.db);
    const list = await listConnections(workspace.id, handle.db);
    const targets = flags.connection
      ? list.filter((c) => c.id === flags.connection)
      : list.filter((c) => c.hasSecretKey);
    if (flags.connection && targets.length === 0)
      throw new AppError("NOT_FOUND", `no connection ${flags.connection} in this workspace`);
    if (targets.length === 0)
      throw new AppError("VALIDATION", "no Stripe connection with a secret key: connect-stripe --secret-key first");
    const imported: Record<string, number> = {};
    for (const connection of targets) {
      const result = await runBackfill({
        db: handle.db,
        workspaceId: workspace.id,
        connectionId: connection.id,
        onProgress: (p) => progress(`backfill ${connection.id}: ${p.type} ${p.count}`),
      });
      for (const [type, n] of Object.entries(result.imported)) imported[type] = (imported[type] ?? 0) + n;
    }
    progress("backfill: recomputing MRR history");
    await rebuildWorkspaceLedger(handle.db, workspace.id, (done, total) =>
      progress(`ledger: ${done}/${total} customers`),
    );
    return { imported };
  },
});

export const rebuildCommand = defineCommand({
  description: "Rebuild the projection and KPI facts from the stored raw events (all or nothing)",
  flags: z.strictObject({ workspace: slugSchema }),
  async run({ handle, flags, progress }) {
    const workspace = await resolveWorkspaceFlag(flags.workspace, handle.db);
    let lastShown = 0;
    let reached = { done: 0, total: 0 };
    try {
      const result = await rebuildProjection({
        db: handle.db,
        workspaceId: workspace.id,
        onProgress: (p) => {
          reached = p;
          if (p.done - lastShown >= 1000 || p.done === p.total) {
            lastShown = p.done;
            progress(`rebuild: ${p.done}/${p.total} events`);
          }
        },
        onLedgerProgress: (done, total) => progress(`rebuild: MRR history ${done}/${total} customers`),
      });
      progress("rebuild: committed");
      return { events: result.events, failed: result.failed };
    } catch (err) {
      if (err instanceof AppError) throw err;
      // The whole rebuild is one transaction: nothing of it was kept. The cause goes to the log, not the CLI line.
      const ref = newErrorRef();
      log.error("stripe.rebuild.failed", { workspaceId: workspace.id, ref, ...reached, err });
      throw new AppError(
        isTransientDbError(err) ? "UNAVAILABLE" : "INTERNAL",
        `rebuild failed after ${reached.done} of ${reached.total} events and was rolled back; the previous projection and MRR history are unchanged (ref ${ref})`,
        { cause: err },
      );
    }
  },
});
