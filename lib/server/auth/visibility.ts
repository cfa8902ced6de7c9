import "server-only";
import { env } from "@/lib/env";
import { refreshShared, refreshWithin, type RefreshOutcome } from "@/lib/server/auth/access-refresh";
import { fetchReadableRepositories, isConfiguredAdmin, type Permission } from "@/lib/server/auth/github-access";
import { decryptToken } from "@/lib/server/auth/token-crypto";
import type { Db } from "@/lib/server/db/client";
import { GitHubError } from "@/lib/server/github/api";
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
  fetchedAt: Date | null;
  /** Why the list could not be refreshed (GitHub down, token revoked), shown to the user. */
  accessError: string | null;
};

async function userToken(db: Db, userId: string): Promise<string | null> {
  const account = await db.account.findFirst({
    where: { userId, provider: "github" },
    select: { access_token: true },
    orderBy: { id: "desc" },
  });
  if (!account?.access_token || !env.TOKEN_ENCRYPTION_KEY) return null;
  return decryptToken(account.access_token, env.TOKEN_ENCRYPTION_KEY);
}

async function refresh(db: Db, userId: string, login: string): Promise<void> {
  const token = await userToken(db, userId);
  try {
    if (!token) throw new GitHubError(401, "no usable GitHub token; sign in again");
    const [repositories, isAdmin] = await Promise.all([
      fetchReadableRepositories(token),
      isConfiguredAdmin(token, login, env.STAGEBOARD_ADMINS),
    ]);
    await db.$transaction([
      db.userRepository.deleteMany({ where: { userId } }),
      db.userRepository.createMany({
        data: [...repositories].map(([fullName, permission]) => ({ userId, fullName, permission })),
      }),
      db.user.update({ where: { id: userId }, data: { reposFetchedAt: new Date(), reposError: null, isAdmin } }),
    ]);
  } catch (err) {
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
  login: string,
  options: { now?: number; force?: boolean } = {},
): Promise<RefreshOutcome> {
  return refreshShared(db, userId, () => refresh(db, userId, login), options);
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
  repositories: { fullName: string; permission: string }[];
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
      repositories: { select: { fullName: true, permission: true } },
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
  const age = user.reposFetchedAt ? now - user.reposFetchedAt.getTime() : Infinity;
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
    fetchedAt: current.reposFetchedAt,
    accessError: usable
      ? null
      : (current.reposError ??
        (outcome?.kind === "timed-out" ? "GitHub has not confirmed your access yet" : "GitHub could not be reached")),
  };
}
