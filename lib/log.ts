// Structured one-line logs on stderr (stdout belongs to the CLI). Fields are ids and numbers: never secrets,
// tokens, passwords, payloads or emails.
type Level = "debug" | "info" | "warn" | "error";
type Fields = Record<string, unknown>;

function serializeError(err: unknown): unknown {
  if (err instanceof Error)
    return { name: err.name, message: err.message, stack: err.stack, code: (err as { code?: unknown }).code };
  return String(err);
}

function write(level: Level, msg: string, fields: Fields = {}) {
  if (level === "debug" && !process.env.NORTHSTAR_DEBUG) return;
  const out: Fields = { at: new Date().toISOString(), level, msg };
  for (const [k, v] of Object.entries(fields)) out[k] = k === "err" ? serializeError(v) : v;
  process.stderr.write(`${JSON.stringify(out)}\n`);
}

export const log = {
  debug: (msg: string, fields?: Fields) => write("debug", msg, fields),
  info: (msg: string, fields?: Fields) => write("info", msg, fields),
  warn: (msg: string, fields?: Fields) => write("warn", msg, fields),
  error: (msg: string, fields?: Fields) => write("error", msg, fields),
};
