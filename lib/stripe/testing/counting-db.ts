// A drizzle instance on a test database that records every statement it sends: what a code path costs the
// database, in statements (docs/decisions/0011-webhook-round-trips.md).
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import type { Db, DbHandle } from "@/db/client";
import * as schema from "@/db/schema";

/**
 * Records the verb and first table of every statement in `log` (and, in `full`, its text and parameters).
 */
export function countingDb(h: DbHandle, log: string[], full: { text: string; params: unknown[] }[] = []): Db {
  const logger = {
    logQuery(query: string, params: unknown[]) {
      const q = query.trim().replace(/\s+/g, " ").toLowerCase();
      log.push(/^(\w+)(?: into| from)? "?([a-z_]+)/.exec(q)?.slice(1).join(" ") ?? q.slice(0, 20));
      full.push({ text: query, params });
    },
  };
  if (h.driver === "postgres") return drizzlePostgres(h.sql!, { schema, casing: "snake_case", logger }) as never;
  return drizzlePglite(h.pglite!, { schema, casing: "snake_case", logger }) as never;
}
