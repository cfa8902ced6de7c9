import "server-only";
import { ApiError } from "@/lib/server/api/errors";
import type { Viewer } from "@/lib/server/auth/visibility";
import { freshRepositoryPermission } from "@/lib/server/control/fresh-permission";
import { db as appDb, type Db } from "@/lib/server/db/client";

// Who manages a repository's notification webhooks: its GitHub admins and Stageboard administrators. Seeing
// the list (hints and the delivery log only) goes by the cached permission; every change asks GitHub afresh
// with the person's own token, so an admin demoted a minute ago changes nothing. A repository the viewer cannot
// see at all answers 404, as everywhere else.

export type WebhookRepository = { githubId: bigint; fullName: string };

/**
 * The repository as the viewer's GitHub list names it, and only if some pipeline delivers it: anyone can own a
 * repository on GitHub, and webhooks of one Stageboard has nothing about would only make it an HTTP relay.
 */
async function visibleRepository(viewer: Viewer, fullName: string, db: Db): Promise<WebhookRepository> {
  const key = fullName.toLowerCase();
  const githubId = viewer.repositoryIds.get(key);
  const known =
    githubId === undefined ? null : await db.repository.findFirst({ where: { githubId }, select: { id: true } });
  if (githubId === undefined || !known) throw new ApiError({ code: "not_found", message: "No such repository" });
  return { githubId, fullName: key };
}

const needsAdmin = (fullName: string, has: string | null | undefined) =>
  `Managing notifications needs admin on ${fullName}; you have ${has ?? "no access"}`;

/** For reading the webhooks and their deliveries. */
export async function webhookReader(viewer: Viewer, fullName: string, db: Db = appDb): Promise<WebhookRepository> {
  const repository = await visibleRepository(viewer, fullName, db);
  const cached = viewer.repositories.get(repository.fullName);
  if (!viewer.isAdmin && cached !== "admin")
    throw new ApiError({ code: "forbidden", message: needsAdmin(repository.fullName, cached) });
  return repository;
}

/** For any change: the permission as GitHub reports it now (one GitHub call), or the administrator flag. */
export async function webhookManager(viewer: Viewer, fullName: string, db: Db = appDb): Promise<WebhookRepository> {
  const repository = await visibleRepository(viewer, fullName, db);
  if (viewer.isAdmin) return repository;
  const permission = await freshRepositoryPermission(viewer.userId, repository.fullName, db);
  if (permission !== "admin")
    throw new ApiError({ code: "forbidden", message: needsAdmin(repository.fullName, permission) });
  return repository;
}
