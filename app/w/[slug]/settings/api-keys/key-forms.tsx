"use client";

import { ActionForm, Field, SubmitButton, type FormState } from "@/app/_components/form";
import { createApiKeyAction, revokeApiKeyAction } from "./actions";

export function CreateKeyForm({ slug, scopes }: { slug: string; scopes: string[] }) {
  const act = async (prev: FormState, form: FormData): Promise<FormState> => {
    const r = await createApiKeyAction(slug, prev, form);
    return r.ok ? { ok: true, data: r.data } : r;
  };
  return (
    <ActionForm action={act} className="space-y-4" testId="create-key-form">
      {(state, pending) => (
        <>
          <Field label="Name" name="name" defaultValue="API key" state={state} />
          <fieldset className="text-sm">
            <legend className="font-medium text-gray-700">Scopes</legend>
            {scopes.map((s) => (
              <label key={s} className="mr-4 inline-flex items-center gap-1">
                <input type="checkbox" name="scopes[]" value={s} /> <code>{s}</code>
              </label>
            ))}
            {state && !state.ok && state.fieldErrors?.scopes ? (
              <p className="text-xs text-red-600">{state.fieldErrors.scopes[0]}</p>
            ) : null}
          </fieldset>
          <SubmitButton pending={pending}>Create token</SubmitButton>
          {state?.ok && state.data ? (
            <div>
              <p className="text-sm text-gray-700">Copy it now: it won&apos;t be shown again.</p>
              <input
                readOnly
                data-testid="new-token"
                value={(state.data as { token: string }).token}
                className="mt-1 w-full rounded-md border border-gray-300 bg-gray-50 px-3 py-2 font-mono text-xs"
              />
            </div>
          ) : null}
        </>
      )}
    </ActionForm>
  );
}

export function RevokeKeyButton({ slug, id }: { slug: string; id: string }) {
  const act = async (prev: FormState, form: FormData): Promise<FormState> => {
    const r = await revokeApiKeyAction(slug, prev, form);
    return r.ok ? { ok: true, message: r.data.message } : r;
  };
  return (
    <ActionForm action={act}>
      {(_s, pending) => (
        <>
          <input type="hidden" name="id" value={id} />
          <SubmitButton pending={pending} variant="danger">
            Revoke
          </SubmitButton>
        </>
      )}
    </ActionForm>
  );
}
