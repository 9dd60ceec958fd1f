import { bootDb } from "@/db/boot";
import { generateCommand } from "@/lib/admin/generate-command";
import { loadFxRates } from "@/lib/kpi/settings";
import { parseFlags } from "@/lib/admin/registry";
import { findWorkspaceBySlug } from "@/db/queries/resolve";
import { roles, type Role } from "@/lib/auth/permissions";
import { systemCtx } from "@/lib/workspaces/context";
import { addMember } from "@/lib/workspaces/members";
import { createWorkspace } from "@/lib/workspaces/workspaces";

export const DEMO_SLUG = "acme";
/** A few hundred customers: a living two-year history that loads in about a minute or two on this hardware. */
export const DEMO_CUSTOMERS = Number(process.env.DEMO_CUSTOMERS ?? 250);
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
    // The demo bills some customers in euros: give the rates table a rate per month, so no amount is left out.
    await loadFxRates({ db: handle.db, ctx: systemCtx(workspace), input: { rows: demoEurRates() } });
    // Two years of a simulated business, through the real Stripe and ingest paths.
    const flags = parseFlags(generateCommand.flags, {
      workspace: DEMO_SLUG,
      customers: String(DEMO_CUSTOMERS),
      months: "24",
      seed: "acme",
    });
    await generateCommand.run({ handle, flags, progress: log, appUrl: process.env.APP_URL ?? "http://localhost:3000" });
  } finally {
    await handle.close();
  }
}

/** Monthly EUR→USD rates from three years back, drifting between 1.05 and 1.15 (deterministic). */
function demoEurRates(): { currency: string; rateDate: string; rate: string }[] {
  const now = new Date();
  const rows = [];
  for (let i = 36; i >= 0; i--) {
    const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - i, 1));
    const rate = 1.1 + 0.05 * Math.sin(i / 3);
    rows.push({ currency: "eur", rateDate: d.toISOString().slice(0, 10), rate: rate.toFixed(4) });
  }
  return rows;
}
