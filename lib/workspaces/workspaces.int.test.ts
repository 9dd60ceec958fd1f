import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { count, eq } from "drizzle-orm";
import type { DbHandle } from "@/db/client";
import { listApiKeys, listAudit, listMembers, listOpenInvitations } from "@/db/queries/members";
import { findMembershipBySlug } from "@/db/queries/resolve";
import { memberships, workspaces } from "@/db/schema";
import { createTestDb } from "@/db/testing";
import { checkAccess } from "@/lib/auth/check";
import { hitRateLimit } from "@/lib/auth/rate-limit";
import { checkCredentials } from "@/lib/auth/credentials";
import { AppError } from "@/lib/errors";
import { createApiKey, revokeApiKey } from "./api-keys";
import { systemCtx, type Ctx } from "./context";
import { acceptInvitation, addMember, changeRole, findOpenInvitation, inviteMember, removeMember } from "./members";
import { createWorkspace, updateWorkspace } from "./workspaces";

let h: DbHandle;
beforeAll(async () => {
  h = await createTestDb();
});
afterAll(async () => h?.close());

const code = async (p: Promise<unknown>) => {
  try {
    await p;
    return "ok";
  } catch (err) {
    return err instanceof AppError ? err.code : `unexpected: ${String(err)}`;
  }
};

async function twoWorkspaces(tag: string) {
  const a = await createWorkspace({
    db: h.db,
    input: { name: "A", slug: `a-${tag}`, ownerEmail: `a-${tag}@x.test`, ownerPassword: "password-a1" },
  });
  const b = await createWorkspace({
    db: h.db,
    input: { name: "B", slug: `b-${tag}`, ownerEmail: `b-${tag}@x.test`, ownerPassword: "password-b1" },
  });
  return { a, b, ctxA: systemCtx(a.workspace), ctxB: systemCtx(b.workspace) };
}

describe("workspaces", () => {
  it("creates a workspace with its owner as the only member, and refuses a taken slug with CONFLICT and nothing written", async () => {
    const { workspace, user } = await createWorkspace({
      db: h.db,
      input: {
        name: "Acme",
        slug: "acme-1",
        currency: "EUR",
        timezone: "Europe/Berlin",
        ownerEmail: "Owner@Acme.test",
        ownerPassword: "long-password",
      },
    });
    expect(workspace).toMatchObject({ slug: "acme-1", currency: "eur", timezone: "Europe/Berlin" });
    expect(user.email).toBe("owner@acme.test");
    expect(await listMembers(workspace.id, h.db)).toEqual([
      expect.objectContaining({ userId: user.id, role: "owner", status: "active" }),
    ]);
    const before = (await h.db.select({ n: count() }).from(workspaces))[0]!.n;
    expect(
      await code(
        createWorkspace({
          db: h.db,
          input: { name: "Other", slug: "acme-1", ownerEmail: "x@y.test", ownerPassword: "long-password" },
        }),
      ),
    ).toBe("CONFLICT");
    expect((await h.db.select({ n: count() }).from(workspaces))[0]!.n).toBe(before);
  });

  it("validates currency and time zone", async () => {
    const { ctxA } = await twoWorkspaces("tz");
    await expect(
      updateWorkspace({ db: h.db, ctx: ctxA, input: { name: "A", currency: "usd", timezone: "America/New_York" } }),
    ).resolves.toMatchObject({
      timezone: "America/New_York",
    });
  });
});

