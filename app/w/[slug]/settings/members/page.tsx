import { getDb } from "@/db/client";
import { listMembers } from "@/db/queries/members";
import { requireAccess } from "@/lib/auth/access";
import { roleLabels, roles } from "@/lib/auth/permissions";
import { InviteForm, MemberRow } from "./member-forms";

export const metadata = { title: "Members" };

export default async function MembersPage({ params }: PageProps<"/w/[slug]/settings/members">) {
  const { workspace, userId } = await requireAccess((await params).slug, "members.manage");
  const members = await listMembers(workspace.id, await getDb());
  const roleOptions = roles.map((r) => ({ value: r, label: roleLabels[r] }));
  return (
    <div className="space-y-6">
      <h1 className="text-xl font-semibold">Members</h1>
      <div className="rounded-lg border border-gray-200 bg-white p-6">
        <h2 className="mb-3 font-medium">Invite someone</h2>
        <InviteForm slug={workspace.slug} roleOptions={roleOptions} />
      </div>
      <table className="w-full rounded-lg border border-gray-200 bg-white text-sm" data-testid="members-table">
        <thead className="bg-gray-50 text-left text-xs uppercase text-gray-500">
          <tr>
            <th className="px-4 py-2">Email</th>
            <th className="px-4 py-2">Status</th>
            <th className="px-4 py-2">Role</th>
            <th className="px-4 py-2" />
          </tr>
        </thead>
        <tbody className="divide-y divide-gray-100">
          {members.map((m) => (
            <MemberRow
              key={m.userId}
              slug={workspace.slug}
              member={{ userId: m.userId, email: m.email, role: m.role, status: m.status }}
              isSelf={m.userId === userId}
              roleOptions={roleOptions}
            />
          ))}
        </tbody>
      </table>
    </div>
  );
}
