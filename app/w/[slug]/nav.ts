import type { Permission } from "@/lib/auth/permissions";

/** The workspace navigation; each entry shows only to roles with its permission. */
export const workspaceNav: { href: string; label: string; permission: Permission }[] = [
  { href: "", label: "Overview", permission: "overview.read" },
  { href: "/finance", label: "Finance", permission: "finance.read" },
  { href: "/marketing", label: "Marketing", permission: "marketing.read" },
  { href: "/success", label: "Customer success", permission: "success.read" },
  { href: "/customers", label: "Customers", permission: "customers.read" },
  { href: "/settings/metrics", label: "Policies", permission: "policies.write" },
  { href: "/import", label: "Import", permission: "imports.write" },
  { href: "/settings", label: "Settings", permission: "settings.read" },
];
