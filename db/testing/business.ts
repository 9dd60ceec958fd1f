import { generateBusiness, type GenerateOptions } from "@/lib/demo/generate";
import { loadGeneratedBusiness } from "@/lib/demo/generate/load";
import { TEST_ENCRYPTION_KEY } from "@/lib/stripe/testing";
import type { Workspace } from "@/lib/workspaces/context";
import type { DbHandle } from "../client";
import { createTestDb } from "./index";
import { createTestWorkspace } from "./factories";

/**
 * A fresh test database holding one workspace with a generated business (lib/demo/generate: trials, upgrades,
 * seats, discounts, failed payments, churn, reactivations, two currencies), loaded through the webhook path so the
 * ledger and its rollups are what production writes. Call `h.close()` in afterAll.
 */
export async function createGeneratedBusinessDb(
  options: Pick<GenerateOptions, "seed" | "customers" | "months" | "endDate">,
): Promise<{ h: DbHandle; workspace: Workspace }> {
  process.env.ENCRYPTION_KEY ??= TEST_ENCRYPTION_KEY;
  const h = await createTestDb();
  const workspace = await createTestWorkspace(h.db);
  await loadGeneratedBusiness({
    db: h.db,
    workspaceId: workspace.id,
    connection: { id: `con_${workspace.id.slice(3)}`, workspaceId: workspace.id },
    business: generateBusiness(options),
  });
  return { h, workspace };
}
