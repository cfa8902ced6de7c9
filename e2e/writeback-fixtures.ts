import {
  CreatePipelineCommand,
  DeletePipelineCommand,
  GetPipelineExecutionCommand,
  GetPipelineStateCommand,
  PutApprovalResultCommand,
  type CodePipelineClient,
  type StageDeclaration,
} from "@aws-sdk/client-codepipeline";
import type { TestInfo } from "@playwright/test";
import type pg from "pg";
import { script, settle } from "./control-fixtures";
import { E2E } from "./environment";
import { githubSourceStage, jsonRequest, lambdaStage, syncedPipeline, test as base, uniqueName } from "./fixtures";

// Pipelines whose executions Stageboard writes back to GitHub: their source is a repository of their own under
// `acme`, where the stand-in's demo App is installed on every repository, so check runs and deployments reach the
// commit pages. Every action is scripted to take no time, so `settle` moves an execution through its stages with
// the sandbox's clock standing still, up to a manual approval (which waits until answered) or to its end.

export type WritebackPipeline = { id: string; name: string; repository: string; stages: string[] };
type PipelineOptions = { approval: boolean };

/** The error CodeBuild reports for a failed build, as the sandbox gives it (sandbox/sim/behaviour.ts). */
export const BUILD_FAILURE =
  "Build terminated with state: FAILED. Phase: BUILD, Code: COMMAND_EXECUTION_ERROR, Message: Error while executing command: npm test. Reason: exit status 1";

function buildStage(pipeline: string): StageDeclaration {
  return {
    name: "Build",
    actions: [
      {
        name: "Build",
        runOrder: 1,
        inputArtifacts: [{ name: "SourceArtifact" }],
        actionTypeId: { category: "Build", owner: "AWS", provider: "CodeBuild", version: "1" },
        configuration: { ProjectName: `${pipeline}-build` },
      },
    ],
  };
}

const approvalStage: StageDeclaration = {
  name: "Approval",
  actions: [
    {
      name: "Approve",
      runOrder: 1,
      actionTypeId: { category: "Approval", owner: "AWS", provider: "Manual", version: "1" },
    },
  ],
};

/**
 * Source → Build (CodeBuild) → Staging → [Approval →] Production, synced by Stageboard; its name is added to
 * `made` before it exists. The run AWS starts at creation is stored as history and not written back, so it is made
 * to fail at Build: it never holds the approval a live execution needs. `script(name, "Build", "Succeeded")` lets
 * the next push through.
 */
async function writebackPipeline(
  deps: { db: pg.Client; codepipeline: CodePipelineClient },
  testInfo: TestInfo,
  options: PipelineOptions,
  made: string[],
): Promise<WritebackPipeline> {
  const name = uniqueName(testInfo);
  const repository = `acme/${name}`;
  const stages = [
    githubSourceStage("acme", name),
    buildStage(name),
    lambdaStage(name, "Staging"),
    ...(options.approval ? [approvalStage] : []),
    lambdaStage(name, "Production"),
  ];
  for (const stage of ["Source", "Staging", "Production"]) await script(name, stage, "Succeeded");
  await script(name, "Build", "Failed");
  await jsonRequest(`${E2E.githubUrl}/_stand-in/repositories`, { repositories: [repository] });
  made.push(name);
  await deps.codepipeline.send(
    new CreatePipelineCommand({
      pipeline: {
        name,
        pipelineType: "V2",
        roleArn: `arn:aws:iam::111122223333:role/service-role/${name}`,
        artifactStore: { type: "S3", location: "codepipeline-us-east-1-e2e" },
        stages,
      },
    }),
  );
  await settle();
  const synced = await syncedPipeline(deps.db, name, stages.length);
  return { id: synced.id, name, repository, stages: synced.stages };
}

/**
 * `writeback.pipeline(options)` as above. The pipelines are deleted from the sandbox after the test: their
 * repositories are acme's, which the sandbox lists with the demo fleet's, so specs that take the fleet's
 * repositories from it would otherwise count them too.
 */
export const test = base.extend<{ writeback: { pipeline(options: PipelineOptions): Promise<WritebackPipeline> } }>({
  writeback: async ({ db, codepipeline }, provide, testInfo) => {
    const made: string[] = [];
    await provide({
      pipeline: (options) => writebackPipeline({ db, codepipeline }, testInfo, options, made),
    });
    for (const name of made) await codepipeline.send(new DeletePipelineCommand({ name }));
  },
});

/** A push of a commit with `message` to the pipeline's repository, which starts a live execution; its id. */
export async function pushCommit(pipeline: string, message: string): Promise<string> {
  const { started } = await jsonRequest<{ started: { pipelineExecutionId: string }[] }>(
    `${E2E.sandboxUrl}/_sandbox/activity`,
    { pipelines: [pipeline], message },
  );
  const id = started[0]?.pipelineExecutionId;
  if (!id) throw new Error(`no execution started on ${pipeline}`);
  return id;
}

/** The commit an execution delivers, as AWS reports it. */
export async function commitOf(codepipeline: CodePipelineClient, pipeline: string, executionId: string) {
  const { pipelineExecution } = await codepipeline.send(
    new GetPipelineExecutionCommand({ pipelineName: pipeline, pipelineExecutionId: executionId }),
  );
  const sha = pipelineExecution?.artifactRevisions?.[0]?.revisionId;
  if (!sha) throw new Error(`execution ${executionId} of ${pipeline} has no source revision`);
  return sha;
}

/** Approves, as someone in the AWS console would, the approval `executionId` waits on at the Approval stage. */
export async function approveInAws(codepipeline: CodePipelineClient, pipeline: string, executionId: string) {
  const state = await codepipeline.send(new GetPipelineStateCommand({ name: pipeline }));
  const stage = state.stageStates?.find((s) => s.stageName === "Approval");
  const token = stage?.actionStates?.find((a) => a.actionName === "Approve")?.latestExecution?.token;
  if (stage?.latestExecution?.pipelineExecutionId !== executionId || !token)
    throw new Error(`execution ${executionId} of ${pipeline} is not waiting for approval`);
  await codepipeline.send(
    new PutApprovalResultCommand({
      pipelineName: pipeline,
      stageName: "Approval",
      actionName: "Approve",
      token,
      result: { status: "Approved", summary: "Release it" },
    }),
  );
}

/** The words of a text, without its punctuation (a check run's summary is escaped Markdown). */
export const wordsOf = (value: string) => value.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
