"use client";

import { ActionForm, Field, SubmitButton } from "@/app/_components/form";
import { createWorkspaceAction } from "./actions";

export function NewWorkspaceForm() {
  return (
    <ActionForm action={createWorkspaceAction} className="space-y-4" testId="new-workspace-form">
      {(state, pending) => (
        <>
          <Field label="Name" name="name" state={state} required />
          <Field label="URL name" name="slug" state={state} hint="Lowercase letters, digits and hyphens." required />
          <Field label="Reporting currency" name="currency" defaultValue="usd" state={state} />
          <Field
            label="Time zone"
            name="timezone"
            defaultValue="UTC"
            state={state}
            hint="IANA name, e.g. Europe/Berlin."
          />
          <SubmitButton pending={pending}>Create</SubmitButton>
        </>
      )}
    </ActionForm>
  );
}
