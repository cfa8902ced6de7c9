import "server-only";
import { StartPipelineExecutionCommand } from "@aws-sdk/client-codepipeline";
import type { CommandBody } from "@/lib/control/contract";
import { ApiError } from "@/lib/server/api/errors";
import type { Db } from "@/lib/server/db/client";
import { recordStarter } from "./record-starter";
import { awsRequestIdOf, shortId, type CommandActor, type CommandSend } from "./send";

type StartExecution = Extract<CommandBody, { kind: "start-execution" }>;

/**
 * AWS's idempotency token for this attempt (`[a-zA-Z0-9-]{1,128}`): the SDK's own retries of one attempt
 * send it again, so they never start a second execution; the pipeline's id keeps two Stageboard databases
 * (each numbering its attempts from 1) from ever sending the same token.
 */
export function startToken(attemptId: string, pipelineId: string): string {
  return `stageboard-${attemptId}-${pipelineId}`.replace(/[^a-zA-Z0-9-]/g, "-").slice(0, 128);
}

/**
 * StartPipelineExecution ("Release change"): the latest source, or chosen commits (`sourceRevisions` of
 * type COMMIT_ID) and pipeline variables, which only V2 pipelines take. The person is recorded as the
 * execution's starter.
 */
export function startExecution(body: StartExecution, actor: CommandActor, db: Db): CommandSend {
  return async ({ client, pipeline, attemptId }) => {
    const chosen = body.sourceRevisions.length > 0 || body.variables.length > 0;
    if (chosen) {
      const row = await db.pipeline.findUnique({ where: { id: pipeline.id }, select: { pipelineType: true } });
      if (row?.pipelineType !== "V2")
        throw new ApiError({
          code: "unprocessable_entity",
          message: "Only a V2 pipeline can start with a chosen commit or variables; release the latest change instead.",
        });
    }
    const output = await client.send(
      new StartPipelineExecutionCommand({
        name: pipeline.name,
        clientRequestToken: startToken(attemptId, pipeline.id),
        ...(body.sourceRevisions.length > 0
          ? {
              sourceRevisions: body.sourceRevisions.map((r) => ({
                actionName: r.actionName,
                revisionType: "COMMIT_ID" as const,
                revisionValue: r.revisionValue,
              })),
            }
          : {}),
        ...(body.variables.length > 0 ? { variables: body.variables } : {}),
      }),
    );
    const executionId = output.pipelineExecutionId ?? null;
    if (executionId) await recordStarter(db, { pipelineId: pipeline.id, executionId, actor });
    const of =
      body.sourceRevisions.length > 0
        ? `of ${body.sourceRevisions.map((r) => r.revisionValue.slice(0, 7)).join(", ")}`
        : "of the latest source";
    return {
      awsRequestId: awsRequestIdOf(output),
      message: `Started ${executionId ? `execution ${shortId(executionId)}` : "an execution"} ${of}.`,
    };
  };
}
