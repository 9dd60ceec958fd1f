"use server";

import { AuthError } from "next-auth";
import { redirect, unstable_rethrow } from "next/navigation";
import { z } from "zod";
import { getDb } from "@/db/client";
import { countUsers } from "@/db/queries/users";
import { findWorkspaceSlugById } from "@/db/queries/workspaces";
import { keptValues, toActionError } from "@/lib/actions";
import { auth, signIn, signOut } from "@/lib/auth/config";
import { AppError } from "@/lib/errors";
import { acceptInvitation } from "@/lib/workspaces/members";
import { createWorkspace } from "@/lib/workspaces/workspaces";
import type { FormState } from "@/app/_components/form";
import { firstRunSchema } from "./schemas";

/** Only local paths may follow a sign-in, so a crafted `next` can't send people elsewhere. */
function safeNext(value: FormDataEntryValue | null): string {
  const next = typeof value === "string" ? value : "";
  return next.startsWith("/") && !next.startsWith("//") ? next : "/w";
}

export async function loginAction(_prev: FormState, form: FormData): Promise<FormState> {
  try {
    await signIn("credentials", {
      email: form.get("email"),
      password: form.get("password"),
      redirectTo: safeNext(form.get("next")),
    });
    return { ok: true };
  } catch (err) {
    if (err instanceof AuthError) {
      const code = (err as AuthError & { code?: string }).code;
      const values = keptValues(form);
      if (code === "rate_limited")
        return { ok: false, code: "RATE_LIMITED", message: "Too many attempts. Try again in a minute.", values };
      return { ok: false, code: "UNAUTHENTICATED", message: "That email and password don't match an account.", values };
    }
    throw err; // the redirect after a successful sign-in
  }
}

export async function logoutAction() {
  await signOut({ redirectTo: "/login" });
}

/** First run: with no users yet, the first person creates the first workspace and becomes its owner. */
export async function firstRunAction(_prev: FormState, form: FormData): Promise<FormState> {
  const parsed = firstRunSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) return { ...toActionError(parsed.error), values: keptValues(form) };
  try {
    const db = await getDb();
    if ((await countUsers(db)) > 0)
      throw new AppError("FORBIDDEN", "Northstar is already set up: ask an owner for an invitation.");
    const { workspace } = await createWorkspace({
      db,
      input: {
        name: parsed.data.workspaceName,
        slug: parsed.data.slug,
        ownerEmail: parsed.data.email,
        ownerPassword: parsed.data.password,
      },
    });
    await signIn("credentials", {
      email: parsed.data.email,
      password: parsed.data.password,
      redirectTo: `/w/${workspace.slug}`,
    });
    return { ok: true };
  } catch (err) {
    if (err instanceof AuthError)
      return { ok: false, code: "UNAUTHENTICATED", message: "Account created; sign in to continue." };
    unstable_rethrow(err);
    return { ...toActionError(err), values: keptValues(form) };
  }
}

const acceptSchema = z.object({ token: z.string().min(10), password: z.string().optional() });

export async function acceptInvitationAction(_prev: FormState, form: FormData): Promise<FormState> {
  const parsed = acceptSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) return toActionError(parsed.error);
  let target: string;
  try {
    const db = await getDb();
    const session = await auth();
    const result = await acceptInvitation({
      db,
      input: { secret: parsed.data.token, userId: session?.user?.id, password: parsed.data.password || undefined },
    });
    const slug = await findWorkspaceSlugById(result.workspaceId, db);
    target = `/w/${slug}`;
    if (!session?.user?.id && parsed.data.password) {
      await signIn("credentials", { email: result.email, password: parsed.data.password, redirectTo: target });
    }
  } catch (err) {
    unstable_rethrow(err);
    return toActionError(err);
  }
  redirect(target);
}
