import "server-only";
import { githubFetch, githubPaginate } from "@/lib/server/github/api";

export type Permission = "admin" | "maintain" | "write" | "triage" | "read";
type RepoPayload = {
  full_name: string;
  permissions?: Partial<Record<"admin" | "maintain" | "push" | "triage" | "pull", boolean>>;
};

export function highestPermission(p: RepoPayload["permissions"]): Permission | null {
  if (!p) return null;
  if (p.admin) return "admin";
  if (p.maintain) return "maintain";
  if (p.push) return "write";
  if (p.triage) return "triage";
  if (p.pull) return "read";
  return null;
}

/** Every repository the token can read, with the viewer's permission on it (owner/name lower-cased). */
export async function fetchReadableRepositories(token: string): Promise<Map<string, Permission>> {
  const repos = await githubPaginate<RepoPayload>(
    "/user/repos?per_page=100&affiliation=owner,collaborator,organization_member&sort=full_name",
    token,
  );
  const result = new Map<string, Permission>();
  for (const repo of repos) {
    const permission = highestPermission(repo.permissions);
    if (permission && typeof repo.full_name === "string") result.set(repo.full_name.toLowerCase(), permission);
  }
  return result;
}

/**
 * Whether the viewer matches STAGEBOARD_ADMINS: entries are logins, `org:<org>` or `team:<org>/<team>`.
 * Memberships are only asked of GitHub when such an entry exists.
 */
export async function isConfiguredAdmin(token: string, login: string, admins: readonly string[]): Promise<boolean> {
  const me = login.toLowerCase();
  if (admins.some((entry) => !entry.includes(":") && entry.toLowerCase() === me)) return true;
  const orgs = admins.filter((e) => e.startsWith("org:")).map((e) => e.slice(4).toLowerCase());
  if (orgs.length) {
    const memberOf = await githubPaginate<{ login: string }>("/user/orgs?per_page=100", token);
    if (memberOf.some((org) => orgs.includes(org.login.toLowerCase()))) return true;
  }
  for (const entry of admins.filter((e) => e.startsWith("team:"))) {
    const [org, team] = entry.slice(5).split("/");
    if (!org || !team) continue;
    const path = `/orgs/${encodeURIComponent(org)}/teams/${encodeURIComponent(team)}/memberships/${encodeURIComponent(login)}`;
    const membership = await githubFetch(path, token).then(
      (r) => r.json() as Promise<{ state?: string }>,
      () => null,
    );
    if (membership?.state === "active") return true;
  }
  return false;
}
