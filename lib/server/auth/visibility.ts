import "server-only";
import { env } from "@/lib/env";
import { signInMode } from "@/lib/config/sign-in";
import { fetchInstalledRepositories } from "@/lib/server/auth/app-user-access";
import { refreshShared, refreshWithin, type RefreshOutcome } from "@/lib/server/auth/access-refresh";
import { isConfiguredAdmin } from "@/lib/server/auth/admins";
import { fetchReadableRepositories, type Permission } from "@/lib/server/auth/github-access";
import { locateMovedRepositories } from "@/lib/server/auth/repository-identity";
import { freshUserToken, renewAfterRefusal } from "@/lib/server/auth/user-token";
import type { Db } from "@/lib/server/db/client";
import { GitHubError } from "@/lib/server/github/api";
import { applyRepositoryFactsStatement } from "@/lib/server/identity/repository-facts";
import { applyUserListStatements } from "@/lib/server/identity/repository-pins";
import { logger } from "@/lib/server/logger";

// What a signed-in person may see is what their GitHub token can read, cached in Postgres:
// - younger than TTL/2: used as is;
// - between TTL/2 and TTL: used, and refreshed in the background;
// - older than TTL: refreshed before use. If GitHub cannot answer, nothing is shown (fail closed)
//   and the page says why, so revoked access never outlives the TTL.
// When GitHub is asked, and how long a request waits for it, is access-refresh.ts's: a failure is
// retried with backoff (not on every request), and a request waits at most 3 s.

export type Viewer = {
  userId: string;
  login: string;
  name: string | null;
  image: string | null;
  isAdmin: boolean;
  repositories: ReadonlyMap<string, Permission>;
  /** The GitHub id of each of those repositories: what pipeline visibility compares (pipelines/visibility.ts). */
  repositoryIds: ReadonlyMap<string, bigint>;
  fetchedAt: Date | null;
  /** Why the list could not be refreshed (GitHub down, token revoked), shown to the user. */
  accessError: string | null;
};

/** The user's GitHub token, opened (and renewed when it is about to expire); null when there is none usable. */
export function userToken(db: Db, userId: string): Promise<string | null> {
  return freshUserToken(db, userId);
}

async function refresh(db: Db, userId: string, renewed = false): Promise<void> {
  let token: string | null = null;
  try {
    token = await userToken(db, userId);
    if (!token) throw new GitHubError(401, "no usable GitHub token; sign in again");
    const [repositories, isAdmin] = await Promise.all([
      // An App user token reaches the App's installations only; the rest of the product sees the same list.
      signInMode(env) === "github-app" ? fetchInstalledRepositories(token) : fetchReadableRepositories(token),
      isConfiguredAdmin(db, token, userId, env.STAGEBOARD_ADMINS),
    ]);
    const now = new Date();
    await db.$transaction([
      // Two refreshes of one person at once (two sign-ins, two instances) take turns here, so the
      // second replaces the first's list instead of failing on its rows.
      db.$executeRaw`SELECT 1 FROM "User" WHERE id = ${userId} FOR UPDATE`,
      db.userRepository.deleteMany({ where: { userId } }),
      db.userRepository.createMany({
        data: [...repositories].map(([fullName, { permission, githubId }]) => ({
          userId,
          fullName,
          permission,
          githubId,
        })),
      }),
      // Repositories named in the list are pinned to its ids, and renames it shows are followed.
      ...applyUserListStatements(db, userId, now),
      // And what the list says of each (private or public, default branch), which badges go by.
      applyRepositoryFactsStatement(db, [...repositories.values()]),
      db.user.update({ where: { id: userId }, data: { reposFetchedAt: now, reposError: null, isAdmin } }),
    ]);
    // Names nobody's list shows (renamed before they were pinned): GitHub's redirects say which repository.
    const opened = token;
    await locateMovedRepositories(db, {
      token: opened,
      userId,
      now,
      intervalMs: env.REPOSITORY_CACHE_TTL_SECONDS * 1000,
    }).catch((err: unknown) =>
      logger.warn(
        { userId, reason: err instanceof Error ? err.message : String(err) },
        "moved repositories not located",
      ),
    );
  } catch (err) {
    // A token GitHub no longer accepts may still be renewable (App sign-in); a refused renewal ends the sign-in.
    // Once: a token refused right after its renewal is not renewed again.
    if (!renewed && token && err instanceof GitHubError && err.status === 401) {
      const next = await renewAfterRefusal(db, userId, token).catch(() => null);
      if (next) return refresh(db, userId, true);
    }
    const message =
      err instanceof GitHubError && err.status === 401
        ? "GitHub no longer accepts your sign-in; sign in again"
        : "GitHub could not be reached to confirm your access";
    logger.warn(
      {
        userId,
        status: err instanceof GitHubError ? err.status : undefined,
        reason: err instanceof Error ? err.message : String(err),
      },
      "repository access refresh failed",
    );
    await db.user.update({ where: { id: userId }, data: { reposError: message } });
    throw err;
  }
}

