import "server-only";

// GitHub App permissions as GitHub writes them ({"checks": "write", "metadata": "read"}), compared the way GitHub
// grants them: a level includes the ones below it (admin ⊃ write ⊃ read). Pure: no GitHub, no database.

export type PermissionLevel = "read" | "write" | "admin";
export type Permissions = Readonly<Record<string, PermissionLevel>>;

const RANK: Record<PermissionLevel, number> = { read: 1, write: 2, admin: 3 };
const NAME = /^[a-z][a-z0-9_]{0,63}$/;

const isLevel = (value: unknown): value is PermissionLevel =>
  value === "read" || value === "write" || value === "admin";

/** The permissions in a GitHub answer; names or levels that are not GitHub's forms are left out (GitHub adds kinds). */
export function readPermissions(value: unknown): Record<string, PermissionLevel> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return {};
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).filter(
      (entry): entry is [string, PermissionLevel] => NAME.test(entry[0]) && isLevel(entry[1]),
    ),
  );
}

export interface PermissionGap {
  name: string;
  requested: PermissionLevel;
  /** What the installation granted so far; null: nothing. */
  granted: PermissionLevel | null;
}

/**
 * What the App asks for (GET /app) that an installation has not approved yet: a permission it lacks, or holds at a
 * lower level. GitHub keeps an installation on its old grant until an owner of the account accepts the new one.
 */
export function unapprovedPermissions(requested: Permissions, granted: Permissions): PermissionGap[] {
  return Object.entries(requested)
    .filter(([name, level]) => {
      const has = granted[name];
      return has === undefined || RANK[has] < RANK[level];
    })
    .map(([name, level]) => ({ name, requested: level, granted: granted[name] ?? null }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Stored as text ("checks:write"), so the cache needs no JSON shape of its own. */
export const permissionsToText = (permissions: Permissions): string[] =>
  Object.entries(permissions)
    .map(([name, level]) => `${name}:${level}`)
    .sort();

export function permissionsFromText(entries: readonly string[]): Record<string, PermissionLevel> {
  return readPermissions(Object.fromEntries(entries.map((entry) => entry.split(":", 2))));
}
