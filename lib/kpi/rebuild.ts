import type { Db, Tx } from "@/db/client";
import { AppError } from "@/lib/errors";
import { rebuildLedger } from "./ledger";
import { loadLedgerContext } from "./settings";

type LedgerProgress = (done: number, total: number) => void;

/**
 * Recomputes a workspace's whole MRR ledger from its subscription history in one transaction, after work that
 * changed many customers at once (a backfill).
 */
export async function rebuildWorkspaceLedger(db: Db, workspaceId: string, onProgress?: LedgerProgress) {
  return db.transaction((tx) => rebuildWorkspaceLedgerIn(tx, workspaceId, onProgress));
}

/** The same inside a transaction the caller holds (a projection rebuild commits both together). */
export async function rebuildWorkspaceLedgerIn(tx: Tx, workspaceId: string, onProgress?: LedgerProgress) {
  const context = await loadLedgerContext(workspaceId, tx);
  if (!context) throw new AppError("NOT_FOUND", "No such workspace.");
  return rebuildLedger({ tx, ...context, onProgress });
}
