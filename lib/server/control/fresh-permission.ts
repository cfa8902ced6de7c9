import "server-only";
import { z } from "zod";
import type { RepositoryPermission } from "@/lib/control/contract";
import { activeTeamMember, highestPermission } from "@/lib/server/auth/github-access";
import { userToken } from "@/lib/server/auth/visibility";
import { ApiError } from "@/lib/server/api/errors";
import { env } from "@/lib/env";
import { signInMode } from "@/lib/config/sign-in";
import { installationClient } from "@/lib/server/github/app";
import { db as appDb, type Db } from "@/lib/server/db/client";
import { GitHubError, githubFetch } from "@/lib/server/github/api";

// What GitHub says about a person's reach at the moment they decide or command, asked with their own token:
// never the visibility cache (up to REPOSITORY_CACHE_TTL_SECONDS old), so a permission revoked a minute ago
// is not used. Failing closed: GitHub not answering is a 503 "try again", never "allowed".

const UNREACHABLE = "GitHub could not be reached to confirm your permission; try again in a moment.";

/** The user's GitHub token, opened; null when there is none usable (sign in again). */
export function userGitHubToken(userId: string, db: Db = appDb): Promise<string | null> {
  return userToken(db, userId);
}

async function tokenOrThrow(userId: string, db: Db): Promise<string> {
  const token = await userGitHubToken(userId, db);
  if (!token)
    throw new ApiError({ code: "unauthorized", message: "GitHub no longer accepts your sign-in; sign in again." });
  return token;
}

const repositoryPayload = z.object({ permissions: z.record(z.string(), z.boolean()).optional() });

/** Turns GitHub's failures into what the person is told; a 404 (no access) is "no permission", not an error. */
function unreachable(error: unknown): never {
  if (error instanceof GitHubError && error.status === 401)
    throw new ApiError({ code: "unauthorized", message: "GitHub no longer accepts your sign-in; sign in again." });
  throw new ApiError({ code: "service_unavailable", message: UNREACHABLE });
}

/**
 * The user's highest permission on `fullName` now (GET /repos/{owner}/{repo}, its `permissions`), or null
 * when they have none (GitHub answers 404 for a private repository they cannot read). One GitHub call.
 */
export async function freshRepositoryPermission(
  userId: string,
  fullName: string,
  db: Db = appDb,
): Promise<RepositoryPermission | null> {
  if (signInMode(env) === "github-app") return installationPermission(userId, fullName, db);
  const token = await tokenOrThrow(userId, db);
  const [owner = "", name = ""] = fullName.split("/");
  let body: unknown;
  try {
    const response = await githubFetch(`/repos/${encodeURIComponent(owner)}/${encodeURIComponent(name)}`, token);
    body = await response.json();
  } catch (error) {
    if (error instanceof GitHubError && (error.status === 404 || error.status === 403)) return null;
    unreachable(error);
  }
  const parsed = repositoryPayload.safeParse(body);
  if (!parsed.success) unreachable(new GitHubError(0, "unreadable repository"));
  return highestPermission(parsed.data.permissions);
}

const ROLES: Record<string, RepositoryPermission> = {
  admin: "admin",
  maintain: "maintain",
  write: "write",
  triage: "triage",
  read: "read",
};
const collaboratorPayload = z.object({ permission: z.string(), role_name: z.string().optional() });

/** GitHub's answer for a person's role: the real role when it is a built-in one, else the legacy base permission. */
function roleFrom(body: z.infer<typeof collaboratorPayload>): RepositoryPermission | null {
  return (body.role_name ? ROLES[body.role_name] : undefined) ?? ROLES[body.permission] ?? null;
}

type Installed = Extract<Awaited<ReturnType<typeof installationClient>>, { kind: "installed" }>;

