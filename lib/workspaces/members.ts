import { and, count, eq, gt, isNull } from "drizzle-orm";
import type { Db } from "@/db/client";
import { auditLog, invitations, memberships, users, workspaces } from "@/db/schema";
import type { Role } from "@/lib/auth/permissions";
import { hashToken } from "@/lib/crypto";
import { isUniqueViolation } from "@/lib/db-errors";
import { AppError } from "@/lib/errors";
import { newId, newSecret } from "@/lib/ids";
import { hashPassword } from "@/lib/passwords";
import { insertAudit } from "./audit";
import type { Ctx } from "./context";
import { emailSchema, passwordSchema, roleSchema } from "./schemas";

const INVITATION_DAYS = 7;

/** Only an owner may hand out or take away the owner role. */
function checkMayAssign(ctx: Ctx, role: Role) {
  if (role === "owner" && ctx.role !== "owner" && ctx.role !== "system")
    throw new AppError("FORBIDDEN", "Only an owner can make someone an owner.");
}

/**
 * Adds a member. With a password the account is created (or an existing account is attached) at once; without
 * one an invitation link is created, valid for 7 days, and its URL path returned (the secret is stored hashed).
 */
export async function addMember({
  db,
  ctx,
  input,
}: {
  db: Db;
  ctx: Ctx;
  input: { email: string; role: string; password?: string };
}): Promise<{ membership: { userId: string; role: Role }; invitePath?: string; invitationId?: string }> {
  const email = emailSchema.parse(input.email);
  const role = roleSchema.parse(input.role);
  checkMayAssign(ctx, role);
  if (input.password === undefined) return inviteMember({ db, ctx, input: { email, role } });
  const passwordHash = await hashPassword(passwordSchema.parse(input.password));
  return db.transaction(async (tx) => {
    let [user] = await tx.select().from(users).where(eq(users.email, email));
    user ??= (
      await tx
        .insert(users)
        .values({ id: newId("usr"), email, passwordHash })
        .returning()
    )[0];
    try {
      await tx.insert(memberships).values({ workspaceId: ctx.workspace.id, userId: user!.id, role });
    } catch (err) {
      if (isUniqueViolation(err)) throw new AppError("CONFLICT", `${email} is already a member.`);
      throw err;
    }
    await insertAudit(tx, ctx, "member.add", user!.id, { role });
    return { membership: { userId: user!.id, role } };
  });
}

/**
 * Invites someone by email: their account (created without a password when new) gets a pending membership with
 * the role, and a one-time link (valid 7 days, stored hashed) activates it. Pending members cannot get in.
 */
export async function inviteMember({ db, ctx, input }: { db: Db; ctx: Ctx; input: { email: string; role: Role } }) {
  checkMayAssign(ctx, input.role);
  const secret = newSecret();
  const id = newId("inv");
  return db.transaction(async (tx) => {
    let [user] = await tx.select().from(users).where(eq(users.email, input.email));
    user ??= (
      await tx
        .insert(users)
        .values({ id: newId("usr"), email: input.email })
        .returning()
    )[0];
    const [existing] = await tx
      .select()
      .from(memberships)
      .where(and(eq(memberships.workspaceId, ctx.workspace.id), eq(memberships.userId, user!.id)));
    if (existing?.status === "active") throw new AppError("CONFLICT", `${input.email} is already a member.`);
    if (existing)
      await tx
        .update(memberships)
        .set({ role: input.role })
        .where(and(eq(memberships.workspaceId, ctx.workspace.id), eq(memberships.userId, user!.id)));
    else
      await tx
        .insert(memberships)
        .values({ workspaceId: ctx.workspace.id, userId: user!.id, role: input.role, status: "invited" });
    await tx
      .update(invitations)
      .set({ revokedAt: new Date() })
      .where(
        and(
          eq(invitations.workspaceId, ctx.workspace.id),
          eq(invitations.email, input.email),
          isNull(invitations.acceptedAt),
        ),
      );
    await tx.insert(invitations).values({
      workspaceId: ctx.workspace.id,
      id,
      email: input.email,
      role: input.role,
      tokenHash: hashToken(secret),
      invitedBy: ctx.actorUserId,
      expiresAt: new Date(Date.now() + INVITATION_DAYS * 86_400_000),
    });
    await insertAudit(tx, ctx, "member.invite", id, { role: input.role, userId: user!.id });
    return { membership: { userId: user!.id, role: input.role }, invitePath: `/invite/${secret}`, invitationId: id };
  });
}

/** The pending invitation behind a link secret, with whether its account still needs a password. */
export async function findOpenInvitation(db: Db, secret: string) {
  const [row] = await db
    .select({
      invitation: invitations,
      workspaceName: workspaces.name,
      workspaceSlug: workspaces.slug,
      hasPassword: users.passwordHash,
    })
    .from(invitations)
    .innerJoin(workspaces, eq(workspaces.id, invitations.workspaceId))
    .leftJoin(users, eq(users.email, invitations.email))
    .where(
      and(
        eq(invitations.tokenHash, hashToken(secret)),
        isNull(invitations.acceptedAt),
        isNull(invitations.revokedAt),
        gt(invitations.expiresAt, new Date()),
      ),
    );
  return row
    ? {
        ...row.invitation,
        workspaceName: row.workspaceName,
        workspaceSlug: row.workspaceSlug,
        needsPassword: !row.hasPassword,
      }
    : undefined;
}

