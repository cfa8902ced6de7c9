import "server-only";
import { repositoryWhereabouts } from "@/lib/server/auth/github-access";
import type { Db } from "@/lib/server/db/client";
import { claimUnpinnedNames, pinFromRedirect } from "@/lib/server/identity/repository-pins";
import { logger } from "@/lib/server/logger";

// Pinning repository names that no signed-in user's list shows, by asking GitHub where they went: a
// pipeline declared with `acme/web-app` before the repository became `acme/site` names it by the old name
// for ever, and GitHub answers that name with a 301 to the repository's id. Asked with a signed-in user's
// token during their access refresh, a few names at a time, each name at most once per `intervalMs` (a
// name the asking user cannot read answers 404 and is asked again, perhaps by someone who can, later).

/** Names asked about per refresh: a bounded cost on top of the user's own list. */
export const NAMES_PER_REFRESH = 5;

export async function locateMovedRepositories(
  db: Db,
  options: { token: string; userId: string; now: Date; intervalMs: number },
): Promise<number> {
  const names = await claimUnpinnedNames(db, {
    limit: NAMES_PER_REFRESH,
    now: options.now,
    askedBefore: new Date(options.now.getTime() - options.intervalMs),
  });
  let pinned = 0;
  for (const { id, fullName } of names) {
    const where = await repositoryWhereabouts(options.token, fullName).catch((err: unknown) => {
      logger.warn({ reason: err instanceof Error ? err.message : String(err) }, "repository whereabouts not known");
      return { kind: "unknown" } as const;
    });
    if (where.kind !== "moved") continue;
    const done = await pinFromRedirect(db, {
      repositoryId: id,
      githubId: where.githubId,
      userId: options.userId,
      now: options.now,
    });
    if (done) pinned++;
  }
  return pinned;
}
