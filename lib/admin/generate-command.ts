import { randomBytes } from "node:crypto";
import { z } from "zod";
import type { Db } from "@/db/client";
import { generateBusiness } from "@/lib/demo/generate";
import { SUPPORTED_CURRENCIES } from "@/lib/demo/generate/catalog";
import { loadGeneratedBusiness } from "@/lib/demo/generate/load";
import { createConnection, listConnections } from "@/lib/stripe/connections";
import { slugSchema } from "@/lib/workspaces/schemas";
import { defineCommand } from "./registry";
import { resolveWorkspaceFlag } from "./workspace-commands";

const count = (max: number) =>
  z
    .string()
    .regex(/^\d+$/, "must be a whole number")
    .transform(Number)
    .pipe(
      z
        .number()
        .int()
        .min(1, "must be at least 1")
        .max(max, `must be at most ${max.toLocaleString("en-US")}`),
    );

const isDay = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);

/** The workspace's first Stripe connection, or a new one named "Demo data" (its secret is never used to sign). */
async function demoConnection(workspaceId: string, db: Db) {
  const [first] = await listConnections(workspaceId, db);
  if (first) return { id: first.id, workspaceId };
  const created = await createConnection({
    db,
    workspaceId,
    name: "Demo data",
    webhookSecret: `whsec_${randomBytes(24).toString("hex")}`,
  });
  return { id: created.id, workspaceId };
}

/** Customer currencies: the workspace's first when the demo catalog has it, then the others usd and eur. */
function currenciesFor(workspaceCurrency: string): string[] {
  const supported = SUPPORTED_CURRENCIES as readonly string[];
  const head = supported.includes(workspaceCurrency) ? workspaceCurrency : "usd";
  return [head, ...["usd", "eur"].filter((c) => c !== head)];
}

export const generateCommand = defineCommand({
  description: "Load a seeded synthetic SaaS history (Stripe events and marketing/CS events) through ingestion",
  flags: z.strictObject({
    workspace: slugSchema,
    customers: count(100_000),
    months: count(120),
    seed: z.string().trim().min(1, "must not be empty").max(100),
    endDate: z.string().refine(isDay, "must be a date YYYY-MM-DD").optional(),
  }),
  async run({ handle, flags, progress }) {
    const workspace = await resolveWorkspaceFlag(flags.workspace, handle.db);
    // The clock is read here, at the edge; the generator itself only knows the day it is given.
    const endDate = flags.endDate ?? new Date().toISOString().slice(0, 10);
    const connection = await demoConnection(workspace.id, handle.db);
    const business = generateBusiness({
      seed: flags.seed,
      customers: flags.customers,
      months: flags.months,
      endDate,
      currencies: currenciesFor(workspace.currency),
    });
    const result = await loadGeneratedBusiness({
      db: handle.db,
      workspaceId: workspace.id,
      connection,
      business,
      progress,
    });
    return { events: result.events, ingest: result.ingest, duplicates: result.duplicates, connection: connection.id };
  },
});
