// Test helpers for races between transactions on separate connections (Postgres only: PGlite serves one
// connection): a gate to hold a transaction open at a chosen point, a ledger hook paused before it reads anything,
// and a look at pg_stat_activity for the backend that waits.
import { sql } from "drizzle-orm";
import { rowsOf, type Db } from "@/db/client";
import { refreshLedgerOnApplied } from "@/lib/kpi/stripe-hook";
import { aroundHook } from "../ingest";

export function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

/** The ledger hook, paused before it reads anything: the point where an event or a page holds its transaction. */
export function pausedHook() {
  const reached = gate();
  const release = gate();
  const hook = aroundHook(refreshLedgerOnApplied, async (...args) => {
    reached.open();
    await release.opened;
    await refreshLedgerOnApplied(...args);
  });
  return { hook, reached: reached.opened, release: release.open };
}

/** What a backend of the database waits for: `wait_event` (advisory, relation, transactionid…), and its statement. */
export type Waiter = {
  /** The first three words of the statement that waits. */
  statement: string;
  /** Whether its transaction has written anything (Postgres gives a transaction an id at its first write). */
  wrote: boolean;
};

/**
 * Resolves once a backend of this database waits for a heavyweight lock of the kind `waitEvent` (`advisory` by
 * default); rejects if `other` settles first, or after about 5 s.
 */
export async function waitsForLock(
  db: Db,
  other: Promise<unknown>,
  what: string,
  waitEvent = "advisory",
): Promise<Waiter> {
  let settled = false;
  other.then(
    () => (settled = true),
    () => (settled = true),
  );
  for (let i = 0; i < 500; i++) {
    if (settled) throw new Error(`${what} went through instead of waiting`);
    const [row] = rowsOf<{ query: string; wrote: boolean }>(
      await db.execute(sql`select query, backend_xid is not null as wrote from pg_stat_activity
        where datname = current_database() and wait_event_type = 'Lock' and wait_event = ${waitEvent}`),
    );
    if (row) return { statement: row.query.trimStart().split(/\s+/).slice(0, 3).join(" "), wrote: row.wrote };
    await new Promise((r) => setTimeout(r, 10));
  }
  // Waiting for something else (a row lock, say): the caller's gate opens, and the test fails here.
  throw new Error(`${what} neither waited for the ${waitEvent} lock nor finished`);
}
