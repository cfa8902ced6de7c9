import "server-only";
import { OverrideStageConditionCommand } from "@aws-sdk/client-codepipeline";
import type { CommandBody } from "@/lib/control/contract";
import { awsRequestIdOf, shortId, type CommandSend } from "./send";

type OverrideCondition = Extract<CommandBody, { kind: "override-condition" }>;

const WHICH = { BEFORE_ENTRY: "entry", ON_SUCCESS: "success" } as const;

/** OverrideStageCondition: the stage's entry or success condition counts as met for this execution. */
export function overrideCondition(body: OverrideCondition): CommandSend {
  return async ({ client, pipeline }) => {
    const output = await client.send(
      new OverrideStageConditionCommand({
        pipelineName: pipeline.name,
        stageName: body.stageName,
        pipelineExecutionId: body.executionId,
        conditionType: body.conditionType,
      }),
    );
    return {
      awsRequestId: awsRequestIdOf(output),
      message: `The ${WHICH[body.conditionType]} condition of ${body.stageName} is overridden for execution ${shortId(body.executionId)}.`,
    };
  };
}
