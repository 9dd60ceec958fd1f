import { bootDb } from "@/db/boot";
import { findWorkspaceBySlug } from "@/db/queries/resolve";
import { roles, type Role } from "@/lib/auth/permissions";
import { systemCtx } from "@/lib/workspaces/context";
import { addMember } from "@/lib/workspaces/members";
import { createWorkspace } from "@/lib/workspaces/workspaces";

export const DEMO_SLUG = "acme";
export const DEMO_PASSWORD = "northstar-demo";
export const DEMO_LOGINS: { role: Role; email: string; password: string }[] = roles.map((role) => ({
  role,
  email: `${role}@acme.test`,
  password: DEMO_PASSWORD,
}));

/**
 * Creates the demo workspace “Acme Analytics” with one login per role, unless it exists. Runs while the server
 * is stopped: it takes the embedded database's lock and releases it when done.
 */
export async function ensureDemoWorkspace({ log }: { log: (line: string) => void }) {
  const handle = await bootDb("demo");
  try {
    if (await findWorkspaceBySlug(DEMO_SLUG, handle.db)) {
      log("reusing the demo workspace in the data directory");
      return;
    }
    log("creating the demo workspace “Acme Analytics”…");
    const owner = DEMO_LOGINS[0]!;
    const { workspace } = await createWorkspace({
      db: handle.db,
      input: {
        name: "Acme Analytics",
        slug: DEMO_SLUG,
        currency: "usd",
        timezone: "UTC",
        ownerEmail: owner.email,
        ownerPassword: owner.password,
      },
    });
    for (const login of DEMO_LOGINS.slice(1)) {
      await addMember({
        db: handle.db,
        ctx: systemCtx(workspace),
        input: { email: login.email, role: login.role, password: login.password },
      });
    }
  } finally {
    await handle.close();
  }
}
