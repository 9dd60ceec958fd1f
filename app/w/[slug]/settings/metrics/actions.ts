"use server";

import { revalidatePath } from "next/cache";
import { action } from "@/lib/actions";
import { updateMetricConfig } from "@/lib/kpi/settings";
import { updateMetricPolicySchema } from "./schemas";

export const updateMetricPolicyAction = action({
  permission: "policies.write",
  schema: updateMetricPolicySchema,
  run: async ({ ctx, input, db }) => {
    // Rebuilds the MRR history under the new policy in the same transaction (lib/kpi/settings.ts).
    await updateMetricConfig({ db, ctx, input: input.candidate });
    revalidatePath(`/w/${ctx.workspace.slug}`, "layout");
    return { saved: true };
  },
});
