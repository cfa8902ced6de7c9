import "server-only";
import { RetryStageExecutionCommand } from "@aws-sdk/client-codepipeline";
import type { CommandBody } from "@/lib/control/contract";
import { awsRequestIdOf, shortId, type CommandSend } from "./send";

type RetryStage = Extract<CommandBody, { kind: "retry-stage" }>;

/** RetryStageExecution: the failed actions only, or every action of the stage, in the same execution. */
export function retryStage(body: RetryStage): CommandSend {
  return async ({ client, pipeline }) => {
    const output = await client.send(
      new RetryStageExecutionCommand({
        pipelineName: pipeline.name,
        stageName: body.stageName,
        pipelineExecutionId: body.executionId,
        retryMode: body.retryMode,
      }),
    );
    const what = body.retryMode === "ALL_ACTIONS" ? "every action" : "the failed actions";
    return {
      awsRequestId: awsRequestIdOf(output),
      message: `Retrying ${what} of ${body.stageName} in execution ${shortId(body.executionId)}.`,
    };
  };
}
