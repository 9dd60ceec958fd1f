import fs from "node:fs";
import path from "node:path";
import { EnvError, getEnv } from "@/lib/env";
import { newSecret } from "@/lib/ids";
import { log } from "@/lib/log";
import { bootDb } from "@/db/boot";
import { DataDirBusyError } from "@/db/lock";

/**
 * Boots the server process. A bad environment or a data directory held by another process stops it with one
 * `error:` line: Next would otherwise keep serving 500s after a failed instrumentation hook.
 */
export async function bootServer(): Promise<void> {
  try {
    const env = getEnv();
    const handle = await bootDb("server");
    if (handle.driver === "pglite") writeAdminToken(env.DATA_DIR);
    const { startServerServices } = await import("./services");
    await startServerServices(handle);
    log.info("server.ready", { driver: handle.driver });
  } catch (err) {
    if (err instanceof EnvError) process.stderr.write(`error: ${err.message}\n`);
    else if (err instanceof DataDirBusyError)
      process.stderr.write(`error: ${err.message}; stop it first, or set DATABASE_URL to share a Postgres\n`);
    else process.stderr.write(`error: could not start: ${(err as Error).message}\n`);
    process.exit(1);
  }
}

/**
 * With the embedded database only this process may open the data directory, so the admin CLI goes through this
 * server. It authenticates with a token written here (0600), new at every start.
 */
function writeAdminToken(dataDir: string) {
  const file = path.join(dataDir, "admin.token");
  fs.writeFileSync(file, newSecret(), { mode: 0o600 });
  fs.chmodSync(file, 0o600);
}

export function readAdminToken(dataDir: string): string | undefined {
  try {
    return fs.readFileSync(path.join(dataDir, "admin.token"), "utf8").trim();
  } catch {
    return undefined;
  }
}
