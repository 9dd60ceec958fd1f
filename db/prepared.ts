// Named prepared statements for every query drizzle sends through postgres.js (ADR 0012).
//
// drizzle runs each query with `client.unsafe(text, params, { prepare: false })` unless the caller named it with
// `.prepare()`. postgres.js then sends an unnamed statement: Parse + Describe, a wait for the parameter types, then
// Bind + Execute, so two round trips, and the server parses and plans the text every time. Prepared, a statement is
// parsed once per connection, runs in one round trip, and can reuse its plan.
import type postgres from "postgres";

/**
 * Statements with more parameters than this stay unnamed: multi-row writes of a backfill page change their text with
 * every row count, and each distinct text prepared would stay on the connection until it is recycled.
 */
export const MAX_PREPARED_PARAMS = 64;

type Unsafe = (text: string, params?: unknown[], options?: { prepare?: boolean }) => unknown;
type Scoped = (fn: (sql: postgres.Sql) => unknown) => unknown;

/** The client with `unsafe` preparing statements that have 1–64 parameters, also inside transactions and savepoints. */
export function preparingClient<T extends postgres.Sql | postgres.TransactionSql>(client: T): T {
  return new Proxy(client, {
    get(target, prop, receiver) {
      if (prop === "unsafe") {
        const unsafe = Reflect.get(target, prop, receiver) as Unsafe;
        return (text: string, params: unknown[] = [], options: { prepare?: boolean } = {}) =>
          unsafe(text, params, {
            ...options,
            prepare: options.prepare || (params.length > 0 && params.length <= MAX_PREPARED_PARAMS),
          });
      }
      if (prop === "begin" || prop === "savepoint") {
        const scoped = Reflect.get(target, prop, receiver) as (...args: unknown[]) => unknown;
        return (...args: unknown[]) => {
          const fn = args.pop() as Parameters<Scoped>[0];
          return scoped(...args, (sql: postgres.Sql) => fn(preparingClient(sql)));
        };
      }
      return Reflect.get(target, prop, receiver);
    },
  });
}