/**
 * Accepts an invitation. A new account sets its password here; an account that has one must be signed in as
 * that account (`userId`). Activating the membership and using up the link are one transaction.
 */
export async function acceptInvitation({
  db,
  input,
}: {
  db: Db;
  input: { secret: string; userId?: string; password?: string };
}) {
  const passwordHash =
    input.password === undefined ? undefined : await hashPassword(passwordSchema.parse(input.password));
  return db.transaction(async (tx) => {
    const [inv] = await tx
      .update(invitations)
      .set({ acceptedAt: new Date() })
      .where(
        and(
          eq(invitations.tokenHash, hashToken(input.secret)),
          isNull(invitations.acceptedAt),
          isNull(invitations.revokedAt),
          gt(invitations.expiresAt, new Date()),
        ),
      )
      .returning();
    if (!inv) throw new AppError("NOT_FOUND", "This invitation link is invalid, used or expired.");
    const [user] = await tx.select().from(users).where(eq(users.email, inv.email));
    if (!user) throw new AppError("NOT_FOUND", "This invitation link is invalid, used or expired.");
    if (user.passwordHash) {
      if (input.userId !== user.id)
        throw new AppError("CONFLICT", `Sign in as ${inv.email} first, then open the link again.`);
    } else {
      if (!passwordHash)
        throw new AppError("VALIDATION", "Choose a password.", { fieldErrors: { password: ["Required."] } });
      await tx.update(users).set({ passwordHash }).where(eq(users.id, user.id));
    }
    const activated = await tx
      .update(memberships)
      .set({ status: "active" })
      .where(and(eq(memberships.workspaceId, inv.workspaceId), eq(memberships.userId, user.id)))
      .returning();
    if (activated.length === 0) throw new AppError("NOT_FOUND", "This invitation was withdrawn.");
    await tx.insert(auditLog).values({
      workspaceId: inv.workspaceId,
      id: newId("aud"),
      actorUserId: user.id,
      action: "member.accept",
      target: inv.id,
      details: { role: activated[0]!.role },
    });
    return { workspaceId: inv.workspaceId, userId: user.id, email: user.email, role: activated[0]!.role };
  });
}

async function countOwners(tx: Pick<Db, "select">, workspaceId: string) {
  const [row] = await tx
    .select({ n: count() })
    .from(memberships)
    .where(
      and(eq(memberships.workspaceId, workspaceId), eq(memberships.role, "owner"), eq(memberships.status, "active")),
    );
  return row?.n ?? 0;
}

export async function changeRole({ db, ctx, input }: { db: Db; ctx: Ctx; input: { userId: string; role: Role } }) {
  return db.transaction(async (tx) => {
    const [current] = await tx
      .select()
      .from(memberships)
      .where(and(eq(memberships.workspaceId, ctx.workspace.id), eq(memberships.userId, input.userId)));
    if (!current) throw new AppError("NOT_FOUND", "No such member.");
    checkMayAssign(ctx, input.role);
    if (current.role === "owner") checkMayAssign(ctx, "owner");
    if (current.role === "owner" && input.role !== "owner" && (await countOwners(tx, ctx.workspace.id)) <= 1)
      throw new AppError("CONFLICT", "A workspace needs at least one owner.");
    await tx
      .update(memberships)
      .set({ role: input.role })
      .where(and(eq(memberships.workspaceId, ctx.workspace.id), eq(memberships.userId, input.userId)));
    await insertAudit(tx, ctx, "member.role", input.userId, { from: current.role, to: input.role });
  });
}

export async function removeMember({ db, ctx, input }: { db: Db; ctx: Ctx; input: { userId: string } }) {
  return db.transaction(async (tx) => {
    const [current] = await tx
      .select()
      .from(memberships)
      .where(and(eq(memberships.workspaceId, ctx.workspace.id), eq(memberships.userId, input.userId)));
    if (!current) throw new AppError("NOT_FOUND", "No such member.");
    if (current.role === "owner") {
      checkMayAssign(ctx, "owner");
      if ((await countOwners(tx, ctx.workspace.id)) <= 1)
        throw new AppError("CONFLICT", "A workspace needs at least one owner.");
    }
    await tx
      .delete(memberships)
      .where(and(eq(memberships.workspaceId, ctx.workspace.id), eq(memberships.userId, input.userId)));
    await insertAudit(tx, ctx, "member.remove", input.userId, { role: current.role });
  });
}

export async function revokeInvitation({ db, ctx, input }: { db: Db; ctx: Ctx; input: { id: string } }) {
  return db.transaction(async (tx) => {
    const rows = await tx
      .update(invitations)
      .set({ revokedAt: new Date() })
      .where(
        and(
          eq(invitations.workspaceId, ctx.workspace.id),
          eq(invitations.id, input.id),
          isNull(invitations.acceptedAt),
        ),
      )
      .returning({ id: invitations.id });
    if (rows.length === 0) throw new AppError("NOT_FOUND", "No such invitation.");
    await insertAudit(tx, ctx, "member.invite.revoke", input.id);
  });
}
