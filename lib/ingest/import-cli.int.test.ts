import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openDb, type DbHandle } from "@/db/client";
import { countIngestEvents } from "@/db/queries/ingest-events";
import { findWorkspaceBySlug } from "@/db/queries/resolve";
import { createTestDb } from "@/db/testing";

// The CLI runs as its own process, as an operator runs it: against the test's Postgres database when there is
// one, else against an embedded data directory of its own (which this file opens only after the CLI has exited).
// The PGlite run needs no test database of its own: the CLI's data directory is the database.
let h: (DbHandle & { url?: string }) | undefined;
let dir: string;
beforeAll(async () => {
  if (inject("testDb").postgresUrl) h = await createTestDb();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "northstar-import-"));
});
afterAll(async () => {
  await h?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

type Run = { code: number; stdout: string; stderr: string };

function admin(...args: string[]): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "test", INIT_CWD: dir };
  delete env.DATABASE_URL;
  if (h?.url) env.DATABASE_URL = h.url;
  else env.DATA_DIR = path.join(dir, "data");
  return new Promise((resolve) => {
    execFile("node_modules/.bin/tsx", ["scripts/admin.ts", ...args], { env }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 2) : 0, stdout, stderr });
    });
  });
}

/** Counts the workspace's events once no CLI process holds the database. */
async function countEvents(slug: string): Promise<number> {
  const db = h ?? (await openDb({ kind: "pglite", dataDir: path.join(dir, "data"), role: "cli" }));
  try {
    const ws = await findWorkspaceBySlug(slug, db.db);
    return ws ? await countIngestEvents(ws.id, db.db) : -1;
  } finally {
    if (db !== h) await db.close();
  }
}

const write = (name: string, lines: string[]) => fs.writeFileSync(path.join(dir, name), `${lines.join("\n")}\n`);

describe("npm run admin -- import", () => {
  const slug = `imp-${process.pid}`;
  beforeAll(async () => {
    const created = await admin(
      "create-workspace",
      ...["--name", "Import", "--slug", slug, "--owner-email", `${slug}@x.test`, "--owner-password", "long-password1"],
    );
    expect(created.code, created.stderr).toBe(0);
  });

  it('imports a good file (3 rows → {"imported":3}) and, run again, stores nothing new', async () => {
    write("leads.csv", [
      "Occurred At,contact_id,SOURCE,email",
      "2026-06-01T09:00:00Z,c1,Google Ads,ada@example.com",
      "2026-06-02T09:00:00Z,c2,linkedin,",
      '2026-06-03T09:00:00Z,c3,"organic",',
    ]);
    const first = await admin("import", "--workspace", slug, "--type", "lead", "--file", "leads.csv");
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toEqual({ imported: 3, duplicates: 0 });
    const again = await admin("import", "--workspace", slug, "--type", "lead", "--file", path.join(dir, "leads.csv"));
    expect(JSON.parse(again.stdout)).toEqual({ imported: 0, duplicates: 3 });
    expect(await countEvents(slug)).toBe(3);
  });

  it("refuses a file with bad rows (exit 1, an error: line naming row 2 and score, empty stdout, nothing written)", async () => {
    write("nps.csv", [
      "id,occurredAt,respondentId,score",
      "n1,2026-06-01T09:00:00Z,r1,9",
      "n2,2026-06-01T09:00:00Z,r2,11",
      "n3,2026-06-01T09:00:00Z,,7",
    ]);
    const run = await admin("import", "--workspace", slug, "--type", "nps_response", "--file", "nps.csv");
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr.trim().split("\n").at(-1)).toBe(
      "error: row 2: score: Too big: expected number to be <=10; 2 rows have errors, nothing imported",
    );
    expect(await countEvents(slug)).toBe(3);
  });

  it("refuses an unknown type, a missing file and an unknown workspace with exit 1", async () => {
    const type = await admin("import", "--workspace", slug, "--type", "pageview", "--file", "leads.csv");
    expect(type).toMatchObject({ code: 1, stdout: "" });
    expect(type.stderr).toMatch(/^error: --type must be one of visit, signup, lead/m);
    const file = await admin("import", "--workspace", slug, "--type", "lead", "--file", "nope.csv");
    expect(file).toMatchObject({ code: 1, stdout: "" });
    expect(file.stderr).toMatch(/^error: --file .*nope\.csv: no such file$/m);
    const ws = await admin("import", "--workspace", "no-such-ws", "--type", "lead", "--file", "leads.csv");
    expect(ws).toMatchObject({ code: 1, stdout: "" });
    expect(await countEvents(slug)).toBe(3);
  });
});
