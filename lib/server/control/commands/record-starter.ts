import "server-only";
import type { Db } from "@/lib/server/db/client";
import type { CommandActor } from "./send";

/**
 * Who started an execution from Stageboard (a release or a rollback): what the self-approval rule reads.
 * Written once AWS has answered with the execution's id; a retried request answered with the same id
 * (the same clientRequestToken) keeps the first row.
 */
export async function recordStarter(
  db: Db,
  input: { pipelineId: string; executionId: string; actor: CommandActor },
): Promise<void> {
  await db.executionStarter.createMany({
    data: [
      {
        pipelineId: input.pipelineId,
        executionId: input.executionId,
        githubId: input.actor.githubId,
        login: input.actor.login,
      },
    ],
    skipDuplicates: true,
  });
}
