import { and, eq } from "drizzle-orm";
import type { z } from "zod";
import type { Db } from "@/db/client";
import { lockConfigExclusive } from "@/db/queries/config-lock";
import { memberships, users, workspaces } from "@/db/schema";
import { isUniqueViolation } from "@/lib/db-errors";
import { AppError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { hashPassword } from "@/lib/passwords";
import { rebuildLedger } from "@/lib/kpi/ledger";
import { getMetricConfig } from "@/lib/kpi/settings";
import { insertAudit } from "./audit";
import type { Ctx, Workspace } from "./context";
import { createWorkspaceSchema, emailSchema, passwordSchema, type updateWorkspaceSchema } from "./schemas";

type CreateInput = z.input<typeof createWorkspaceSchema> & {
  ownerEmail: string;
  ownerPassword?: string;
  ownerUserId?: string;
};

/**
 * Creates a workspace and makes its owner a member, in one transaction. The owner is an existing user
 * (`ownerUserId`, or an account with `ownerEmail`), or a new one with `ownerPassword`.
 */
export async function createWorkspace({ db, input }: { db: Db; input: CreateInput }) {
  const ws = createWorkspaceSchema.parse(input);
  const email = emailSchema.parse(input.ownerEmail);
  const password = input.ownerPassword === undefined ? undefined : passwordSchema.parse(input.ownerPassword);
  const passwordHash = password ? await hashPassword(password) : undefined;
  try {
    return await db.transaction(async (tx) => {
      const [existing] = input.ownerUserId
        ? await tx.select().from(users).where(eq(users.id, input.ownerUserId))
        : await tx.select().from(users).where(eq(users.email, email));
      let user = existing;
      if (!user) {
        if (!passwordHash)
          throw new AppError("VALIDATION", "The owner has no account yet: give a password.", {
            fieldErrors: { ownerPassword: ["Required for a new account."] },
          });
        [user] = await tx
          .insert(users)
          .values({ id: newId("usr"), email, passwordHash })
          .returning();
      }
      const [workspace] = await tx
        .insert(workspaces)
        .values({ id: newId("ws"), name: ws.name, slug: ws.slug, currency: ws.currency, timezone: ws.timezone })
        .returning();
      await tx.insert(memberships).values({ workspaceId: workspace!.id, userId: user!.id, role: "owner" });
      const ctx: Ctx = { workspace: workspace!, actorUserId: input.ownerUserId ?? null, role: "system" };
      await insertAudit(tx, ctx, "workspace.create", workspace!.id, { ownerUserId: user!.id });
      return { workspace: workspace!, user: { id: user!.id, email: user!.email } };
    });
  } catch (err) {
    if (isUniqueViolation(err))
      throw new AppError("CONFLICT", `The slug "${ws.slug}" is taken.`, {
        fieldErrors: { slug: ["This slug is taken."] },
      });
    throw err;
  }
}

export async function updateWorkspace({
  db,
  ctx,
  input,
}: {
  db: Db;
  ctx: Ctx;
  input: z.output<typeof updateWorkspaceSchema>;
}): Promise<Workspace> {
  return db.transaction(async (tx) => {
    // Exclusive, before the update (ADR 0016): a time zone or currency change recomputes the ledger and the cash
    // rollups, and no event may commit parts computed under the old one meanwhile.
    await lockConfigExclusive(tx, ctx.workspace.id);
    const [row] = await tx
      .update(workspaces)
      .set({ name: input.name, currency: input.currency, timezone: input.timezone })
      .where(and(eq(workspaces.id, ctx.workspace.id)))
      .returning();
    if (!row) throw new AppError("NOT_FOUND");
    await insertAudit(tx, ctx, "workspace.update", ctx.workspace.id, {
      currency: input.currency,
      timezone: input.timezone,
    });
    if (row.currency !== ctx.workspace.currency || row.timezone !== ctx.workspace.timezone)
      await rebuildLedger({ tx, workspace: row, config: await getMetricConfig(row.id, tx) });
    return row;
  });
}
