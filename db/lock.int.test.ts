import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawn } from "node:child_process";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb, rowsOf } from "./client";
import { DataDirBusyError, readDataDirLock } from "./lock";

// Two processes on one PGlite directory corrupt it (stack.md), so the directory is locked: a second opener is
// refused while the first lives, a dead holder's lock is taken over, and the lock goes away on close.
let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "northstar-lock-"));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("embedded data directory lock", { timeout: 120_000 }, () => {
  it("refuses a second opener from another process while the first holds the directory, and loses no row", async () => {
    const dataDir = path.join(dir, "a");
    const first = await openDb({ kind: "pglite", dataDir, role: "server", url: "http://127.0.0.1:3999" });
    await first.db.execute(sql`create table t (n int)`);
    await first.db.execute(sql`insert into t values (1), (2)`);
    const child = spawn(
      "node_modules/.bin/tsx",
      [
        "-e",
        `import("./db/client.ts").then(m => m.openDb({ kind: "pglite", dataDir: ${JSON.stringify(dataDir)}, role: "cli" })).then(() => process.exit(0), (e) => { console.error(e.name + ":" + e.holder?.role + ":" + e.holder?.pid); process.exit(3); })`,
      ],
      { stdio: ["ignore", "ignore", "pipe"] },
    );
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    const code = await new Promise((resolve) => child.on("exit", resolve));
    expect(code).toBe(3);
    expect(stderr).toContain(`DataDirBusyError:server:${process.pid}`);
    expect(readDataDirLock(dataDir)).toMatchObject({ pid: process.pid, role: "server", url: "http://127.0.0.1:3999" });
    await first.close();
    expect(readDataDirLock(dataDir)).toBeUndefined();
    const again = await openDb({ kind: "pglite", dataDir, role: "cli" });
    expect(rowsOf<{ n: number }>(await again.db.execute(sql`select n from t order by n`)).map((r) => r.n)).toEqual([
      1, 2,
    ]);
    await again.close();
  });

  it("takes over the lock of a process that died without cleaning up (kill -9)", async () => {
    const dataDir = path.join(dir, "b");
    fs.mkdirSync(dataDir, { recursive: true });
    const dead = spawn(process.execPath, ["-e", "0"]);
    const deadPid = await new Promise<number>((resolve) => dead.on("exit", () => resolve(dead.pid!)));
    fs.writeFileSync(
      path.join(dataDir, "pglite.lock"),
      JSON.stringify({ pid: deadPid, role: "server", at: new Date().toISOString() }),
    );
    const handle = await openDb({ kind: "pglite", dataDir, role: "cli" });
    expect(readDataDirLock(dataDir)).toMatchObject({ pid: process.pid, role: "cli" });
    await handle.close();
  });

  it("refuses within one process too when another role holds it", async () => {
    const dataDir = path.join(dir, "c");
    const first = await openDb({ kind: "pglite", dataDir, role: "server" });
    fs.writeFileSync(path.join(dataDir, "pglite.lock"), JSON.stringify({ pid: process.ppid, role: "server", at: "x" }));
    await expect(openDb({ kind: "pglite", dataDir, role: "cli" })).rejects.toBeInstanceOf(DataDirBusyError);
    await first.close();
  });
});
