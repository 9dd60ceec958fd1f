import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import postgres from "postgres";
import { migrateDb, openDb } from "../client";

// Migrate once per run: a PGlite snapshot that every integration file loads (about 1 s instead of initdb's
// 2–4 s), and, when TEST_DATABASE_URL is set, a Postgres template database that each file clones.
export default async function setup(project: TestProject) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "northstar-test-"));
  const url = process.env.TEST_DATABASE_URL;
  let template: string | undefined;
  if (url) {
    template = `northstar_tpl_${process.pid}`;
    const admin = postgres(url, { onnotice: () => {}, max: 1 });
    try {
      await admin.unsafe(`drop database if exists ${template}`);
      await admin.unsafe(`create database ${template}`);
    } finally {
      await admin.end();
    }
    const tplUrl = withDatabase(url, template);
    const handle = await openDb({ kind: "postgres", url: tplUrl, max: 1 });
    await migrateDb(handle);
    await handle.close();
  } else {
    const handle = await openDb({ kind: "pglite-memory" });
    await migrateDb(handle);
    const blob = await handle.pglite!.dumpDataDir("none");
    fs.writeFileSync(path.join(dir, "snapshot.tar"), Buffer.from(await blob.arrayBuffer()));
    await handle.close();
  }
  project.provide("testDb", {
    snapshot: path.join(dir, "snapshot.tar"),
    postgresUrl: url ?? null,
    template: template ?? null,
  });

  return async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    if (url && template) {
      const admin = postgres(url, { onnotice: () => {}, max: 1 });
      try {
        const leftovers =
          await admin`select datname from pg_database where datname like ${`northstar_t_${process.pid}_%`} or datname = ${template}`;
        for (const row of leftovers) await admin.unsafe(`drop database if exists ${row.datname} with (force)`);
      } finally {
        await admin.end();
      }
    }
  };
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

declare module "vitest" {
  export interface ProvidedContext {
    testDb: { snapshot: string; postgresUrl: string | null; template: string | null };
  }
}
