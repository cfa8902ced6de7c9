import "server-only";
import { StopPipelineExecutionCommand } from "@aws-sdk/client-codepipeline";
import { fitStopReason } from "@/lib/control/aws-limits";
import type { CommandBody } from "@/lib/control/contract";
import { awsRequestIdOf, byline, shortId, type CommandActor, type CommandSend } from "./send";

type StopExecution = Extract<CommandBody, { kind: "stop-execution" }>;

/**
 * StopPipelineExecution: finishing in-progress actions first, or abandoning them. The reason AWS keeps
 * (≤ 200 characters) names the person; the full text stays in the audit log.
 */
export function stopExecution(body: StopExecution, actor: CommandActor): CommandSend {
  return async ({ client, pipeline }) => {
    const output = await client.send(
      new StopPipelineExecutionCommand({
        pipelineName: pipeline.name,
        pipelineExecutionId: body.executionId,
        abandon: body.abandon,
        reason: fitStopReason(body.reason.trim() || "Stopped", byline(actor)),
      }),
    );
    const how = body.abandon ? "abandoning its in-progress actions" : "letting its in-progress actions finish";
    return {
      awsRequestId: awsRequestIdOf(output),
      message: `Stopping execution ${shortId(body.executionId)}, ${how}.`,
    };
  };
}
