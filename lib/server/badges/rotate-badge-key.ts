import "server-only";
import { ApiError } from "@/lib/server/api/errors";
import { recordPolicyChange } from "@/lib/server/control/audit/record";
import type { Db } from "@/lib/server/db/client";
import type { Viewer } from "@/lib/server/session";
import type { BadgeKeyRepository } from "./badge-key-access";
import { hashBadgeKey, newBadgeKey, sealBadgeKey } from "./badge-key";

// Creates a repository's badge key, or replaces it: the old key stops opening the badges the moment this commits,
// and the audit entry (who, when, what the key replaced: never the key) commits with it, as a settings change.

export async function rotateBadgeKey(
  db: Db,
  input: { viewer: Viewer; repository: BadgeKeyRepository; requestId: string },
): Promise<void> {
  const { repository } = input;
  const user = await db.user.findUnique({
    where: { id: input.viewer.userId },
    select: { githubId: true, login: true },
  });
  if (!user) throw new ApiError({ code: "unauthorized", message: "Sign in to use this API" });
  const key = newBadgeKey();
  const row = {
    keyHash: hashBadgeKey(key),
    keySealed: sealBadgeKey(key, repository.githubId),
    createdAt: new Date(),
    createdByLogin: user.login,
  };
  await db.$transaction(async (tx) => {
    const before = await tx.badgeKey.findUnique({
      where: { repositoryGithubId: repository.githubId },
      select: { createdAt: true, createdByLogin: true },
    });
    await recordPolicyChange(tx, {
      actor: { githubId: user.githubId, login: user.login },
      subject: {
        repository: repository.fullName,
        repositoryGithubId: repository.githubId,
        pipelineId: null,
        pipelineName: null,
      },
      before: {
        badgeKey: before ? { createdAt: before.createdAt.toISOString(), createdBy: before.createdByLogin } : null,
      },
      after: { badgeKey: { createdAt: row.createdAt.toISOString(), createdBy: row.createdByLogin } },
      requestId: input.requestId,
    });
    await tx.badgeKey.upsert({
      where: { repositoryGithubId: repository.githubId },
      create: { repositoryGithubId: repository.githubId, ...row },
      update: row,
    });
  });
}
