"use client";

import { ActionForm, Field, SubmitButton, type FormState } from "@/app/_components/form";
import { updateWorkspaceAction } from "./actions";

export function GeneralSettingsForm({
  slug,
  values,
  readOnly,
}: {
  slug: string;
  values: { name: string; currency: string; timezone: string };
  readOnly: boolean;
}) {
  const act = async (prev: FormState, form: FormData): Promise<FormState> => {
    const r = await updateWorkspaceAction(slug, prev, form);
    return r.ok ? { ok: true, message: r.data.message } : r;
  };
  return (
    <ActionForm action={act} className="space-y-4" testId="settings-form">
      {(state, pending) => (
        <fieldset disabled={readOnly} className="space-y-4">
          <Field label="Name" name="name" defaultValue={values.name} state={state} />
          <Field
            label="Reporting currency"
            name="currency"
            defaultValue={values.currency}
            state={state}
            hint="ISO 4217, e.g. usd, eur. Changing it recomputes all history."
          />
          <Field
            label="Time zone"
            name="timezone"
            defaultValue={values.timezone}
            state={state}
            hint="A date means the end of that day in this zone."
          />
          {readOnly ? null : <SubmitButton pending={pending}>Save</SubmitButton>}
        </fieldset>
      )}
    </ActionForm>
  );
}
