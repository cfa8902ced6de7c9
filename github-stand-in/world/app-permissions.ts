import type { Role } from "./permissions";

// A GitHub App's permission levels, from least to most. "admin" exists only for the projects permissions.
const LEVELS = ["read", "write", "admin"] as const;
export type PermissionLevel = (typeof LEVELS)[number];

/** Permission name → level, as GitHub writes them in manifests, installations and token requests. */
export type AppPermissions = Record<string, PermissionLevel>;

/** The repository permissions Stageboard's App asks for; others are stored as given but mean nothing here. */
export const REPOSITORY_PERMISSIONS = [
  "actions",
  "administration",
  "checks",
  "contents",
  "deployments",
  "environments",
  "metadata",
  "pull_requests",
  "statuses",
] as const;
export type RepositoryPermission = (typeof REPOSITORY_PERMISSIONS)[number];

const PERMISSION_NAME = /^[a-z][a-z_]{0,63}$/;
// Where GitHub's description departs from read/write: a few permissions go up to admin, a few have one level only.
const WITH_ADMIN = new Set([
  "repository_projects",
  "organization_projects",
  "organization_custom_properties",
  "enterprise_custom_properties_for_organizations",
]);
const ONLY: Record<string, PermissionLevel> = { workflows: "write", profile: "write", organization_plan: "read" };

function levelAllowed(name: string, level: PermissionLevel): boolean {
  const only = ONLY[name];
  if (only) return level === only;
  return level !== "admin" || WITH_ADMIN.has(name);
}

export function isPermissionLevel(value: unknown): value is PermissionLevel {
  return typeof value === "string" && (LEVELS as readonly string[]).includes(value);
}

export function levelAtLeast(level: PermissionLevel | undefined, minimum: PermissionLevel): boolean {
  return level !== undefined && LEVELS.indexOf(level) >= LEVELS.indexOf(minimum);
}

/** Reads `{name: level}` from untrusted JSON; null when any entry is not a permission name with a level. */
export function parsePermissions(value: unknown): AppPermissions | null {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return null;
  const parsed: AppPermissions = {};
  for (const [name, level] of Object.entries(value)) {
    if (!PERMISSION_NAME.test(name) || !isPermissionLevel(level) || !levelAllowed(name, level)) return null;
    parsed[name] = level;
  }
  return parsed;
}

/** Every App can read repository metadata, whether or not it asked: GitHub adds it to every installation. */
export function withMetadata(permissions: AppPermissions): AppPermissions {
  return levelAtLeast(permissions.metadata, "read") ? { ...permissions } : { ...permissions, metadata: "read" };
}

/** For each permission both grant, the lower level: what an App user token or a narrowed token can do. */
export function intersectPermissions(a: AppPermissions, b: AppPermissions): AppPermissions {
  const result: AppPermissions = {};
  for (const [name, level] of Object.entries(a)) {
    const other = b[name];
    if (other === undefined) continue;
    result[name] = LEVELS.indexOf(level) <= LEVELS.indexOf(other) ? level : other;
  }
  return result;
}

/** True when every requested permission is granted at least at the requested level. */
export function permissionsWithin(requested: AppPermissions, granted: AppPermissions): boolean {
  return Object.entries(requested).every(([name, level]) => levelAtLeast(granted[name], level));
}

/** The legacy role an installation's permissions amount to, for the `permissions` flags of a repository object. */
export function roleFromPermissions(permissions: AppPermissions): Role {
  if (levelAtLeast(permissions.administration, "write")) return "admin";
  if (levelAtLeast(permissions.contents, "write")) return "write";
  return "read";
}
