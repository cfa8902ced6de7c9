// Shared test setup: a sandbox on a manual clock, a real SDK client pointed at it, and the model validator.
import { CodePipelineClient, type PipelineDeclaration } from "@aws-sdk/client-codepipeline";
import { startSandbox, type Sandbox, type SandboxOptions } from "../index";
import { createModelValidator } from "../test-support/model-validator";

export const START = Date.UTC(2026, 0, 15, 12, 0, 0);

export async function harness(options: SandboxOptions = {}) {
  // Every response is checked against AWS's model as the aws-sdk package ships it (members and types).
  const validator = createModelValidator();
  const sandbox: Sandbox = await startSandbox({
    clock: "manual",
    startTime: START,
    seed: "test",
    onResponse: (op, status, body) => validator.check(op, status, body),
    ...options,
  });
  const client = new CodePipelineClient({
    endpoint: sandbox.url,
    region: "us-east-1",
    credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "secret" },
    maxAttempts: 1,
  });
  const control = async (method: string, path: string, body?: unknown): Promise<Record<string, unknown>> => {
    const res = await fetch(`${sandbox.url}${path}`, {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { "content-type": "application/json" } }),
    });
    return (await res.json()) as Record<string, unknown>;
  };
  return {
    sandbox,
    client,
    validator,
    control,
    advance: (ms: number) => control("POST", "/_sandbox/clock/advance", { ms }),
    async close() {
      client.destroy();
      await sandbox.stop();
    },
  };
}

export type Harness = Awaited<ReturnType<typeof harness>>;

type Stage = NonNullable<PipelineDeclaration["stages"]>[number];
type Action = NonNullable<Stage["actions"]>[number];

export function build(name: string, runOrder = 1): Action {
  return {
    name,
    runOrder,
    actionTypeId: { category: "Build", owner: "AWS", provider: "CodeBuild", version: "1" },
    configuration: { ProjectName: name.toLowerCase() },
    inputArtifacts: [{ name: "Src" }],
  };
}

export function approval(name = "Approve"): Action {
  return { name, actionTypeId: { category: "Approval", owner: "AWS", provider: "Manual", version: "1" } };
}

/** A small V2 pipeline (GitHub connection source) whose later stages are given. */
export function pipeline(name: string, stages: Stage[], extra: Partial<PipelineDeclaration> = {}): PipelineDeclaration {
  return {
    name,
    roleArn: "arn:aws:iam::111122223333:role/pipeline-role",
    artifactStore: { type: "S3", location: "artifact-bucket" },
    pipelineType: "V2",
    executionMode: "SUPERSEDED",
    stages: [
      {
        name: "Source",
        actions: [
          {
            name: "Source",
            actionTypeId: { category: "Source", owner: "AWS", provider: "CodeStarSourceConnection", version: "1" },
            outputArtifacts: [{ name: "Src" }],
            configuration: {
              ConnectionArn: "arn:aws:codestar-connections:us-east-1:111122223333:connection/abc",
              FullRepositoryId: "acme/test",
              BranchName: "main",
            },
          },
        ],
      },
      ...stages,
    ],
    ...extra,
  };
}

/** Fixes an action's duration (and outcome) for the next runs. */
export function script(
  h: Harness,
  pipelineName: string,
  stage: string,
  action: string,
  durationMs: number,
  outcome?: "Succeeded" | "Failed",
) {
  return h.control("POST", "/_sandbox/scripts", {
    pipeline: pipelineName,
    stage,
    action,
    durationMs,
    ...(outcome ? { outcome } : {}),
  });
}
