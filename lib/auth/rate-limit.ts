import { sql } from "drizzle-orm";
import { rowsOf, type Executor } from "@/db/client";

/**
 * A fixed-window counter in the database, so every server on one Postgres shares it. Returns true when the
 * attempt is allowed. One statement: the window resets itself when it has passed.
 */
export async function hitRateLimit(db: Executor, key: string, limit: number, windowSeconds: number): Promise<boolean> {
  const rows = rowsOf<{ count: number | string }>(
    await db.execute(sql`
      insert into rate_limits (key, count, reset_at) values (${key}, 1, now() + make_interval(secs => ${windowSeconds}))
      on conflict (key) do update set
        count = case when rate_limits.reset_at <= now() then 1 else rate_limits.count + 1 end,
        reset_at = case when rate_limits.reset_at <= now() then excluded.reset_at else rate_limits.reset_at end
      returning count`),
  );
  return Number(rows[0]?.count ?? 0) <= limit;
}

export const LOGIN_LIMITS = {
  /** Per account: 10 attempts per 15 minutes. */
  account: { limit: 10, windowSeconds: 900 },
  /** Per client IP: 50 attempts per 15 minutes (offices share an address). */
  ip: { limit: 50, windowSeconds: 900 },
};
