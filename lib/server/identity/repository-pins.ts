import "server-only";
import { env } from "@/lib/env";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { Db } from "@/lib/server/db/client";

// Which GitHub repository a Repository row is: the numeric id its name was pinned to. Files here read and
// write Postgres only; what GitHub says reaches them from lib/server/auth (a signed-in user's list, or the
// 301 of a renamed repository).
//
// - Pinned once, the first time the name is seen through GitHub: until a GitHub App exists, in a signed-in
//   user's repository list (recorded as "user-repository-list"), or in GitHub's redirect of an old name to
//   the repository it now is ("rename-redirect").
// - Never re-pinned by name: if `acme/web-app` (id 1) is deleted and someone registers a new `acme/web-app`
//   (id 99), the row stays id 1, and the new repository's readers see none of its pipelines.
// - Followed across renames and transfers: the id stays, and the name GitHub now gives it (githubFullName)
//   is updated from any list that shows that id.
// - Unpinned rows are visible to nobody (pipelines/visibility.ts): fail closed.

export const PINNED_FROM_USER_LIST = "user-repository-list";
export const PINNED_FROM_REDIRECT = "rename-redirect";

/**
 * The statements that apply one user's freshly written repository list (UserRepository rows with ids) to
 * the Repository rows, for the transaction that writes the list: unpinned rows named in it are pinned, and
 * pinned rows whose id it shows under another name follow the rename.
 */
export function applyUserListStatements(db: Db, userId: string, now: Date): Prisma.PrismaPromise<number>[] {
  return [
    db.$executeRaw`
      UPDATE "Repository" r
         SET "githubId" = u."githubId", "githubIdSource" = ${PINNED_FROM_USER_LIST}, "githubIdPinnedAt" = ${now},
             "githubFullName" = u."fullName"
        FROM "UserRepository" u
       WHERE u."userId" = ${userId} AND u."githubId" IS NOT NULL AND r."githubId" IS NULL AND r."fullName" = u."fullName"`,
    db.$executeRaw`
      UPDATE "Repository" r SET "githubFullName" = u."fullName"
        FROM "UserRepository" u
       WHERE u."userId" = ${userId} AND r."githubId" = u."githubId" AND r."githubFullName" IS DISTINCT FROM u."fullName"`,
  ];
}

/**
 * Pins a repository row (just created by discovery, say) from the freshest list of a signed-in user that
 * names it, fetched within the last `maxAgeSeconds` (the repository cache's TTL: what the app trusts a list
 * for); returns whether it was pinned. An older list could predate a deletion and re-registration of the
 * name, so it is not used.
 */
export async function pinFromRecentLists(
  db: Db,
  repositoryId: string,
  maxAgeSeconds = env.REPOSITORY_CACHE_TTL_SECONDS,
): Promise<boolean> {
  const pinned = await db.$executeRaw`
    UPDATE "Repository" r
       SET "githubId" = f."githubId", "githubIdSource" = ${PINNED_FROM_USER_LIST}, "githubIdPinnedAt" = now(),
           "githubFullName" = r."fullName"
      FROM (SELECT ur."githubId" FROM "UserRepository" ur JOIN "User" u ON u.id = ur."userId"
             WHERE ur."fullName" = (SELECT "fullName" FROM "Repository" WHERE id = ${repositoryId})
               AND ur."githubId" IS NOT NULL AND u."reposFetchedAt" >= now() - make_interval(secs => ${maxAgeSeconds})
             ORDER BY u."reposFetchedAt" DESC LIMIT 1) f
     WHERE r.id = ${repositoryId} AND r."githubId" IS NULL`;
  return pinned > 0;
}

/**
 * Up to `limit` unpinned repositories with live pipelines, not asked about since `askedBefore`, marked as
 * asked now: names no signed-in user's list shows (renamed or transferred before they were pinned, or
 * nobody signed in can read them), whose whereabouts GitHub is asked for. Rows another refresh is marking
 * at the same moment are skipped, so no name is asked twice at once.
 */
export async function claimUnpinnedNames(
  db: Db,
  options: { limit: number; now: Date; askedBefore: Date },
): Promise<{ id: string; fullName: string }[]> {
  return db.$queryRaw<{ id: string; fullName: string }[]>`
    UPDATE "Repository" r SET "githubIdCheckedAt" = ${options.now}
     WHERE r.id IN (
       SELECT c.id FROM "Repository" c
        WHERE c."githubId" IS NULL AND (c."githubIdCheckedAt" IS NULL OR c."githubIdCheckedAt" < ${options.askedBefore})
          AND EXISTS (SELECT 1 FROM "Pipeline" p WHERE p."repositoryId" = c.id AND p."deletedAt" IS NULL)
        ORDER BY c."githubIdCheckedAt" ASC NULLS FIRST, c.id
        LIMIT ${options.limit}
        FOR UPDATE SKIP LOCKED)
    RETURNING r.id, r."fullName"`;
}

/**
 * Pins a repository row whose name GitHub redirects to the repository `githubId` (it was renamed or
 * transferred), with the name the user's list gives that id now, if it shows it.
 */
export async function pinFromRedirect(
  db: Db,
  options: { repositoryId: string; githubId: bigint; userId: string; now: Date },
): Promise<boolean> {
  const pinned = await db.$executeRaw`
    UPDATE "Repository" r
       SET "githubId" = ${options.githubId}, "githubIdSource" = ${PINNED_FROM_REDIRECT}, "githubIdPinnedAt" = ${options.now},
           "githubFullName" = (SELECT u."fullName" FROM "UserRepository" u
                                WHERE u."userId" = ${options.userId} AND u."githubId" = ${options.githubId} LIMIT 1)
     WHERE r.id = ${options.repositoryId} AND r."githubId" IS NULL`;
  return pinned > 0;
}
