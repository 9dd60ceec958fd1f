import fs from "node:fs";
import path from "node:path";

export type LockRole = "server" | "cli" | "migrate" | "demo";
export type LockInfo = { pid: number; role: LockRole; url?: string; at: string };

/** Another live process holds the embedded data directory. */
export class DataDirBusyError extends Error {
  constructor(readonly holder: LockInfo) {
    super(`the embedded database is in use by ${holder.role} (pid ${holder.pid})`);
    this.name = "DataDirBusyError";
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

export function readDataDirLock(dataDir: string): LockInfo | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(dataDir, "pglite.lock"), "utf8")) as LockInfo;
  } catch {
    return undefined;
  }
}

const held = new Set<string>();
let exitHookInstalled = false;

/**
 * Takes `<dataDir>/pglite.lock` with O_EXCL before PGlite opens the directory. A lock whose pid is dead (kill -9)
 * is taken over. The lock is advisory and meant for a local disk.
 */
export function acquireDataDirLock(dataDir: string, info: { role: LockRole; url?: string }): string {
  const lockPath = path.join(dataDir, "pglite.lock");
  const body: LockInfo = { pid: process.pid, role: info.role, url: info.url, at: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = fs.openSync(lockPath, "wx", 0o600);
      fs.writeSync(fd, JSON.stringify(body));
      fs.closeSync(fd);
      held.add(lockPath);
      if (!exitHookInstalled) {
        exitHookInstalled = true;
        process.on("exit", () => held.forEach((p) => releaseDataDirLock(p)));
      }
      return lockPath;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const holder = readDataDirLock(dataDir);
      if (holder && holder.pid !== process.pid && isAlive(holder.pid)) throw new DataDirBusyError(holder);
      fs.rmSync(lockPath, { force: true }); // stale: its process is gone
    }
  }
  throw new Error(`could not take ${lockPath}`);
}

export function releaseDataDirLock(lockPath: string): void {
  if (!held.has(lockPath)) return;
  held.delete(lockPath);
  try {
    const holder = JSON.parse(fs.readFileSync(lockPath, "utf8")) as LockInfo;
    if (holder.pid === process.pid) fs.rmSync(lockPath, { force: true });
  } catch {
    // already gone
  }
}
