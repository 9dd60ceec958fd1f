import { getDb } from "@/db/client";
import { listApiKeys } from "@/db/queries/members";
import { requireAccess } from "@/lib/auth/access";
import { scopes } from "@/lib/auth/permissions";
import { CreateKeyForm, RevokeKeyButton } from "./key-forms";

export const metadata = { title: "API tokens" };

export default async function ApiKeysPage({ params }: PageProps<"/w/[slug]/settings/api-keys">) {
  const { workspace } = await requireAccess((await params).slug, "apikeys.manage");
  const keys = await listApiKeys(workspace.id, await getDb());
  return (
    <div className="space-y-6">
      <h1 className="text-xl font-semibold">API tokens</h1>
      <p className="text-sm text-gray-600">
        Tokens authenticate the read API (<code>metrics:read</code>) and the ingest API (<code>ingest:write</code>). A
        token is shown once; Northstar keeps only its hash.
      </p>
      <div className="rounded-lg border border-gray-200 bg-white p-6">
        <CreateKeyForm slug={workspace.slug} scopes={[...scopes]} />
      </div>
      <table className="w-full rounded-lg border border-gray-200 bg-white text-sm" data-testid="keys-table">
        <thead className="bg-gray-50 text-left text-xs uppercase text-gray-500">
          <tr>
            <th className="px-4 py-2">Name</th>
            <th className="px-4 py-2">Token</th>
            <th className="px-4 py-2">Scopes</th>
            <th className="px-4 py-2">Last used</th>
            <th className="px-4 py-2" />
          </tr>
        </thead>
        <tbody className="divide-y divide-gray-100">
          {keys.map((k) => (
            <tr key={k.id} className={k.revokedAt ? "text-gray-400" : ""}>
              <td className="px-4 py-2">{k.name}</td>
              <td className="px-4 py-2 font-mono text-xs">{k.tokenPrefix}…</td>
              <td className="px-4 py-2">{k.scopes.join(", ")}</td>
              <td className="px-4 py-2">
                {k.lastUsedAt ? k.lastUsedAt.toISOString().slice(0, 16).replace("T", " ") : "never"}
              </td>
              <td className="px-4 py-2 text-right">
                {k.revokedAt ? "revoked" : <RevokeKeyButton slug={workspace.slug} id={k.id} />}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
