import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "@/db/client";
import { apiKeys } from "@/db/schema";
import type { Scope } from "@/lib/auth/permissions";
import { hashToken } from "@/lib/crypto";
import { AppError } from "@/lib/errors";
import { newId, newSecret } from "@/lib/ids";
import { insertAudit } from "./audit";
import type { Ctx } from "./context";
import { createApiKeySchema } from "./schemas";

/** Tokens read `ns_<43 base64url chars>`; the prefix lets secret scanners and people recognise them. */
export const TOKEN_PREFIX = "ns_";

/** Creates an API key. The token is returned once; only its sha256 is stored. */
export async function createApiKey({
  db,
  ctx,
  input,
}: {
  db: Db;
  ctx: Ctx;
  input: { name?: string; scopes: string[] };
}) {
  const parsed = createApiKeySchema.parse(input);
  const token = `${TOKEN_PREFIX}${newSecret()}`;
  const id = newId("key");
  await db.transaction(async (tx) => {
    await tx.insert(apiKeys).values({
      workspaceId: ctx.workspace.id,
      id,
      name: parsed.name,
      tokenHash: hashToken(token),
      tokenPrefix: token.slice(0, 10),
      scopes: parsed.scopes,
      createdBy: ctx.actorUserId,
    });
    await insertAudit(tx, ctx, "apikey.create", id, { scopes: parsed.scopes });
  });
  return { id, token, scopes: parsed.scopes as Scope[] };
}

export async function revokeApiKey({ db, ctx, input }: { db: Db; ctx: Ctx; input: { id: string } }) {
  await db.transaction(async (tx) => {
    const rows = await tx
      .update(apiKeys)
      .set({ revokedAt: new Date() })
      .where(and(eq(apiKeys.workspaceId, ctx.workspace.id), eq(apiKeys.id, input.id), isNull(apiKeys.revokedAt)))
      .returning({ id: apiKeys.id });
    if (rows.length === 0) throw new AppError("NOT_FOUND", "No such active API key.");
    await insertAudit(tx, ctx, "apikey.revoke", input.id);
  });
}