describe("tenant isolation: every query and write is scoped to its workspace", () => {
  it("lists only the workspace's own members, invitations, keys and audit rows", async () => {
    const { a, b, ctxA, ctxB } = await twoWorkspaces("iso");
    await inviteMember({ db: h.db, ctx: ctxA, input: { email: "only-a@x.test", role: "finance" } });
    await createApiKey({ db: h.db, ctx: ctxB, input: { name: "b-key", scopes: ["metrics:read"] } });
    expect((await listMembers(a.workspace.id, h.db)).map((m) => m.email).sort()).toEqual([
      "a-iso@x.test",
      "only-a@x.test",
    ]);
    expect((await listMembers(b.workspace.id, h.db)).map((m) => m.email)).toEqual(["b-iso@x.test"]);
    expect((await listOpenInvitations(a.workspace.id, h.db)).map((i) => i.email)).toEqual(["only-a@x.test"]);
    expect(await listOpenInvitations(b.workspace.id, h.db)).toEqual([]);
    expect(await listApiKeys(a.workspace.id, h.db)).toEqual([]);
    expect((await listApiKeys(b.workspace.id, h.db)).map((k) => k.name)).toEqual(["b-key"]);
    expect((await listAudit(a.workspace.id, h.db)).every((r) => r.workspaceId === a.workspace.id)).toBe(true);
    expect((await listAudit(b.workspace.id, h.db)).map((r) => r.action).sort()).toEqual([
      "apikey.create",
      "workspace.create",
    ]);
  });

  it("cross-workspace writes touch nothing: B's context can't revoke A's key, change or remove A's members", async () => {
    const { a, b, ctxA, ctxB } = await twoWorkspaces("xw");
    const key = await createApiKey({ db: h.db, ctx: ctxA, input: { scopes: ["ingest:write"] } });
    expect(await code(revokeApiKey({ db: h.db, ctx: ctxB, input: { id: key.id } }))).toBe("NOT_FOUND");
    expect((await listApiKeys(a.workspace.id, h.db))[0]!.revokedAt).toBeNull();
    expect(await code(changeRole({ db: h.db, ctx: ctxB, input: { userId: a.user.id, role: "viewer" } }))).toBe(
      "NOT_FOUND",
    );
    expect(await code(removeMember({ db: h.db, ctx: ctxB, input: { userId: a.user.id } }))).toBe("NOT_FOUND");
    expect(await listMembers(a.workspace.id, h.db)).toEqual([expect.objectContaining({ role: "owner" })]);
    expect(await findMembershipBySlug(b.workspace.slug, a.user.id, h.db)).toBeUndefined();
  });
});

describe("members and invitations", () => {
  it("an invitation gives a pending member who can't get in until the link is accepted once", async () => {
    const { a, ctxA } = await twoWorkspaces("inv");
    const { invitePath, membership } = await inviteMember({
      db: h.db,
      ctx: ctxA,
      input: { email: "cfo@inv.test", role: "finance" },
    });
    const secret = invitePath.split("/").pop()!;
    expect(await code(checkAccess(membership.userId, a.workspace.slug, "finance.read", h.db))).toBe("NOT_FOUND");
    expect(await findOpenInvitation(h.db, secret)).toMatchObject({
      email: "cfo@inv.test",
      role: "finance",
      needsPassword: true,
    });
    expect(await code(acceptInvitation({ db: h.db, input: { secret } }))).toBe("VALIDATION");
    const accepted = await acceptInvitation({ db: h.db, input: { secret, password: "new-password-1" } });
    expect(accepted).toMatchObject({ workspaceId: a.workspace.id, role: "finance", email: "cfo@inv.test" });
    await expect(checkAccess(accepted.userId, a.workspace.slug, "finance.read", h.db)).resolves.toMatchObject({
      role: "finance",
    });
    expect(await code(acceptInvitation({ db: h.db, input: { secret, password: "new-password-1" } }))).toBe("NOT_FOUND");
    expect(
      await checkCredentials(h.db, { email: "cfo@inv.test", password: "new-password-1" }, "10.0.0.1"),
    ).toMatchObject({ email: "cfo@inv.test" });
  });

  it("an existing account must be signed in as itself to accept", async () => {
    const { a, b, ctxB } = await twoWorkspaces("inv2");
    const { invitePath } = await inviteMember({
      db: h.db,
      ctx: ctxB,
      input: { email: "a-inv2@x.test", role: "viewer" },
    });
    const secret = invitePath.split("/").pop()!;
    expect(await code(acceptInvitation({ db: h.db, input: { secret, userId: b.user.id } }))).toBe("CONFLICT");
    // the failed attempt rolled back: the link still works for the right account
    await expect(acceptInvitation({ db: h.db, input: { secret, userId: a.user.id } })).resolves.toMatchObject({
      role: "viewer",
    });
  });

  it("keeps at least one owner, and only owners grant the owner role", async () => {
    const { a, ctxA } = await twoWorkspaces("own");
    expect(await code(changeRole({ db: h.db, ctx: ctxA, input: { userId: a.user.id, role: "admin" } }))).toBe(
      "CONFLICT",
    );
    expect(await code(removeMember({ db: h.db, ctx: ctxA, input: { userId: a.user.id } }))).toBe("CONFLICT");
    const admin = await addMember({
      db: h.db,
      ctx: ctxA,
      input: { email: "adm@own.test", role: "admin", password: "admin-pass-1" },
    });
    const adminCtx: Ctx = { workspace: a.workspace, actorUserId: admin.membership.userId, role: "admin" };
    expect(
      await code(
        addMember({
          db: h.db,
          ctx: adminCtx,
          input: { email: "o2@own.test", role: "owner", password: "owner-pass-1" },
        }),
      ),
    ).toBe("FORBIDDEN");
    expect(await code(changeRole({ db: h.db, ctx: adminCtx, input: { userId: a.user.id, role: "viewer" } }))).toBe(
      "FORBIDDEN",
    );
    const rows = await h.db.select().from(memberships).where(eq(memberships.workspaceId, a.workspace.id));
    expect(rows.map((r) => r.role).sort()).toEqual(["admin", "owner"]);
  });
});

