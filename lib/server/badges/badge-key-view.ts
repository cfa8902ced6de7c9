import "server-only";
import { badgeUrls } from "@/lib/badges/badge-urls";
import type { BadgeKeyState, BadgeKeyView } from "@/lib/badges/schemas";
import type { Db } from "@/lib/server/db/client";
import type { BadgeKeyRepository } from "./badge-key-access";
import { openBadgeKey } from "./badge-key";

/** The badge key section of a repository's settings, for someone badgeKeyManager let through. */
export async function loadBadgeKeyView(db: Db, repository: BadgeKeyRepository, origin: string): Promise<BadgeKeyView> {
  const [rows, stored] = await Promise.all([
    db.repository.findMany({ where: { githubId: repository.githubId }, select: { private: true } }),
    db.badgeKey.findUnique({ where: { repositoryGithubId: repository.githubId } }),
  ]);
  // As the badge routes decide it: private if any row of the repository says so.
  const isPrivate = rows.length === 0 || rows.some((row) => row.private);
  const opened = stored ? openBadgeKey(stored.keySealed, repository.githubId) : null;
  const key: BadgeKeyState = !stored
    ? { kind: "none" }
    : opened
      ? { kind: "shown", value: opened, createdAt: stored.createdAt.toISOString(), createdBy: stored.createdByLogin }
      : { kind: "unreadable", createdAt: stored.createdAt.toISOString(), createdBy: stored.createdByLogin };
  const usable = !isPrivate || key.kind === "shown";
  return {
    repository: repository.fullName,
    private: isPrivate,
    key,
    urls: usable
      ? badgeUrls({ origin, fullName: repository.fullName, key: isPrivate && opened ? opened : null })
      : null,
  };
}
