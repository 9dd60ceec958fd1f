import { z } from "zod";
import { getDb, type Db } from "@/db/client";
import { checkAccess, type Access } from "@/lib/auth/check";
import { auth } from "@/lib/auth/config";
import type { Permission } from "@/lib/auth/permissions";
import { AppError, isAppError, isTransientDbError, newErrorRef, type ErrorCode, type FieldErrors } from "@/lib/errors";
import { log } from "@/lib/log";

export type ActionResult<T> =
  | { ok: true; data: T }
  | { ok: false; code: ErrorCode; message: string; fieldErrors?: FieldErrors; values?: Record<string, unknown> };

/** What a failed form gets back to show again: everything typed except secrets. */
export function keptValues(form: FormData): Record<string, unknown> {
  return Object.fromEntries(Object.entries(formToObject(form)).filter(([k]) => !/password|token|secret|key/i.test(k)));
}

function formToObject(form: FormData): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of form.entries()) {
    if (key.startsWith("$ACTION")) continue;
    if (typeof value !== "string") continue;
    if (key.endsWith("[]")) {
      const name = key.slice(0, -2);
      const list = (out[name] as string[] | undefined) ?? [];
      list.push(value);
      out[name] = list;
    } else out[key] = value;
  }
  return out;
}

/**
 * A server action bound to a workspace slug: session → role check → zod → run. Expected failures come back as
 * `{ ok: false, code, message, fieldErrors }` for the form to show; nothing else leaks.
 * Bind the slug in the form (`action.bind(null, slug)`), so the workspace never travels in the body.
 */
export function action<S extends z.ZodType, T>({
  permission,
  schema,
  run,
}: {
  permission: Permission;
  schema: S;
  run: (args: { ctx: Access["ctx"]; access: Access; input: z.output<S>; db: Db }) => Promise<T>;
}) {
  return async (slug: string, _prev: unknown, form: FormData): Promise<ActionResult<T>> => {
    try {
      const session = await auth();
      const db = await getDb();
      const access = await checkAccess(session?.user?.id, slug, permission, db);
      const parsed = schema.safeParse(formToObject(form));
      if (!parsed.success) {
        throw new AppError("VALIDATION", undefined, {
          fieldErrors: z.flattenError(parsed.error).fieldErrors as FieldErrors,
        });
      }
      return { ok: true, data: await run({ ctx: access.ctx, access, input: parsed.data, db }) };
    } catch (err) {
      return { ...toActionError(err), values: keptValues(form) };
    }
  };
}

export function toActionError(err: unknown): {
  ok: false;
  code: ErrorCode;
  message: string;
  fieldErrors?: FieldErrors;
} {
  if (err instanceof z.ZodError)
    return {
      ok: false,
      code: "VALIDATION",
      message: "Please check the highlighted fields.",
      fieldErrors: z.flattenError(err).fieldErrors as FieldErrors,
    };
  if (isAppError(err))
    return {
      ok: false,
      code: err.code,
      message: err.message,
      ...(err.fieldErrors ? { fieldErrors: err.fieldErrors } : {}),
    };
  const ref = newErrorRef();
  log.error("action.failed", { ref, err });
  if (isTransientDbError(err))
    return {
      ok: false,
      code: "UNAVAILABLE",
      message: "Northstar can't reach its database right now. Try again shortly.",
    };
  return { ok: false, code: "INTERNAL", message: `Something went wrong (ref ${ref}).` };
}
