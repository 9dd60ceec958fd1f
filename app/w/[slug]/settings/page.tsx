import { requireAccess } from "@/lib/auth/access";
import { can } from "@/lib/auth/permissions";
import { GeneralSettingsForm } from "./general-form";

export const metadata = { title: "Settings" };

export default async function SettingsPage({ params }: PageProps<"/w/[slug]/settings">) {
  const { workspace, role } = await requireAccess((await params).slug, "settings.read");
  return (
    <div className="max-w-lg">
      <h1 className="mb-4 text-xl font-semibold">Workspace settings</h1>
      <div className="rounded-lg border border-gray-200 bg-white p-6">
        <GeneralSettingsForm
          slug={workspace.slug}
          values={{ name: workspace.name, currency: workspace.currency, timezone: workspace.timezone }}
          readOnly={!can(role, "settings.write")}
        />
      </div>
    </div>
  );
}
