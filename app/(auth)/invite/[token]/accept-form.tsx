"use client";

import { ActionForm, Field, SubmitButton } from "@/app/_components/form";
import { acceptInvitationAction } from "../../actions";

export function AcceptForm({ token, needsPassword }: { token: string; needsPassword: boolean }) {
  return (
    <ActionForm action={acceptInvitationAction} testId="accept-form" className="space-y-4">
      {(state, pending) => (
        <>
          <input type="hidden" name="token" value={token} />
          {needsPassword ? (
            <Field
              label="Choose a password"
              name="password"
              type="password"
              autoComplete="new-password"
              state={state}
              hint="At least 8 characters."
              required
            />
          ) : null}
          <SubmitButton pending={pending}>Accept invitation</SubmitButton>
        </>
      )}
    </ActionForm>
  );
}
