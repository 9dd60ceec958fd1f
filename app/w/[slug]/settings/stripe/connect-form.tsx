"use client";

import { ActionForm, Field, SubmitButton, type FormState } from "@/app/_components/form";
import { connectStripeAction, startBackfillAction } from "./actions";

export function ConnectStripeForm({ slug }: { slug: string }) {
  const act = async (prev: FormState, form: FormData): Promise<FormState> => {
    const r = await connectStripeAction(slug, prev, form);
    return r.ok ? { ok: true, message: r.data.message } : r;
  };
  return (
    <ActionForm action={act} className="space-y-4" testId="connect-stripe-form">
      {(state, pending) => (
        <>
          <Field label="Name" name="name" defaultValue="Stripe" state={state} />
          <Field
            label="Webhook signing secret"
            name="webhookSecret"
            type="password"
            state={state}
            hint="whsec_… from the endpoint's page in Stripe. Stored encrypted."
          />
          <Field
            label="Secret key for backfill (optional)"
            name="secretKey"
            type="password"
            state={state}
            hint="A restricted key (rk_…) with read access is enough. Stored encrypted; used only to import history."
          />
          <SubmitButton pending={pending}>Connect</SubmitButton>
        </>
      )}
    </ActionForm>
  );
}

export function BackfillButton({ slug, connectionId }: { slug: string; connectionId: string }) {
  const act = async (prev: FormState, form: FormData): Promise<FormState> => {
    const r = await startBackfillAction(slug, prev, form);
    return r.ok ? { ok: true, message: r.data.message } : r;
  };
  return (
    <ActionForm action={act} className="mt-2" testId={`backfill-${connectionId}`}>
      {(_state, pending) => (
        <>
          <input type="hidden" name="connectionId" value={connectionId} />
          <SubmitButton pending={pending} variant="plain">
            Import history (backfill)
          </SubmitButton>
        </>
      )}
    </ActionForm>
  );
}
