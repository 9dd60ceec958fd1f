"use client";

import { ActionForm, Field, SubmitButton } from "@/app/_components/form";
import { loginAction } from "../actions";

export function LoginForm({ next }: { next: string }) {
  return (
    <ActionForm action={loginAction} testId="login-form" className="space-y-4">
      {(state, pending) => (
        <>
          <input type="hidden" name="next" value={next} />
          <Field label="Email" name="email" type="email" autoComplete="username" state={state} required />
          <Field
            label="Password"
            name="password"
            type="password"
            autoComplete="current-password"
            state={state}
            required
          />
          <SubmitButton pending={pending}>Sign in</SubmitButton>
        </>
      )}
    </ActionForm>
  );
}
