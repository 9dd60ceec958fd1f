import { requireAccess } from "@/lib/auth/access";

export const metadata = { title: "Overview" };

export default async function OverviewPage({ params }: PageProps<"/w/[slug]">) {
  const { workspace } = await requireAccess((await params).slug, "overview.read");
  return (
    <div>
      <h1 className="text-2xl font-semibold" data-testid="overview-title">
        {workspace.name}
      </h1>
      <p className="mt-1 text-sm text-gray-600">
        Reporting in {workspace.currency.toUpperCase()}, days end at midnight {workspace.timezone}.
      </p>
    </div>
  );
}