describe("checkAccess per role", () => {
  it.each([
    ["owner", "members.manage", "ok"],
    ["admin", "connections.manage", "ok"],
    ["finance", "finance.read", "ok"],
    ["finance", "marketing.read", "FORBIDDEN"],
    ["marketing", "finance.read", "FORBIDDEN"],
    ["marketing", "marketing.read", "ok"],
    ["success", "success.read", "ok"],
    ["success", "settings.read", "FORBIDDEN"],
    ["viewer", "overview.read", "ok"],
    ["viewer", "settings.read", "FORBIDDEN"],
  ] as const)("%s → %s is %s", async (role, permission, expected) => {
    const { a, ctxA } = await twoWorkspaces(`acc-${role}-${permission.replace(".", "")}`);
    const m = await addMember({
      db: h.db,
      ctx: ctxA,
      input: { email: `${role}@acc-${permission}.test`, role, password: "member-pass-1" },
    });
    expect(await code(checkAccess(m.membership.userId, a.workspace.slug, permission, h.db))).toBe(expected);
  });

  it("a stranger gets NOT_FOUND for an existing workspace and an unknown one alike", async () => {
    const { a, b } = await twoWorkspaces("stranger");
    expect(await code(checkAccess(b.user.id, a.workspace.slug, "overview.read", h.db))).toBe("NOT_FOUND");
    expect(await code(checkAccess(b.user.id, "no-such-workspace", "overview.read", h.db))).toBe("NOT_FOUND");
    expect(await code(checkAccess(undefined, a.workspace.slug, "overview.read", h.db))).toBe("UNAUTHENTICATED");
  });
});

describe("login rate limits", () => {
  it("allows 10 attempts per account per window and refuses the 11th, whatever the password", async () => {
    const { a } = await twoWorkspaces("rl");
    for (let i = 0; i < 10; i++)
      expect(await checkCredentials(h.db, { email: a.user.email, password: "wrong" }, `ip-${i}`)).toBeNull();
    expect(await code(checkCredentials(h.db, { email: a.user.email, password: "password-a1" }, "ip-x"))).toBe(
      "RATE_LIMITED",
    );
  });
  it("counts per key in a fixed window: 3 allowed, the 4th refused, another key unaffected", async () => {
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await hitRateLimit(h.db, "test:k1", 3, 60));
    expect(results).toEqual([true, true, true, false]);
    expect(await hitRateLimit(h.db, "test:k2", 3, 60)).toBe(true);
  });
});
