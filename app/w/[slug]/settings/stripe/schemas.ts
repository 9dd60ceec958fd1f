import { z } from "zod";

// Kept out of actions.ts: a "use server" file may export only async functions.
const emptyToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

export const connectStripeSchema = z.object({
  name: z.preprocess(emptyToUndefined, z.string().trim().min(1).max(100).optional()),
  webhookSecret: z
    .string()
    .trim()
    .regex(/^whsec_[A-Za-z0-9_]+$/, "Paste the signing secret that starts with whsec_."),
  secretKey: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .trim()
      .regex(
        /^(sk|rk)_(test|live)_[A-Za-z0-9_]+$/,
        "Use a secret key (sk_…) or, better, a restricted key (rk_…) with read access.",
      )
      .optional(),
  ),
});
