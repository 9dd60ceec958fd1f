import Link from "next/link";
import { requireAccess } from "@/lib/auth/access";
import { permissions, roleLabels, type Permission } from "@/lib/auth/permissions";

export const metadata = { title: "No access" };

export default async function NoAccessPage({ params, searchParams }: PageProps<"/w/[slug]/no-access">) {
  const { slug } = await params;
  const { role } = await requireAccess(slug, "overview.read");
  const need = (await searchParams).need;
  const description = typeof need === "string" && need in permissions ? permissions[need as Permission] : undefined;
  return (
    <div className="mx-auto max-w-lg rounded-lg border border-amber-200 bg-amber-50 p-6" data-testid="no-access">
      <h1 className="mb-2 text-lg font-semibold">No access</h1>
      <p className="text-sm text-gray-700">
        Your role, <strong>{roleLabels[role]}</strong>, doesn&apos;t include this page
        {description ? ` (${description.toLowerCase()})` : ""}. An owner or admin can change your role.
      </p>
      <Link href={`/w/${slug}`} className="mt-4 inline-block text-sm text-blue-700 underline">
        Back to the overview
      </Link>
    </div>
  );
}
