import { z } from "zod";
import type { Db } from "@/db/client";
import { findUserByEmail } from "@/db/queries/users";
import { AppError } from "@/lib/errors";
import { dummyPasswordHash, verifyPassword } from "@/lib/passwords";
import { LOGIN_LIMITS, hitRateLimit } from "./rate-limit";

const loginSchema = z.object({
  email: z.string().trim().toLowerCase().min(3).max(320),
  password: z.string().min(1).max(200),
});

/**
 * Checks an email and password. Rate-limited per account and per client IP before the hash is checked; a missing
 * account costs the same hash as a wrong password. Returns the user, or null for bad credentials.
 */
export async function checkCredentials(
  db: Db,
  input: unknown,
  ip: string,
): Promise<{ id: string; email: string; name: string | null } | null> {
  const parsed = loginSchema.safeParse(input);
  if (!parsed.success) return null;
  const { email, password } = parsed.data;
  const [byAccount, byIp] = [
    await hitRateLimit(db, `login:account:${email}`, LOGIN_LIMITS.account.limit, LOGIN_LIMITS.account.windowSeconds),
    await hitRateLimit(db, `login:ip:${ip}`, LOGIN_LIMITS.ip.limit, LOGIN_LIMITS.ip.windowSeconds),
  ];
  if (!byAccount || !byIp) throw new AppError("RATE_LIMITED");
  const user = await findUserByEmail(email, db);
  const ok = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), password);
  if (!user || !user.passwordHash || !ok) return null;
  return { id: user.id, email: user.email, name: user.name };
}

/** The client address as the proxy in front reports it (first hop of X-Forwarded-For), else "unknown". */
export function clientIp(headers: Headers): string {
  return headers.get("x-forwarded-for")?.split(",")[0]?.trim() || headers.get("x-real-ip") || "unknown";
}
