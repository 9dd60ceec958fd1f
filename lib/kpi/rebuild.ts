import type { Db } from "@/db/client";
import { AppError } from "@/lib/errors";
import { rebuildLedger } from "./ledger";
import { loadLedgerContext } from "./settings";

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
    const context = await loadLedgerContext(workspaceId, tx);
    if (!context) throw new AppError("NOT_FOUND", "No such workspace.");
    return rebuildLedger({ tx, ...context, onProgress });
  });
}
