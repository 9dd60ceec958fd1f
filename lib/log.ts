// Structured one-line logs on stderr (stdout belongs to the CLI). Fields are ids and numbers: never secrets,
// tokens, passwords, payloads or emails.
type Level = "debug" | "info" | "warn" | "error";
type Fields = Record<string, unknown>;

function serializeError(err: unknown): unknown {
  if (!(err instanceof Error)) return String(err);
  // drizzle wraps database errors in "Failed query: <sql> params: <values>": the values may be payloads or
  // emails, so log the database's own error and the query's first line instead.
  if (err.message.startsWith("Failed query:") && err.cause instanceof Error) {
    const cause = err.cause as Error & { code?: unknown };
    const query = err.message.slice(14, 14 + 120).split("\n")[0];
    const stack = err.stack
      ?.split("\n")
      .filter((l) => l.trimStart().startsWith("at "))
      .slice(0, 5)
      .join("\n");
    return { name: cause.name, message: cause.message, code: cause.code, query, stack };
  }
  return { name: err.name, message: err.message, stack: err.stack, code: (err as { code?: unknown }).code };
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
