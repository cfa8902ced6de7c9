// The release gate benchmark's pipelines on the sandbox: V2 pipelines with a CodeStar connection source (what can be
// started at a chosen commit) in repositories of their own, their own trigger off (DetectChanges false, no
// triggers), so only the gate or the benchmark starts them. A stage after the source is scripted short, and the
// approval pipelines wait at a manual approval before it.
import {
  CodePipelineClient,
  CreatePipelineCommand,
  StartPipelineExecutionCommand,
  type PipelineDeclaration,
  type StageDeclaration,
} from "@aws-sdk/client-codepipeline";
import { connectionArnFor } from "@/sandbox/fleet/connections";
import type { Sandbox } from "@/sandbox";

export const APPROVAL_STAGE = "Approval";

function declaration(sandbox: Sandbox, name: string, repository: string, approval: boolean): PipelineDeclaration {
  const owner = repository.split("/")[0] ?? "acme";
  const stages: StageDeclaration[] = [
    {
      name: "Source",
      actions: [
        {
          name: "Source",
          actionTypeId: { category: "Source", owner: "AWS", provider: "CodeStarSourceConnection", version: "1" },
          outputArtifacts: [{ name: "Src" }],
          configuration: {
            ConnectionArn: connectionArnFor(sandbox.world.env, owner, "GitHub"),
            FullRepositoryId: repository,
            BranchName: "main",
            DetectChanges: "false",
          },
        },
      ],
    },
    ...(approval
      ? [
          {
            name: APPROVAL_STAGE,
            actions: [
              {
                name: APPROVAL_STAGE,
                actionTypeId: {
                  category: "Approval" as const,
                  owner: "AWS" as const,
                  provider: "Manual",
                  version: "1",
                },
              },
            ],
          },
        ]
      : []),
    {
      name: "Deploy",
      actions: [
        {
          name: "Deploy",
          actionTypeId: { category: "Build", owner: "AWS", provider: "CodeBuild", version: "1" },
          configuration: { ProjectName: "deploy" },
          inputArtifacts: [{ name: "Src" }],
        },
      ],
    },
  ];
  return {
    name,
    roleArn: "arn:aws:iam::111122223333:role/pipeline-role",
    artifactStore: { type: "S3", location: "artifact-bucket" },
    pipelineType: "V2",
    executionMode: "QUEUED",
    stages,
  };
}

export function sandboxClient(sandbox: Sandbox): CodePipelineClient {
  return new CodePipelineClient({
    endpoint: sandbox.url,
    region: "us-east-1",
    credentials: { accessKeyId: "AKIDBENCH", secretAccessKey: "bench-secret" },
    maxAttempts: 5,
  });
}

async function script(sandbox: Sandbox, pipeline: string, stage: string, durationMs: number) {
  await fetch(`${sandbox.url}/_sandbox/scripts`, {
    method: "POST",
    body: JSON.stringify({ pipeline, stage, action: stage, outcome: "Succeeded", durationMs }),
  });
}

export async function createFleet(
  sandbox: Sandbox,
  pipelines: { name: string; repository: string; approval?: boolean }[],
): Promise<void> {
  const client = sandboxClient(sandbox);
  for (const p of pipelines) {
    await script(sandbox, p.name, "Source", 200);
    await script(sandbox, p.name, "Deploy", 2_000);
    await client.send(
      new CreatePipelineCommand({ pipeline: declaration(sandbox, p.name, p.repository, !!p.approval) }),
    );
  }
}

/** What CodePipeline's own trigger would do on a push: an execution of exactly that commit (not through the tap). */
export async function startAt(sandbox: Sandbox, name: string, sha: string): Promise<string> {
  const output = await sandboxClient(sandbox).send(
    new StartPipelineExecutionCommand({
      name,
      sourceRevisions: [{ actionName: "Source", revisionType: "COMMIT_ID", revisionValue: sha }],
    }),
  );
  return output.pipelineExecutionId ?? "";
}
