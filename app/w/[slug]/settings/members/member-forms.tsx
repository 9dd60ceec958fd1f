"use client";

import { ActionForm, Field, SelectField, SubmitButton, type FormState } from "@/app/_components/form";
import { changeRoleAction, inviteMemberAction, removeMemberAction } from "./actions";

type Option = { value: string; label: string };

export function InviteForm({ slug, roleOptions }: { slug: string; roleOptions: Option[] }) {
  const act = async (prev: FormState, form: FormData): Promise<FormState> => {
    const r = await inviteMemberAction(slug, prev, form);
    return r.ok ? { ok: true, data: r.data } : r;
  };
  return (
    <ActionForm action={act} className="grid gap-3 md:grid-cols-[1fr_12rem_auto] md:items-end" testId="invite-form">
      {(state, pending) => (
        <>
          <Field label="Email" name="email" type="email" state={state} />
          <SelectField label="Role" name="role" options={roleOptions} defaultValue="viewer" state={state} />
          <SubmitButton pending={pending}>Create invitation</SubmitButton>
          {state?.ok && state.data ? (
            <div className="md:col-span-3">
              <p className="text-sm text-gray-700">
                Send this link to the person you invited (valid 7 days, works once):
              </p>
              <input
                readOnly
                data-testid="invite-url"
                value={(state.data as { inviteUrl: string }).inviteUrl}
                className="mt-1 w-full rounded-md border border-gray-300 bg-gray-50 px-3 py-2 font-mono text-xs"
                onFocus={(e) => e.currentTarget.select()}
              />
            </div>
          ) : null}
        </>
      )}
    </ActionForm>
  );
}

export function MemberRow({
  slug,
  member,
  isSelf,
  roleOptions,
}: {
  slug: string;
  member: { userId: string; email: string; role: string; status: string };
  isSelf: boolean;
  roleOptions: Option[];
}) {
  const change = async (prev: FormState, form: FormData): Promise<FormState> => {
    const r = await changeRoleAction(slug, prev, form);
    return r.ok ? { ok: true, message: r.data.message } : r;
  };
  const remove = async (prev: FormState, form: FormData): Promise<FormState> => {
    const r = await removeMemberAction(slug, prev, form);
    return r.ok ? { ok: true, message: r.data.message } : r;
  };
  return (
    <tr data-testid={`member-${member.email}`}>
      <td className="px-4 py-2">
        {member.email}
        {isSelf ? <span className="ml-2 text-xs text-gray-500">(you)</span> : null}
      </td>
      <td className="px-4 py-2 text-xs text-gray-600">{member.status === "invited" ? "Invited" : "Active"}</td>
      <td className="px-4 py-2">
        <ActionForm action={change} className="flex items-center gap-2">
          {(state, pending) => (
            <>
              <input type="hidden" name="userId" value={member.userId} />
              <SelectField label="" name="role" options={roleOptions} defaultValue={member.role} state={state} />
              <SubmitButton pending={pending} variant="plain">
                Save
              </SubmitButton>
            </>
          )}
        </ActionForm>
      </td>
      <td className="px-4 py-2 text-right">
        <ActionForm action={remove}>
          {(_state, pending) => (
            <>
              <input type="hidden" name="userId" value={member.userId} />
              <SubmitButton pending={pending} variant="danger">
                Remove
              </SubmitButton>
            </>
          )}
        </ActionForm>
      </td>
    </tr>
  );
}
