import "server-only";
import { env } from "@/lib/env";
import type { Db } from "@/lib/server/db/client";
import { effectivePolicy, type Policy } from "./policy";
import { readStoredLevels } from "./stored";

/** The policy of one stage (or pipeline, or repository): STAGEBOARD_POLICY's levels, then the stored ones. */
export async function policyFor(
  db: Pick<Db, "policyOverride">,
  scope: {
    repository: string | null;
    repositoryGithubId: bigint | null;
    pipelineId: string | null;
    stageName?: string | null;
  },
): Promise<Policy> {
  const stored = await readStoredLevels(db, scope.repositoryGithubId, scope.pipelineId, scope.stageName ?? null);
  return effectivePolicy({ instance: env.STAGEBOARD_POLICY, repository: scope.repository, stored });
}