/** The App's installation on `fullName`, or the reason nobody's permission there can be confirmed. */
async function installedOn(fullName: string, db: Db): Promise<Installed> {
  let client: Awaited<ReturnType<typeof installationClient>>;
  try {
    client = await installationClient(fullName, { mode: "interactive", db });
  } catch (error) {
    unreachable(error);
  }
  if (client.kind === "not-installed")
    throw new ApiError({
      code: "forbidden",
      message: `The Stageboard GitHub App is not installed on ${fullName}, so your permission there cannot be confirmed.`,
    });
  if (client.kind !== "installed") unreachable(new GitHubError(0, client.message));
  return client;
}

/**
 * `login`'s role on `fullName` now, asked through the repository's installation
 * (GET /repos/{o}/{r}/collaborators/{login}/permission): what App sign-in and clicks on GitHub both rely on.
 * Not installed there: no permission can be confirmed, and the person is told why.
 */
export async function installationRole(
  login: string,
  fullName: string,
  db: Db = appDb,
): Promise<RepositoryPermission | null> {
  const client = await installedOn(fullName, db);
  const [owner = "", repo = ""] = fullName.split("/");
  try {
    const { data } = await client.octokit.request("GET /repos/{owner}/{repo}/collaborators/{username}/permission", {
      owner,
      repo,
      username: login,
    });
    const parsed = collaboratorPayload.safeParse(data);
    if (!parsed.success) unreachable(new GitHubError(0, "unreadable permission"));
    return roleFrom(parsed.data);
  } catch (error) {
    if (error instanceof ApiError) throw error;
    const status = (error as { status?: unknown }).status;
    if (status === 404 || status === 403) return null;
    unreachable(error);
  }
}

/**
 * With the GitHub App's sign-in, a user token carries only what both the person and the App may do, so the person's
 * own permission is asked through the repository's installation.
 */
async function installationPermission(userId: string, fullName: string, db: Db): Promise<RepositoryPermission | null> {
  // The person must still be signed in (and their sign-in still renewed by GitHub) to decide anything.
  await tokenOrThrow(userId, db);
  const user = await db.user.findUnique({ where: { id: userId }, select: { login: true } });
  if (!user) throw new ApiError({ code: "unauthorized", message: "Sign in again." });
  return installationRole(user.login, fullName, db);
}

/**
 * The first of `teams` that `login` is an active member of, asked through the installation on `fullName`
 * (GET /orgs/{org}/teams/{slug}/memberships/{login}, which needs the App's organization members permission).
 * Any answer but an active membership counts as not a member (fails closed).
 */
export async function installationTeamMembership(
  login: string,
  teams: readonly string[],
  fullName: string,
  db: Db = appDb,
): Promise<string | null> {
  if (teams.length === 0) return null;
  const client = await installedOn(fullName, db);
  for (const team of teams) {
    const [org = "", slug = ""] = team.split("/");
    const membership = await client.octokit
      .request("GET /orgs/{org}/teams/{team_slug}/memberships/{username}", { org, team_slug: slug, username: login })
      .then(
        (r) => r.data as unknown,
        () => null,
      );
    if (z.object({ state: z.literal("active") }).safeParse(membership).success) return team;
  }
  return null;
}

/** Reads a GitHub REST path (with its query) as JSON; throws on a failure. */
export type GitHubReader = (path: string) => Promise<unknown>;

/** A reader acting as the App's installation on `fullName` (for a sender, who has no token of theirs here). */
export function installationChangeReader(fullName: string, db: Db = appDb): GitHubReader {
  return async (path) => {
    const client = await installedOn(fullName, db);
    const response: { data: unknown } = await client.octokit.request(`GET ${path}`);
    return response.data;
  };
}

/**
 * The first of `teams` (`org/team`) that `login` is an active member of, or null: one GitHub call per team
 * until one answers yes. A team GitHub does not confirm counts as not a member (fails closed).
 */
export async function freshTeamMembership(
  userId: string,
  login: string,
  teams: readonly string[],
  db: Db = appDb,
): Promise<string | null> {
  if (teams.length === 0) return null;
  const token = await tokenOrThrow(userId, db);
  for (const team of teams) {
    const [org = "", slug = ""] = team.split("/");
    if (await activeTeamMember(token, org, slug, login)) return team;
  }
  return null;
}
