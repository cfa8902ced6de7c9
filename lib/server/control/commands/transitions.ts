import "server-only";
import { DisableStageTransitionCommand, EnableStageTransitionCommand } from "@aws-sdk/client-codepipeline";
import { fitTransitionReason } from "@/lib/control/aws-limits";
import type { CommandBody } from "@/lib/control/contract";
import { awsRequestIdOf, byline, type CommandActor, type CommandSend } from "./send";

// A stage's inbound transition, the arrow into it that the pipeline page draws (broken while disabled).
// Only inbound ones: a stage's outbound transition is the next stage's inbound one.

type DisableTransition = Extract<CommandBody, { kind: "disable-transition" }>;
type EnableTransition = Extract<CommandBody, { kind: "enable-transition" }>;

/** DisableStageTransition with the reason fitted to AWS's pattern and length, naming the person. */
export function disableTransition(body: DisableTransition, actor: CommandActor): CommandSend {
  return async ({ client, pipeline }) => {
    const output = await client.send(
      new DisableStageTransitionCommand({
        pipelineName: pipeline.name,
        stageName: body.stageName,
        transitionType: "Inbound",
        reason: fitTransitionReason(body.reason, byline(actor)),
      }),
    );
    return {
      awsRequestId: awsRequestIdOf(output),
      message: `Executions no longer enter ${body.stageName}: its transition is disabled.`,
    };
  };
}

export function enableTransition(body: EnableTransition): CommandSend {
  return async ({ client, pipeline }) => {
    const output = await client.send(
      new EnableStageTransitionCommand({
        pipelineName: pipeline.name,
        stageName: body.stageName,
        transitionType: "Inbound",
      }),
    );
    return {
      awsRequestId: awsRequestIdOf(output),
      message: `The transition into ${body.stageName} is enabled: a waiting execution enters it.`,
    };
  };
}
