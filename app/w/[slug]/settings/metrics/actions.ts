"use server";

import { revalidatePath } from "next/cache";
import { action } from "@/lib/actions";
import { getEnv } from "@/lib/env";
import { enqueuePolicyChange } from "@/lib/jobs/queue";
import { discardPolicyChange, policyChangeRunsInBackground } from "@/lib/kpi/policy-change";
import { updateMetricConfig } from "@/lib/kpi/settings";
import { getQueue } from "@/lib/server/services";
import { discardPolicyChangeSchema, updateMetricPolicySchema } from "./schemas";

export const updateMetricPolicyAction = action({
  permission: "policies.write",
  schema: updateMetricPolicySchema,
  run: async ({ ctx, input, db }) => {
    // A policy change recomputes the MRR history (ADR 0017): before answering in a small workspace, as a queued job
    // in a large one, whose progress the page shows. Settings apply at once either way.
    const workspaceId = ctx.workspace.id;
    const background = (await policyChangeRunsInBackground(db, workspaceId, getEnv().POLICY_BACKGROUND_ABOVE))
      ? (jobId: string) => enqueuePolicyChange(getQueue(), { jobId, workspaceId })
      : undefined;
    const { jobId } = await updateMetricConfig({ db, ctx, input: input.candidate, background });
    revalidatePath(`/w/${ctx.workspace.slug}`, "layout");
    return { saved: true, inBackground: background !== undefined && jobId !== null };
  },
});

export const discardPolicyChangeAction = action({
  permission: "policies.write",
  schema: discardPolicyChangeSchema,
  run: async ({ ctx, input, db }) => {
    const discarded = await discardPolicyChange(db, ctx, input.jobId);
    revalidatePath(`/w/${ctx.workspace.slug}/settings/metrics`);
    return {
      message: discarded
        ? "Discarded. The policies in force stay."
        : "That change is no longer pending: it was applied or replaced meanwhile.",
    };
  },
});
