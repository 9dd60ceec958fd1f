import type { Db, Tx } from "@/db/client";
import { lockConfigExclusive } from "@/db/queries/config-lock";
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
  // Exclusive (ADR 0016): no event writes ledger rows of its own while the whole ledger is recomputed.
  await lockConfigExclusive(tx, workspaceId);
  const context = await loadLedgerContext(workspaceId, tx);
  if (!context) throw new AppError("NOT_FOUND", "No such workspace.");
  return rebuildLedger({ tx, ...context, onProgress });
}
