import "server-only";
import { StartPipelineExecutionCommand } from "@aws-sdk/client-codepipeline";
import { commitStartSupport } from "@/lib/pipelines/commit-start";
import { controlClientFor } from "@/lib/server/aws/control-client";
import { describeControlError } from "@/lib/server/aws/control-errors";
import type { Db } from "@/lib/server/db/client";
import { gateStartToken } from "./decide/start-token";
import type { GatePipeline, StartOutcome } from "./evaluate-commits";

// The gate's StartPipelineExecution for exactly one commit: `sourceRevisions` with the commit's COMMIT_ID on the
// pipeline's one source action of the repository (lib/pipelines/commit-start.ts says which, or why none can take
// it), and the token derived from the pipeline and the commit. AWS's throttling and outages are tried again later
// (the same token); anything else AWS refuses is final for this commit, with AWS's reason.

export async function startCommit(db: Db, pipeline: GatePipeline, sha: string): Promise<StartOutcome> {
  const row = await db.pipeline.findUnique({
    where: { id: pipeline.id },
    select: {
      name: true,
      targetId: true,
      arn: true,
      pipelineType: true,
      definitions: { orderBy: { version: "desc" }, take: 1, select: { definition: true } },
    },
  });
  if (!row) return { kind: "refused", reason: "The pipeline no longer exists." };
  const support = commitStartSupport({
    pipelineType: row.pipelineType,
    definition: row.definitions[0]?.definition ?? null,
    repositoryFullName: pipeline.repository,
  });
  if (!support.ok)
    return { kind: "refused", reason: `This pipeline cannot be started at a chosen commit: ${support.reason}.` };
  try {
    const client = await controlClientFor(row.targetId);
    const output = await client.send(
      new StartPipelineExecutionCommand({
        name: row.name,
        clientRequestToken: gateStartToken(pipeline.id, sha),
        sourceRevisions: [{ actionName: support.actionName, revisionType: "COMMIT_ID", revisionValue: sha }],
      }),
    );
    if (!output.pipelineExecutionId) return { kind: "failed", message: "AWS answered without an execution id" };
    return {
      kind: "started",
      executionId: output.pipelineExecutionId,
      awsRequestId: output.$metadata.requestId ?? null,
    };
  } catch (error) {
    const failure = describeControlError(error, "StartPipelineExecution", row.arn ?? undefined);
    const retryable =
      failure.code === "service_unavailable" ||
      failure.awsErrorName === "ConcurrentPipelineExecutionsLimitExceededException";
    return retryable ? { kind: "failed", message: failure.message } : { kind: "refused", reason: failure.message };
  }
}
