// The operator CLI: `npm run --silent admin -- <command> [--flag value …]`. Success: one JSON object on stdout,
// exit 0. Failure: one `error:` line on stderr, exit 1 for bad input, 2 for anything else (interfaces.md).
import path from "node:path";
import { bootDb } from "@/db/boot";
import { readAdminToken } from "@/lib/server/boot";
import { DataDirBusyError } from "@/db/lock";
import { prepareCommand, runAdminCommand } from "@/lib/admin/run";
import { parseArgv } from "@/lib/admin/registry";
import { EnvError, getEnv } from "@/lib/env";
import { AppError, errorExitCode, type ErrorCode } from "@/lib/errors";

function fail(message: string, code: 1 | 2): never {
  process.stderr.write(`error: ${message.replace(/\n/g, " ")}\n`);
  process.exit(code);
}

const progress = (line: string) => process.stderr.write(`${line}\n`);

/** With the embedded database held by a running server, the command runs inside that server. */
async function runViaServer(busy: DataDirBusyError, command: string, flags: Record<string, string>): Promise<unknown> {
  const env = getEnv();
  const token = readAdminToken(env.DATA_DIR);
  if (!busy.holder.url || !token || busy.holder.role !== "server")
    fail(`${busy.message}; stop it and run the command again`, 2);
  progress(`via server pid ${busy.holder.pid}`);
  const res = await fetch(`${busy.holder.url}/api/admin/run`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ command, flags }),
  }).catch(() => fail(`${busy.message}, and it does not answer at ${busy.holder.url}`, 2));
  if (!res.body) fail(`the server answered ${res.status} without a body`, 2);
  let result: unknown;
  let error: { code: ErrorCode; message: string } | undefined;
  const decoder = new TextDecoder();
  let buffer = "";
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let nl: number;
    while ((nl = buffer.indexOf("\n")) >= 0) {
      const line = JSON.parse(buffer.slice(0, nl)) as { progress?: string; result?: unknown; error?: typeof error };
      buffer = buffer.slice(nl + 1);
      if (line.progress) progress(line.progress);
      if ("result" in line) result = line.result;
      if (line.error) error = line.error;
    }
  }
  if (error) throw new AppError(error.code, error.message);
  return result;
}

async function main() {
  const { command, flags } = parseArgv(process.argv.slice(2));
  // A server running the command reads files itself: give it a path that does not depend on its directory.
  if (flags.file) flags.file = path.resolve(process.env.INIT_CWD ?? process.cwd(), flags.file);
  prepareCommand(command, flags); // bad input fails before the database is touched
  const env = getEnv();
  let result: unknown;
  try {
    const handle = await bootDb("cli");
    try {
      result = await runAdminCommand({ handle, command, flags, progress, appUrl: env.APP_URL });
    } finally {
      await handle.close();
    }
  } catch (err) {
    if (!(err instanceof DataDirBusyError)) throw err;
    result = await runViaServer(err, command!, flags);
  }
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
}

main().catch((err: unknown) => {
  if (err instanceof AppError) fail(err.message, errorExitCode[err.code]);
  if (err instanceof EnvError) fail(err.message, 2);
  fail(err instanceof Error ? err.message : String(err), 2);
});
