import "server-only";
import { RollbackStageCommand } from "@aws-sdk/client-codepipeline";
import type { CommandBody } from "@/lib/control/contract";
import type { Db } from "@/lib/server/db/client";
import { recordStarter } from "./record-starter";
import { awsRequestIdOf, shortId, type CommandActor, type CommandSend } from "./send";

type RollbackStage = Extract<CommandBody, { kind: "rollback-stage" }>;

/**
 * RollbackStage: a new (rollback) execution runs the stage again with an earlier successful execution's
 * artifacts. The person who asked for it is recorded as its starter, as for any execution they start.
 */
export function rollbackStage(body: RollbackStage, actor: CommandActor, db: Db): CommandSend {
  return async ({ client, pipeline }) => {
    const output = await client.send(
      new RollbackStageCommand({
        pipelineName: pipeline.name,
        stageName: body.stageName,
        targetPipelineExecutionId: body.targetExecutionId,
      }),
    );
    const executionId = output.pipelineExecutionId ?? null;
    if (executionId) await recordStarter(db, { pipelineId: pipeline.id, executionId, actor });
    return {
      awsRequestId: awsRequestIdOf(output),
      message: `Rolling ${body.stageName} back to execution ${shortId(body.targetExecutionId)}${
        executionId ? ` in execution ${shortId(executionId)}` : ""
      }.`,
    };
  };
}
