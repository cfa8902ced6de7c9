import "server-only";
import { ApiError } from "@/lib/server/api/errors";
import type { Viewer } from "@/lib/server/auth/visibility";
import { freshRepositoryPermission } from "@/lib/server/control/fresh-permission";
import { db as appDb, type Db } from "@/lib/server/db/client";

// Who may see and change a repository's write-back settings: its GitHub admins, as GitHub says now (asked with the
// person's own token on every read and every change, never the cached list: the settings decide what Stageboard's
// App writes on the repository's commits and Environments page), and Stageboard administrators. A repository the
// viewer cannot see, or one no pipeline delivers, answers 404.

export type WritebackRepository = { githubId: bigint; fullName: string };

export async function writebackSettingsManager(
  viewer: Viewer,
  fullName: string,
  db: Db = appDb,
): Promise<WritebackRepository> {
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
      message: `The write-back settings need admin on ${key}; you have ${permission ?? "no access"}`,
    });
  return { githubId, fullName: key };
}
