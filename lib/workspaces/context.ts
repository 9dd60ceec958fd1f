import type { Role } from "@/lib/auth/permissions";

export type Workspace = { id: string; name: string; slug: string; currency: string; timezone: string };

/** Who acts on which workspace: every write verb takes it, and takes the workspace id from it, never from input. */
export type Ctx = {
  workspace: Workspace;
  /** null when the admin CLI or the system acts. */
  actorUserId: string | null;
  role: Role | "system";
};

export function systemCtx(workspace: Workspace): Ctx {
  return { workspace, actorUserId: null, role: "system" };
}
