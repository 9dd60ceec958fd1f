import { z } from "zod";

// Configuration is environment variables, validated once at start. A bad value stops the process with one line
// naming the variable (interfaces.md, "Running it").
const base64Key = z
  .string()
  .refine((v) => Buffer.from(v, "base64").length === 32, "must be 32 random bytes, base64 (openssl rand -base64 32)");

const envSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL")
      .optional(),
    DATA_DIR: z.string().min(1).default("./.data"),
    AUTH_SECRET: z.string().min(16, "must be at least 16 characters").optional(),
    ENCRYPTION_KEY: base64Key.optional(),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    APP_URL: z.url("must be a URL such as http://localhost:3000").optional(),
    /** Above this many customers a policy change is applied in the background (ADR 0017). */
    POLICY_BACKGROUND_ABOVE: z.coerce.number().int().min(0, "must be 0 or more").default(2000),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV !== "production") return;
    if (!env.AUTH_SECRET)
      ctx.addIssue({ code: "custom", path: ["AUTH_SECRET"], message: "is required when NODE_ENV=production" });
    if (!env.ENCRYPTION_KEY)
      ctx.addIssue({ code: "custom", path: ["ENCRYPTION_KEY"], message: "is required when NODE_ENV=production" });
  });

export type Env = z.infer<typeof envSchema> & { APP_URL: string };

export class EnvError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EnvError";
  }
}

/** Parses an environment (process.env by default); throws EnvError with one line naming the first bad variable. */
export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== ""));
  const result = envSchema.safeParse(cleaned);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new EnvError(`invalid environment: ${String(issue.path[0] ?? "env")} ${issue.message}`);
  }
  const env = result.data;
  return { ...env, APP_URL: (env.APP_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, "") };
}

let cached: Env | undefined;
export function getEnv(): Env {
  cached ??= parseEnv();
  return cached;
}
