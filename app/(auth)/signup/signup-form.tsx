"use client";

import { ActionForm, Field, SubmitButton } from "@/app/_components/form";
import { firstRunAction } from "../actions";

export function SignupForm() {
  return (
    <ActionForm action={firstRunAction} testId="signup-form" className="space-y-4">
      {(state, pending) => (
        <>
          <Field label="Your email" name="email" type="email" autoComplete="username" state={state} required />
          <Field
            label="Password"
            name="password"
            type="password"
            autoComplete="new-password"
            state={state}
            hint="At least 8 characters."
            required
          />
          <Field label="Workspace name" name="workspaceName" state={state} required />
          <Field
            label="Workspace URL name"
            name="slug"
            state={state}
            hint="Lowercase letters, digits and hyphens, e.g. acme."
            required
          />
          <SubmitButton pending={pending}>Create workspace</SubmitButton>
        </>
      )}
    </ActionForm>
  );
}
