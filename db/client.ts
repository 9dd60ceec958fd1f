import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import postgres from "postgres";
import { preparingClient } from "./prepared";
import * as schema from "./schema";
import { acquireDataDirLock, releaseDataDirLock, type LockRole } from "./lock";

export type Schema = typeof schema;
/** One type for both drivers: PGlite and postgres.js databases are both `PgDatabase`. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
/** A database or an open transaction. Query functions take one explicitly: never a default. */
export type Executor = Db | Tx;

export type DbHandle = {
  db: Db;
  driver: "pglite" | "postgres";
  /** The raw PGlite instance (embedded only), for pg-boss and snapshots. */
  pglite?: PGlite;
  /** The raw postgres.js client (Postgres only). */
  sql?: postgres.Sql;
  close: () => Promise<void>;
};

// Resolved from the working directory: `next start`, the CLI and the tests all run from the project root, and
// bundled server code has no reliable module path.
export const migrationsFolder = path.resolve(process.cwd(), "db/migrations");

export type OpenDbOptions =
  | { kind: "postgres"; url: string; max?: number }
  | { kind: "pglite"; dataDir: string; role: LockRole; url?: string }
  | { kind: "pglite-memory"; loadDataDir?: Blob };

/** Opens a database. Embedded data dirs are locked first: two processes on one PGlite dir corrupt it (stack.md). */
export async function openDb(opts: OpenDbOptions): Promise<DbHandle> {
  if (opts.kind === "postgres") {
    // JIT compilation pays off for long analytical scans, not for the app's short indexed queries, where it adds
    // 10–20 ms to a plan whose row estimates look large: off for this app's sessions only.
    const client = postgres(opts.url, {
      onnotice: () => {},
      max: opts.max ?? 10,
      prepare: true,
      connection: { jit: "off" },
    });
    const db = drizzlePostgres(preparingClient(client), { schema, casing: "snake_case" }) as unknown as Db;
    return { db, driver: "postgres", sql: client, close: () => client.end({ timeout: 5 }) };
  }
  if (opts.kind === "pglite-memory") {
    const pglite = await PGlite.create(opts.loadDataDir ? { loadDataDir: opts.loadDataDir } : {});
    const db = drizzlePglite(pglite, { schema, casing: "snake_case" }) as unknown as Db;
    return { db, driver: "pglite", pglite, close: () => pglite.close() };
  }
  const dataDir = path.resolve(opts.dataDir);
  fs.mkdirSync(dataDir, { recursive: true });
  const lockPath = acquireDataDirLock(dataDir, { role: opts.role, url: opts.url });
  try {
    const pglite = await PGlite.create(path.join(dataDir, "pglite"));
    const db = drizzlePglite(pglite, { schema, casing: "snake_case" }) as unknown as Db;
    return {
      db,
      driver: "pglite",
      pglite,
      close: async () => {
        await pglite.close();
        releaseDataDirLock(lockPath);
      },
    };
  } catch (err) {
    releaseDataDirLock(lockPath);
    throw err;
  }
}

/** Applies pending drizzle-kit migrations from db/migrations (both drivers share `drizzle.__drizzle_migrations`). */
export async function migrateDb(handle: DbHandle): Promise<void> {
  if (handle.driver === "postgres") {
    await migratePostgres(handle.db as never, { migrationsFolder });
  } else {
    await migratePglite(handle.db as never, { migrationsFolder });
  }
}

/** Rows of a raw `db.execute()`: postgres.js returns an array, PGlite `{ rows }`. */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

type Global = { __northstarDb?: Promise<DbHandle> };
const globalStore = globalThis as Global;

/**
 * The process's database, opened once (Next evaluates modules in more than one layer, so the handle lives on
 * globalThis). `DATABASE_URL` → Postgres; unset → embedded PGlite under `DATA_DIR`.
 */
export function getDbHandle(): Promise<DbHandle> {
  if (!globalStore.__northstarDb) throw new Error("database not opened: call bootDb() first");
  return globalStore.__northstarDb;
}

export function setDbHandle(handle: Promise<DbHandle>): void {
  globalStore.__northstarDb = handle;
}

export function hasDbHandle(): boolean {
  return globalStore.__northstarDb !== undefined;
}

export async function getDb(): Promise<Db> {
  return (await getDbHandle()).db;
}
