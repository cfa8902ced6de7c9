// The approvals benchmark's fleet: pipelines of its own on the sandbox, each Source → Build → Approval →
// Deploy with a GitHub (version 1) source in one of the stand-in's repositories. Source and Build are
// scripted to take no time, so the execution that CreatePipeline starts waits at the manual approval at
// once; Deploy is scripted to run for a while, so an approval's effect is "Approval succeeded, Deploy in
// progress", both shown by one GetPipelineState (the sandbox starts the next stage in the same instant).
import { CodePipelineClient, CreatePipelineCommand, type PipelineDeclaration } from "@aws-sdk/client-codepipeline";
import type pg from "pg";

export const APPROVAL_STAGE = "Approval";
export const NEXT_STAGE = "Deploy";
/** Long enough that Deploy is still running when the decision shows, short enough to leave the pipeline idle after. */
const DEPLOY_MS = 45_000;

export type ReadyApproval = {
  pipeline: string;
  pipelineId: string;
  approvalId: string;
  /** AWS's pipeline execution id of the execution that waits. */
  executionId: string;
};

function declaration(name: string, repository: string): PipelineDeclaration {
  const [owner = "", repo = ""] = repository.split("/");
  const invoke = (stage: string) => ({
    name: stage,
    actions: [
      {
        name: stage,
        runOrder: 1,
        inputArtifacts: [{ name: "SourceArtifact" }],
        actionTypeId: { category: "Invoke" as const, owner: "AWS" as const, provider: "Lambda", version: "1" },
        configuration: { FunctionName: `${name}-${stage.toLowerCase()}` },
      },
    ],
  });
  return {
    name,
    roleArn: `arn:aws:iam::111122223333:role/service-role/${name}`,
    artifactStore: { type: "S3", location: "codepipeline-us-east-1-bench" },
    stages: [
      {
        name: "Source",
        actions: [
          {
            name: "Source",
            runOrder: 1,
            outputArtifacts: [{ name: "SourceArtifact" }],
            actionTypeId: { category: "Source", owner: "ThirdParty", provider: "GitHub", version: "1" },
            configuration: {
              Owner: owner,
              Repo: repo,
              Branch: "main",
              OAuthToken: "bench",
              PollForSourceChanges: "false",
            },
          },
        ],
      },
      invoke("Build"),
      {
        name: APPROVAL_STAGE,
        actions: [
          {
            name: "Approve",
            runOrder: 1,
            actionTypeId: { category: "Approval", owner: "AWS", provider: "Manual", version: "1" },
            configuration: { CustomData: `Release ${name}` },
          },
        ],
      },
      invoke(NEXT_STAGE),
    ],
  };
}

async function script(sandboxUrl: string, pipeline: string, stage: string, durationMs: number): Promise<void> {
  const response = await fetch(`${sandboxUrl}/_sandbox/scripts`, {
    method: "POST",
    body: JSON.stringify({ pipeline, stage, action: stage, outcome: "Succeeded", durationMs }),
  });
  if (!response.ok) throw new Error(`scripting ${pipeline}/${stage} answered ${response.status}`);
}

/** Creates `names` on the sandbox in `repository`, each with its first execution waiting for approval. */
export async function createApprovalPipelines(
  sandboxUrl: string,
  repository: string,
  names: readonly string[],
): Promise<void> {
  const client = new CodePipelineClient({
    endpoint: sandboxUrl,
    region: "us-east-1",
    credentials: { accessKeyId: "AKIDBENCH", secretAccessKey: "bench-secret" },
  });
  try {
    for (const name of names) {
      // Scripts first: the execution CreatePipeline starts runs through them at once.
      await script(sandboxUrl, name, "Source", 0);
      await script(sandboxUrl, name, "Build", 0);
      await script(sandboxUrl, name, NEXT_STAGE, DEPLOY_MS);
      await client.send(new CreatePipelineCommand({ pipeline: declaration(name, repository) }));
    }
  } finally {
    client.destroy();
  }
}

/**
 * The pipelines among `names` whose waiting approval Stageboard has stored, with everything a decision
 * reads: the pipeline mapped to its repository, the execution (and its commit) the approval belongs to.
 */
export async function readyApprovals(client: pg.Client, names: readonly string[]): Promise<ReadyApproval[]> {
  const { rows } = await client.query<ReadyApproval>(
    `SELECT p.name AS pipeline, p.id AS "pipelineId", a.id AS "approvalId", a."executionId" AS "executionId"
       FROM "Pipeline" p
       JOIN "Approval" a ON a."pipelineId" = p.id AND a.status = 'Pending'
       JOIN "Execution" e ON e."pipelineId" = p.id AND e."executionId" = a."executionId" AND e."commitSha" IS NOT NULL
      WHERE p.name = ANY($1::text[]) AND p."repositoryId" IS NOT NULL
      ORDER BY p.name`,
    [names],
  );
  return rows;
}

/** Waits until every one of `names` has its approval ready; the approvals, by pipeline name. */
export async function waitForApprovals(
  client: pg.Client,
  names: readonly string[],
  timeoutMs: number,
  alive: () => Promise<void>,
): Promise<Map<string, ReadyApproval>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await alive();
    const ready = await readyApprovals(client, names);
    if (ready.length === names.length) return new Map(ready.map((r) => [r.pipeline, r]));
    if (Date.now() > deadline)
      throw new Error(`only ${ready.length} of ${names.length} approvals were synced within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 500));
  }
}
