import { describe, expect, it } from "vitest";
import { can, permissions, rolePermissions, roles, type Permission, type Role } from "./permissions";

// The expected matrix, written out by hand: a change to the table must change this test too.
const expected: Record<Role, Permission[]> = {
  owner: Object.keys(permissions) as Permission[],
  admin: Object.keys(permissions) as Permission[],
  finance: ["overview.read", "finance.read", "customers.read", "policies.write"],
  marketing: ["overview.read", "marketing.read", "imports.write"],
  success: ["overview.read", "success.read", "customers.read", "imports.write"],
  viewer: ["overview.read"],
};

describe("role × permission matrix", () => {
  for (const role of roles) {
    for (const permission of Object.keys(permissions) as Permission[]) {
      const allowed = expected[role].includes(permission);
      it(`${allowed ? "allows" : "denies"} ${role} → ${permission}`, () => {
        expect(can(role, permission)).toBe(allowed);
      });
    }
  }
  it("keeps settings, members, tokens and connections to owner and admin", () => {
    const admins = roles.filter((r) => can(r, "members.manage"));
    expect(admins).toEqual(["owner", "admin"]);
    expect(roles.filter((r) => can(r, "settings.read"))).toEqual(["owner", "admin"]);
  });
  it("lists no unknown permission for any role", () => {
    for (const role of roles) for (const p of rolePermissions[role]) expect(permissions).toHaveProperty(p);
  });
});
