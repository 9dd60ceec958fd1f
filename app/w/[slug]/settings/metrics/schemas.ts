import { z } from "zod";

/** The save form: the previewed candidate as JSON (validated again by updateMetricConfig's own schemas). */
export const updateMetricPolicySchema = z.object({
  candidate: z
    .string()
    .max(20_000)
    .transform((s, ctx) => {
      try {
        return JSON.parse(s) as { policy: Record<string, unknown>; settings: Record<string, unknown> };
      } catch {
        ctx.addIssue({ code: "custom", message: "Preview the change again before saving." });
        return z.NEVER;
      }
    }),
});

/** The discard form: the pending change it was shown, so a newer one is never dropped by mistake. */
export const discardPolicyChangeSchema = z.object({ jobId: z.string().min(1).max(100) });
