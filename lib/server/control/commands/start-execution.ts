import "server-only";
import { StartPipelineExecutionCommand } from "@aws-sdk/client-codepipeline";
import type { CommandBody } from "@/lib/control/contract";
import { commitOverrideSupport } from "@/lib/pipelines/commit-start";
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
 * Why the chosen commits or variables cannot be sent, or null. A commit goes to a source action that takes a
 * COMMIT_ID override (lib/pipelines/commit-start.ts: a connection or CodeCommit source of a V2 pipeline, never a
 * GitHub version 1 source); pipeline variables exist on V2 pipelines only ("What type of pipeline is right for me?":
 * "Pipeline-level variables: V1 type Not supported"), so a V1 pipeline has none to set.
 */
async function refusal(body: StartExecution, pipeline: { id: string; name: string }, db: Db): Promise<string | null> {
  if (body.sourceRevisions.length === 0 && body.variables.length === 0) return null;
  const row = await db.pipeline.findUnique({
    where: { id: pipeline.id },
    select: {
      pipelineType: true,
      definitions: { orderBy: { version: "desc" }, take: 1, select: { definition: true } },
    },
  });
  if (body.variables.length > 0 && row?.pipelineType !== "V2")
    return "Only a V2 pipeline takes pipeline variables; release the latest change instead.";
  const declared = { pipelineType: row?.pipelineType ?? null, definition: row?.definitions[0]?.definition ?? null };
  for (const revision of body.sourceRevisions) {
    const support = commitOverrideSupport(declared, revision.actionName);
    if (!support.ok) return `${pipeline.name} cannot be started at a chosen commit: ${support.reason}.`;
  }
  return null;
}

/**
 * StartPipelineExecution ("Release change"): the latest source, or chosen commits (`sourceRevisions` of
 * type COMMIT_ID) and pipeline variables where the pipeline takes them (refused before AWS is called
 * otherwise). The person is recorded as the execution's starter.
 */
export function startExecution(body: StartExecution, actor: CommandActor, db: Db): CommandSend {
  return async ({ client, pipeline, attemptId }) => {
    const refused = await refusal(body, pipeline, db);
    if (refused) throw new ApiError({ code: "unprocessable_entity", message: refused });
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