/**
 * Refreshes one user's access unless an earlier failure's backoff or another instance is in the way;
 * concurrent calls share one GitHub round-trip. Never rejects.
 */
export function refreshAccess(
  db: Db,
  userId: string,
  // Kept for callers; administrators are matched by account id, never by login (admins.ts).
  _login: string,
  options: { now?: number; force?: boolean } = {},
): Promise<RefreshOutcome> {
  return refreshShared(db, userId, () => refresh(db, userId), options);
}

/** The user fields a Viewer is built from, whichever query read them. */
export type ViewerSource = {
  id: string;
  login: string;
  name: string | null;
  image: string | null;
  isAdmin: boolean;
  reposFetchedAt: Date | null;
  reposError: string | null;
  /** githubId as read: a bigint through Prisma, a decimal string through JSON; null on rows cached without one. */
  repositories: { fullName: string; permission: string; githubId: bigint | string | null }[];
};

const readUser = (db: Db, userId: string): Promise<ViewerSource | null> =>
  db.user.findUnique({
    where: { id: userId },
    select: {
      id: true,
      login: true,
      name: true,
      image: true,
      isAdmin: true,
      reposFetchedAt: true,
      reposError: true,
      repositories: { select: { fullName: true, permission: true, githubId: true } },
    },
  });

export async function loadViewer(db: Db, userId: string, now = Date.now()): Promise<Viewer | null> {
  // One round-trip in the common case: the user and their cached repositories together.
  const user = await readUser(db, userId);
  return user && viewerFrom(db, user, now);
}

/** Applies the cache rules above to a user already read (with their cached repositories). */
export async function viewerFrom(db: Db, user: ViewerSource, now = Date.now()): Promise<Viewer> {
  const ttlMs = env.REPOSITORY_CACHE_TTL_SECONDS * 1000;
  // A list cached before repository ids were stored cannot say what the viewer may see: refreshed first.
  const withIds = user.repositories.every((row) => row.githubId !== null);
  const age = user.reposFetchedAt && withIds ? now - user.reposFetchedAt.getTime() : Infinity;
  let current = user;
  let usable = age <= ttlMs;
  let outcome: RefreshOutcome | null = null;
  if (!usable) {
    outcome = await refreshWithin(db, user.id, refreshAccess(db, user.id, user.login, { now }));
    current = (await readUser(db, user.id)) ?? user;
    // Refreshed by this request, or by another one (or instance) while it waited. Otherwise (failed,
    // backing off, still running) nothing is shown until GitHub answers.
    const fetchedAt = current.reposFetchedAt?.getTime();
    usable = outcome.kind === "refreshed" || (fetchedAt !== undefined && now - fetchedAt <= ttlMs);
  } else if (age > ttlMs / 2) {
    void refreshAccess(db, user.id, user.login, { now });
  }
  return {
    userId: user.id,
    login: user.login,
    name: user.name,
    image: user.image,
    isAdmin: usable && current.isAdmin,
    repositories: new Map(
      usable ? current.repositories.map((row) => [row.fullName, row.permission as Permission]) : [],
    ),
    repositoryIds: new Map(
      usable
        ? current.repositories.flatMap((row) => (row.githubId === null ? [] : [[row.fullName, BigInt(row.githubId)]]))
        : [],
    ),
    fetchedAt: current.reposFetchedAt,
    accessError: usable
      ? null
      : (current.reposError ??
        (outcome?.kind === "timed-out" ? "GitHub has not confirmed your access yet" : "GitHub could not be reached")),
  };
}
