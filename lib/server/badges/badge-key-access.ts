import "server-only";
import { ApiError } from "@/lib/server/api/errors";
import type { Viewer } from "@/lib/server/auth/visibility";
import { freshRepositoryPermission } from "@/lib/server/control/fresh-permission";
import { db as appDb, type Db } from "@/lib/server/db/client";

// Who may see and rotate a repository's badge key: its GitHub admins, as GitHub says now (asked with the person's
// own token on every read and every rotation, never the cached list: the key opens the repository's badges), and
// Stageboard administrators. A repository the viewer cannot see, or one no pipeline delivers, answers 404.

export type BadgeKeyRepository = { githubId: bigint; fullName: string };

export async function badgeKeyManager(viewer: Viewer, fullName: string, db: Db = appDb): Promise<BadgeKeyRepository> {
  const key = fullName.toLowerCase();
  const githubId = viewer.repositoryIds.get(key);
  const known =
    githubId === undefined ? null : await db.repository.findFirst({ where: { githubId }, select: { id: true } });
  if (githubId === undefined || !known) throw new ApiError({ code: "not_found", message: "No such repository" });
  if (viewer.isAdmin) return { githubId, fullName: key };
  const permission = await freshRepositoryPermission(viewer.userId, key, db);
  if (permission !== "admin")
    throw new ApiError({
      code: "forbidden",
      message: `The badge key needs admin on ${key}; you have ${permission ?? "no access"}`,
    });
  return { githubId, fullName: key };
}
