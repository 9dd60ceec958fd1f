import Link from "next/link";
import { requireAccess } from "@/lib/auth/access";
import { can, type Permission } from "@/lib/auth/permissions";

const tabs: { href: string; label: string; permission: Permission }[] = [
  { href: "", label: "General", permission: "settings.read" },
  { href: "/members", label: "Members", permission: "members.manage" },
  { href: "/api-keys", label: "API tokens", permission: "apikeys.manage" },
  { href: "/stripe", label: "Stripe", permission: "connections.manage" },
  { href: "/metrics", label: "Metric policies", permission: "policies.write" },
  { href: "/kpis", label: "KPI settings", permission: "policies.write" },
];

export default async function SettingsLayout({ children, params }: LayoutProps<"/w/[slug]/settings">) {
  const { slug } = await params;
  const { role } = await requireAccess(slug, "overview.read");
  return (
    <div className="grid gap-6 md:grid-cols-[12rem_1fr]">
      <nav className="flex flex-col gap-1 text-sm" aria-label="Settings">
        {tabs
          .filter((t) => can(role, t.permission))
          .map((t) => (
            <Link
              key={t.href}
              href={`/w/${slug}/settings${t.href}`}
              className="rounded-md px-3 py-1.5 hover:bg-gray-100"
            >
              {t.label}
            </Link>
          ))}
      </nav>
      <section>{children}</section>
    </div>
  );
}
