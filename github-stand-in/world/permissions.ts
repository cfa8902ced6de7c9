// GitHub's repository roles, from least to most privileged. "none" means no access at all.
export const ROLES = ["none", "read", "triage", "write", "maintain", "admin"] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

export function roleAtLeast(role: Role, minimum: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(minimum);
}

/** The legacy base role the collaborator-permission endpoint reports (maintain→write, triage→read). */
export function legacyPermission(role: Role): "admin" | "write" | "read" | "none" {
  if (role === "admin") return "admin";
  if (role === "maintain" || role === "write") return "write";
  if (role === "triage" || role === "read") return "read";
  return "none";
}

export interface PermissionFlags {
  admin: boolean;
  maintain: boolean;
  push: boolean;
  triage: boolean;
  pull: boolean;
}

export function permissionFlags(role: Role): PermissionFlags {
  return {
    admin: roleAtLeast(role, "admin"),
    maintain: roleAtLeast(role, "maintain"),
    push: roleAtLeast(role, "write"),
    triage: roleAtLeast(role, "triage"),
    pull: roleAtLeast(role, "read"),
  };
}
