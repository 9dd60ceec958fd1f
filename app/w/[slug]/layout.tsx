import Link from "next/link";
import { getDb } from "@/db/client";
import { listUserWorkspaces } from "@/db/queries/users";
import { requireAccess } from "@/lib/auth/access";
import { can, roleLabels } from "@/lib/auth/permissions";
import { logoutAction } from "@/app/(auth)/actions";
import { SignOutButton } from "@/app/_components/sign-out-button";
import { WorkspaceSwitcher } from "@/app/_components/workspace-switcher";
import { workspaceNav } from "./nav";

export default async function WorkspaceLayout({ children, params }: LayoutProps<"/w/[slug]">) {
  const { slug } = await params;
  // Shapes the navigation only; each page checks its own permission.
  const { workspace, role, userId } = await requireAccess(slug, "overview.read");
  const workspaces = await listUserWorkspaces(userId, await getDb());
  const items = workspaceNav.filter((item) => can(role, item.permission));
  return (
    <div className="min-h-screen">
      <header className="border-b border-gray-200 bg-white">
        <div className="mx-auto flex max-w-7xl items-center gap-6 px-4 py-3">
          <Link href="/w" className="flex items-center gap-2 font-semibold">
            {/* eslint-disable-next-line @next/next/no-img-element */}
            <img src="/favicon.svg" alt="" width={22} height={22} />
            Northstar
          </Link>
          <WorkspaceSwitcher
            current={workspace.slug}
            workspaces={workspaces.map((w) => ({ slug: w.slug, name: w.name }))}
          />
          <nav className="flex flex-wrap gap-0.5 text-sm" aria-label="Workspace">
            {items.map((item) => (
              <Link
                key={item.href}
                href={`/w/${slug}${item.href}`}
                className="whitespace-nowrap rounded-md px-2.5 py-1.5 text-gray-700 hover:bg-gray-100"
              >
                {item.label}
              </Link>
            ))}
          </nav>
          <div className="ml-auto flex items-center gap-3 text-sm text-gray-600">
            <span className="whitespace-nowrap" data-testid="current-role">
              {roleLabels[role]}
            </span>
            <SignOutButton action={logoutAction} />
          </div>
        </div>
      </header>
      <div className="mx-auto max-w-7xl px-4 py-6">{children}</div>
    </div>
  );
}
