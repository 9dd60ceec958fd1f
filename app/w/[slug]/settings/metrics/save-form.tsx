"use client";

import { ActionForm, SubmitButton, type FormState } from "@/app/_components/form";
import { discardPolicyChangeAction, updateMetricPolicyAction } from "./actions";

/**
 * Saves the previewed policies. In a small workspace the server recomputes the MRR history before answering; in a
 * large one it queues the recomputation and the page above shows its progress.
 */
export function SavePoliciesForm({ slug, candidate }: { slug: string; candidate: string }) {
  const act = async (prev: FormState, form: FormData): Promise<FormState> => {
    const r = await updateMetricPolicyAction(slug, prev, form);
    if (!r.ok) return r;
    return {
      ok: true,
      message: r.data.inBackground
        ? "Saved. The MRR history is being recomputed under the new policies; every number switches over when it is done, and until then follows the policies in force."
        : "Saved. Every number now follows the new policies.",
    };
  };
  return (
    <ActionForm action={act} testId="save-policies-form">
      {(_state, pending) => (
        <>
          <input type="hidden" name="candidate" value={candidate} />
          <SubmitButton pending={pending}>Save and rebuild history</SubmitButton>
        </>
      )}
    </ActionForm>
  );
}

/** Drops the pending policy change shown (the policies in force stay). */
export function DiscardPolicyChangeForm({ slug, jobId }: { slug: string; jobId: string }) {
  const act = async (prev: FormState, form: FormData): Promise<FormState> => {
    const r = await discardPolicyChangeAction(slug, prev, form);
    return r.ok ? { ok: true, message: r.data.message } : r;
  };
  return (
    <ActionForm action={act} testId="discard-policy-change-form">
      {(_state, pending) => (
        <>
          <input type="hidden" name="jobId" value={jobId} />
          <SubmitButton pending={pending} variant="plain">
            Discard this change
          </SubmitButton>
        </>
      )}
    </ActionForm>
  );
}
