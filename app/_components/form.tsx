"use client";

import { useActionState, type ReactNode } from "react";
import type { FieldErrors } from "@/lib/errors";

export type FormState =
  | null
  | { ok: true; data?: unknown; message?: string }
  | { ok: false; code: string; message: string; fieldErrors?: FieldErrors; values?: Record<string, unknown> };

type Props = {
  action: (prev: FormState, form: FormData) => Promise<FormState>;
  children: (state: FormState, pending: boolean) => ReactNode;
  className?: string;
  testId?: string;
};

/** A form bound to a server action: shows the action's message and per-field errors, disables while pending. */
export function ActionForm({ action, children, className, testId }: Props) {
  const [state, formAction, pending] = useActionState(action, null);
  return (
    <form action={formAction} className={className} data-testid={testId} noValidate>
      {children(state, pending)}
      {state && !state.ok ? (
        <p data-testid="form-error" className="mt-3 rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
          {state.message}
        </p>
      ) : null}
      {state && state.ok && state.message ? (
        <p data-testid="form-success" className="mt-3 rounded-md bg-green-50 px-3 py-2 text-sm text-green-700">
          {state.message}
        </p>
      ) : null}
    </form>
  );
}

export function Field({
  label,
  name,
  type = "text",
  defaultValue,
  state,
  autoComplete,
  required,
  hint,
}: {
  label: string;
  name: string;
  type?: string;
  defaultValue?: string;
  state: FormState;
  autoComplete?: string;
  required?: boolean;
  hint?: string;
}) {
  const errors = state && !state.ok ? state.fieldErrors?.[name] : undefined;
  // React resets a form after its action runs; a failed submission keeps what was typed (never passwords).
  const kept = state && !state.ok ? state.values?.[name] : undefined;
  return (
    <label className="block text-sm">
      <span className="font-medium text-gray-700">{label}</span>
      <input
        name={name}
        type={type}
        defaultValue={typeof kept === "string" ? kept : defaultValue}
        autoComplete={autoComplete}
        required={required}
        aria-invalid={errors ? true : undefined}
        className={`mt-1 block w-full rounded-md border px-3 py-2 shadow-sm ${errors ? "border-red-400" : "border-gray-300"}`}
      />
      {hint ? <span className="mt-1 block text-xs text-gray-500">{hint}</span> : null}
      {errors?.map((e) => (
        <span key={e} className="mt-1 block text-xs text-red-600">
          {e}
        </span>
      ))}
    </label>
  );
}

export function SelectField({
  label,
  name,
  options,
  defaultValue,
  state,
}: {
  label: string;
  name: string;
  options: { value: string; label: string }[];
  defaultValue?: string;
  state: FormState;
}) {
  const errors = state && !state.ok ? state.fieldErrors?.[name] : undefined;
  const kept = state && !state.ok ? state.values?.[name] : undefined;
  return (
    <label className="block text-sm">
      <span className="font-medium text-gray-700">{label}</span>
      <select
        name={name}
        defaultValue={typeof kept === "string" ? kept : defaultValue}
        className="mt-1 block w-full rounded-md border border-gray-300 bg-white px-3 py-2 shadow-sm"
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {errors?.map((e) => (
        <span key={e} className="mt-1 block text-xs text-red-600">
          {e}
        </span>
      ))}
    </label>
  );
}

export function SubmitButton({
  pending,
  children,
  variant = "primary",
}: {
  pending: boolean;
  children: ReactNode;
  variant?: "primary" | "danger" | "plain";
}) {
  const styles = {
    primary: "bg-blue-700 text-white hover:bg-blue-800",
    danger: "bg-white text-red-700 border border-red-300 hover:bg-red-50",
    plain: "bg-white text-gray-700 border border-gray-300 hover:bg-gray-50",
  }[variant];
  return (
    <button
      type="submit"
      disabled={pending}
      className={`rounded-md px-4 py-2 text-sm font-medium disabled:opacity-60 ${styles}`}
    >
      {pending ? "Working…" : children}
    </button>
  );
}
