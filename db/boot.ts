import { sql } from "drizzle-orm";
import { getEnv } from "@/lib/env";
import { getDbHandle, hasDbHandle, migrateDb, openDb, setDbHandle, type DbHandle } from "./client";
import type { LockRole } from "./lock";

/**
 * Opens the configured database for this process, applies pending migrations and keeps the handle.
 * On Postgres several servers may start at once, so migrations run under an advisory lock.
 */
export function bootDb(role: LockRole): Promise<DbHandle> {
  if (hasDbHandle()) return getDbHandle();
  const env = getEnv();
  const ready = (async () => {
    const handle = env.DATABASE_URL
      ? await openDb({ kind: "postgres", url: env.DATABASE_URL })
      : await openDb({ kind: "pglite", dataDir: env.DATA_DIR, role, url: `http://127.0.0.1:${env.PORT}` });
    if (handle.driver === "postgres") {
      await handle.sql!.begin(async (tx) => {
        await tx`select pg_advisory_xact_lock(7428001)`;
        await migrateDb({ ...handle, db: handle.db });
      });
    } else {
      await migrateDb(handle);
    }
    await handle.db.execute(sql`select 1`);
    return handle;
  })();
  setDbHandle(ready);
  ready.catch(() => undefined);
  return ready;
}
