import type { Permission } from "@/lib/auth/permissions";

/** The workspace navigation; each entry shows only to roles with its permission. */
export const workspaceNav: { href: string; label: string; permission: Permission }[] = [
  { href: "", label: "Overview", permission: "overview.read" },
  { href: "/settings", label: "Settings", permission: "settings.read" },
];
