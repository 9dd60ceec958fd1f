import type { Db } from "@/db/client";
import { workspaces } from "@/db/schema";
import { eq } from "drizzle-orm";
import { AppError } from "@/lib/errors";
import { rebuildLedger } from "./ledger";
import { getMetricConfig } from "./settings";

/**
 * Recomputes a workspace's whole MRR ledger from its subscription history in one transaction, after work that
 * changed many customers at once (a projection rebuild, a backfill).
 */
export async function rebuildWorkspaceLedger(
  db: Db,
  workspaceId: string,
  onProgress?: (done: number, total: number) => void,
) {
  return db.transaction(async (tx) => {
    const [workspace] = await tx.select().from(workspaces).where(eq(workspaces.id, workspaceId));
    if (!workspace) throw new AppError("NOT_FOUND", "No such workspace.");
    return rebuildLedger({ tx, workspace, config: await getMetricConfig(workspaceId, tx), onProgress });
  });
}
