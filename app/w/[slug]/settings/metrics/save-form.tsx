"use client";

import { ActionForm, SubmitButton, type FormState } from "@/app/_components/form";
import { updateMetricPolicyAction } from "./actions";

/** Saves the previewed policies; the server rebuilds the MRR history before answering. */
export function SavePoliciesForm({ slug, candidate }: { slug: string; candidate: string }) {
  const act = async (prev: FormState, form: FormData): Promise<FormState> => {
    const r = await updateMetricPolicyAction(slug, prev, form);
    return r.ok ? { ok: true, message: "Saved. Every number now follows the new policies." } : r;
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
