import { z } from "zod";
import { SECRET_KEY_PATTERN, WEBHOOK_SECRET_PATTERN } from "@/lib/stripe/connections";

// Kept out of actions.ts: a "use server" file may export only async functions.
const emptyToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

export const connectStripeSchema = z.object({
  name: z.preprocess(emptyToUndefined, z.string().trim().min(1).max(100).optional()),
  webhookSecret: z.string().trim().regex(WEBHOOK_SECRET_PATTERN, "Paste the signing secret that starts with whsec_."),
  secretKey: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .trim()
      .regex(SECRET_KEY_PATTERN, "Use a secret key (sk_…) or, better, a restricted key (rk_…) with read access.")
      .optional(),
  ),
});
