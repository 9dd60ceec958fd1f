// The one permission table: role → allowed actions and pages. The navigation, server actions, pages and API
// routes all read it; nothing is allowed unless listed here.

export const roles = ["owner", "admin", "finance", "marketing", "success", "viewer"] as const;
export type Role = (typeof roles)[number];

export const roleLabels: Record<Role, string> = {
  owner: "Owner",
  admin: "Admin",
  finance: "Finance",
  marketing: "Marketing",
  success: "Customer success",
  viewer: "Viewer",
};

export const permissions = {
  "overview.read": "See the executive overview (tiles limited to the dashboards the role may see)",
  "finance.read": "See the finance dashboard: MRR, movements, churn, retention, cash",
  "marketing.read": "See the marketing dashboard: visitors, signups, leads, funnel, CAC",
  "success.read": "See the customer-success dashboard: NPS, CSAT, tickets, health",
  "customers.read": "Open customer pages and drill-downs",
  "policies.write": "Change metric policies and KPI settings",
  "imports.write": "Import marketing and support data (CSV)",
  "settings.read": "See workspace settings",
  "settings.write": "Change the workspace name, currency and time zone",
  "members.manage": "Invite members, change roles, remove members",
  "apikeys.manage": "Create and revoke API tokens",
  "connections.manage": "Connect Stripe accounts, run backfills and rebuilds",
  "ingestion.read": "See raw Stripe events and ingestion failures",
} as const;
export type Permission = keyof typeof permissions;

const all = Object.keys(permissions) as Permission[];

export const rolePermissions: Record<Role, readonly Permission[]> = {
  owner: all,
  admin: all,
  finance: ["overview.read", "finance.read", "customers.read", "policies.write"],
  marketing: ["overview.read", "marketing.read", "imports.write"],
  success: ["overview.read", "success.read", "customers.read", "imports.write"],
  viewer: ["overview.read"],
};

export function can(role: Role, permission: Permission): boolean {
  return rolePermissions[role].includes(permission);
}

export function isRole(value: string): value is Role {
  return (roles as readonly string[]).includes(value);
}

/** API key scopes (the bearer tokens of the read and ingest APIs). */
export const scopes = ["metrics:read", "ingest:write"] as const;
export type Scope = (typeof scopes)[number];
