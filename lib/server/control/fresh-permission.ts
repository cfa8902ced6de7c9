import "server-only";
import { z } from "zod";
import type { RepositoryPermission } from "@/lib/control/contract";
import { activeTeamMember, highestPermission } from "@/lib/server/auth/github-access";
import { userToken } from "@/lib/server/auth/visibility";
import { ApiError } from "@/lib/server/api/errors";
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
