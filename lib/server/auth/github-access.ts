import "server-only";
import { z } from "zod";
import { GitHubError, githubFetch, githubPaginate } from "@/lib/server/github/api";
import { GITHUB_API_URL } from "@/lib/server/github/config";

// What GitHub says about a user's reach and identity, asked with their token. Everything GitHub sends is
// checked before use: repositories and accounts are identified by their numeric ids (64-bit), never by
// their names, which their owners can change and others can then take.

export type Permission = "admin" | "maintain" | "write" | "triage" | "read";
type Permissions = Partial<Record<"admin" | "maintain" | "push" | "triage" | "pull", boolean>>;

/** A GitHub id: a positive integer JSON can carry exactly (GitHub's ids are far below 2^53 today). */
const githubId = z
  .number()
  .int()
  .positive()
  .refine(Number.isSafeInteger)
  .transform((id) => BigInt(id));

const repoPayload = z.object({
  id: githubId,
  // owner/name as GitHub allows them: the name is shown and put in links, so nothing else is taken.
  full_name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}\/[A-Za-z0-9_.-]{1,100}$/),
  permissions: z.record(z.string(), z.boolean()).optional(),
  // What badges need to know (lib/server/identity/repository-facts.ts); anything unreadable counts as private.
  private: z.boolean().catch(true),
  default_branch: z.string().min(1).max(255).nullable().catch(null),
});

export function highestPermission(p: Permissions | undefined): Permission | null {
  if (!p) return null;
  if (p.admin) return "admin";
  if (p.maintain) return "maintain";
  if (p.push) return "write";
  if (p.triage) return "triage";
  if (p.pull) return "read";
  return null;
}

export interface ReadableRepository {
  permission: Permission;
  /** GitHub's repository id: what visibility compares. */
  githubId: bigint;
  /** Private unless GitHub said `"private": false`. */
  private: boolean;
  defaultBranch: string | null;
}

/**
 * Every repository the token can read, by owner/name lower-cased, with the viewer's permission and the
 * repository's id. An entry GitHub sent malformed (no usable id, say) is left out: it grants nothing.
 */
export async function fetchReadableRepositories(token: string): Promise<Map<string, ReadableRepository>> {
  const repos = await githubPaginate<unknown>(
    "/user/repos?per_page=100&affiliation=owner,collaborator,organization_member&sort=full_name",
    token,
  );
  const result = new Map<string, ReadableRepository>();
  for (const item of repos) {
    const repo = repoPayload.safeParse(item);
    if (!repo.success) continue;
    const permission = highestPermission(repo.data.permissions);
    if (permission)
      result.set(repo.data.full_name.toLowerCase(), {
        permission,
        githubId: repo.data.id,
        private: repo.data.private,
        defaultBranch: repo.data.default_branch,
      });
  }
  return result;
}

const accountPayload = z.object({ id: githubId, login: z.string().max(100) });

/** The account a login belongs to now (GET /users/{login}), or null when no account has it. */
export async function resolveLogin(token: string, login: string): Promise<bigint | null> {
  try {
    const response = await githubFetch(`/users/${encodeURIComponent(login)}`, token);
    const account = accountPayload.safeParse(await response.json());
    return account.success && account.data.login.toLowerCase() === login.toLowerCase() ? account.data.id : null;
  } catch (error) {
    if (error instanceof GitHubError && error.status === 404) return null;
    throw error;
  }
}

/** The token's own account (GET /user): its id and its current login. */
export async function currentAccount(token: string): Promise<{ githubId: bigint; login: string }> {
  const account = accountPayload.safeParse(await (await githubFetch("/user", token)).json());
  if (!account.success) throw new GitHubError(0, "GitHub sent an unreadable account");
  return { githubId: account.data.id, login: account.data.login };
}

/** Whether the token's account belongs to one of `orgs` (lower-cased logins). */
export async function memberOfOrganization(token: string, orgs: readonly string[]): Promise<boolean> {
  const memberOf = await githubPaginate<unknown>("/user/orgs?per_page=100", token);
  return memberOf.some((org) => {
    const parsed = accountPayload.safeParse(org);
    return parsed.success && orgs.includes(parsed.data.login.toLowerCase());
  });
}

/** Whether `login` is an active member of the team; any failure counts as not. */
export async function activeTeamMember(token: string, org: string, team: string, login: string): Promise<boolean> {
  const path = `/orgs/${encodeURIComponent(org)}/teams/${encodeURIComponent(team)}/memberships/${encodeURIComponent(login)}`;
  const membership = await githubFetch(path, token).then(
    (r) => r.json() as Promise<unknown>,
    () => null,
  );
  return z.object({ state: z.literal("active") }).safeParse(membership).success;
}

export type RepositoryWhereabouts =
  /** The name redirects (a rename or transfer) to the repository with this id. */
  | { kind: "moved"; githubId: bigint }
  /** A repository answers at that name (or GitHub would not say where it went). */
  | { kind: "here" }
  | { kind: "unknown" };

const REPOSITORY_LOCATION = /^\/repositories\/([1-9]\d{0,18})$/;

/**
 * Where an old repository name leads: GitHub answers GET /repos/{owner}/{name} for a renamed or
 * transferred repository with 301 and `Location: <API>/repositories/{id}`. Only a Location on the
 * configured API host is believed.
 */
export async function repositoryWhereabouts(token: string, fullName: string): Promise<RepositoryWhereabouts> {
  const [owner = "", name = ""] = fullName.split("/");
  let response: Response;
  try {
    response = await githubFetch(`/repos/${encodeURIComponent(owner)}/${encodeURIComponent(name)}`, token, {
      redirect: "manual",
    });
  } catch (error) {
    if (error instanceof GitHubError && error.status === 404) return { kind: "unknown" };
    throw error;
  }
  await response.body?.cancel();
  if (response.status !== 301) return { kind: response.ok ? "here" : "unknown" };
  const location = response.headers.get("location") ?? "";
  const api = new URL(GITHUB_API_URL);
  const target = URL.canParse(location, api) ? new URL(location, api) : null;
  const apiPath = api.pathname.replace(/\/+$/, "");
  if (!target || target.origin !== api.origin || !target.pathname.startsWith(`${apiPath}/`)) return { kind: "unknown" };
  const match = REPOSITORY_LOCATION.exec(target.pathname.slice(apiPath.length));
  const id = match?.[1] ? BigInt(match[1]) : null;
  return id !== null && id <= 9_223_372_036_854_775_807n ? { kind: "moved", githubId: id } : { kind: "unknown" };
}
