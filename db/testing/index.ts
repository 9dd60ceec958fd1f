import fs from "node:fs";
import postgres from "postgres";
import { afterAll, beforeAll, inject } from "vitest";
import { openDb, setDbHandle, type DbHandle } from "../client";
import { withDatabase } from "./global-setup";

let counter = 0;

/**
 * A fresh, migrated database for one test file: PGlite loaded from the run's snapshot, or, when
 * TEST_DATABASE_URL is set, a Postgres database cloned from the run's template. Call `close()` in afterAll.
 */
export async function createTestDb(): Promise<DbHandle & { label: string; url?: string }> {
  const { snapshot, postgresUrl, template } = inject("testDb");
  if (postgresUrl && template) {
    const name = `northstar_t_${template.split("_").pop()}_${process.pid}_${++counter}_${Date.now() % 100000}`;
    const admin = postgres(postgresUrl, { onnotice: () => {}, max: 1 });
    try {
      await admin.unsafe(`create database ${name} template ${template}`);
    } finally {
      await admin.end();
    }
    const url = withDatabase(postgresUrl, name);
    const handle = await openDb({ kind: "postgres", url, max: 4 });
    return {
      ...handle,
      label: "postgres",
      url,
      close: async () => {
        await handle.close();
        const a = postgres(postgresUrl, { onnotice: () => {}, max: 1 });
        try {
          await a.unsafe(`drop database if exists ${name} with (force)`);
        } finally {
          await a.end();
        }
      },
    };
  }
  const data = fs.readFileSync(snapshot);
  const handle = await openDb({ kind: "pglite-memory", loadDataDir: new Blob([data]) });
  return { ...handle, label: "pglite" };
}

/**
 * A fresh database for the whole test file, opened before its tests (`createTestDb`), installed as the app's
 * handle so that code calling `getDb()` uses it, and closed after them. `onOpen` receives it.
 */
export function withAppTestDb(onOpen: (h: DbHandle) => void) {
  let h: DbHandle | undefined;
  beforeAll(async () => {
    h = await createTestDb();
    setDbHandle(Promise.resolve(h));
    onOpen(h);
  });
  afterAll(async () => h?.close());
}
