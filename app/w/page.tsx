import Link from "next/link";
import { getDb } from "@/db/client";
import { listUserWorkspaces } from "@/db/queries/users";
import { requireUser } from "@/lib/auth/access";
import { roleLabels } from "@/lib/auth/permissions";
import { SignOutButton } from "../_components/sign-out-button";
import { logoutAction } from "../(auth)/actions";

export const metadata = { title: "Workspaces" };

/** The workspace switcher: every workspace the user is a member of. */
export default async function WorkspacesPage() {
  const { userId, email } = await requireUser("/w");
  const list = await listUserWorkspaces(userId, await getDb());
  return (
    <main className="mx-auto max-w-2xl px-4 py-10">
      <div className="mb-6 flex items-center justify-between">
        <h1 className="text-2xl font-semibold">Your workspaces</h1>
        <div className="flex items-center gap-3 text-sm text-gray-600">
          <span>{email}</span>
          <SignOutButton action={logoutAction} />
        </div>
      </div>
      {list.length === 0 ? (
        <p className="rounded-lg border border-dashed border-gray-300 p-6 text-sm text-gray-600">
          You are not a member of any workspace yet. Open an invitation link, or create a workspace.
        </p>
      ) : (
        <ul
          className="divide-y divide-gray-200 rounded-lg border border-gray-200 bg-white"
          data-testid="workspace-list"
        >
          {list.map((w) => (
            <li key={w.id}>
              <Link href={`/w/${w.slug}`} className="flex items-center justify-between px-4 py-3 hover:bg-gray-50">
                <span className="font-medium">{w.name}</span>
                <span className="text-xs text-gray-500">{roleLabels[w.role]}</span>
              </Link>
            </li>
          ))}
        </ul>
      )}
      <Link
        href="/w/new"
        className="mt-6 inline-block rounded-md border border-gray-300 bg-white px-4 py-2 text-sm hover:bg-gray-50"
      >
        New workspace
      </Link>
    </main>
  );
}
