// The running sandbox validates exactly the operations it serves, with validateInput's wording,
// and every response it gives the JS SDK across those operations conforms to AWS's model. Run with
// the package model by served-operations.test.ts and with botocore's by served-operations.model-test.ts.
import {
  CodePipelineClient,
  CodePipelineServiceException,
  CreatePipelineCommand,
  DeletePipelineCommand,
  DisableStageTransitionCommand,
  EnableStageTransitionCommand,
  GetPipelineCommand,
  GetPipelineExecutionCommand,
  GetPipelineStateCommand,
  ListActionExecutionsCommand,
  ListPipelineExecutionsCommand,
  ListPipelinesCommand,
  ListRuleExecutionsCommand,
  ListTagsForResourceCommand,
  OverrideStageConditionCommand,
  RetryStageExecutionCommand,
  RollbackStageCommand,
  StartPipelineExecutionCommand,
  StopPipelineExecutionCommand,
  UpdatePipelineCommand,
  type PipelineDeclaration,
} from "@aws-sdk/client-codepipeline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type Sandbox } from "../index";
import { VALIDATED_OPERATIONS, validateInput } from "../validation/index";
import type { ServiceModel } from "./model-file";
import { createModelValidator, type ModelValidator } from "./model-validator";

const ROLE = "arn:aws:iam::111122223333:role/service-role/stageboard-pipeline";

function newPipeline(name: string): PipelineDeclaration {
  return {
    name,
    roleArn: ROLE,
    artifactStore: { type: "S3", location: "codepipeline-us-east-1-111122223333" },
    stages: [
      {
        name: "Source",
        actions: [
          {
            name: "Source",
            actionTypeId: { category: "Source", owner: "AWS", provider: "CodeStarSourceConnection", version: "1" },
            configuration: {
              ConnectionArn: "arn:aws:codestar-connections:us-east-1:111122223333:connection/0d4e",
              FullRepositoryId: "acme/conformance",
              BranchName: "main",
            },
            outputArtifacts: [{ name: "SourceOutput" }],
          },
        ],
      },
      {
        name: "Build",
        actions: [
          {
            name: "Build",
            actionTypeId: { category: "Build", owner: "AWS", provider: "CodeBuild", version: "1" },
            configuration: { ProjectName: "conformance" },
            inputArtifacts: [{ name: "SourceOutput" }],
          },
        ],
      },
    ],
  };
}

async function raw(url: string, operation: string, body: string): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${url}/`, {
    method: "POST",
    headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": `CodePipeline_20150709.${operation}` },
    body,
  });
  const text = await res.text();
  const json: unknown = text ? JSON.parse(text) : undefined;
  return { status: res.status, json };
}

/** Runs a call that may legitimately fail with a modelled error; returns the error name or "ok". */
async function outcome(call: () => Promise<unknown>): Promise<string> {
  try {
    await call();
    return "ok";
  } catch (error) {
    if (error instanceof CodePipelineServiceException) return error.name;
    throw error;
  }
}

export function describeServedOperations(title: string, loadModel: () => ServiceModel): void {
  describe(title, () => {
    let sandbox: Sandbox;
    let validator: ModelValidator;
    let client: CodePipelineClient;

    beforeAll(async () => {
      validator = createModelValidator(loadModel());
      sandbox = await startSandbox({
        clock: "manual",
        startTime: Date.UTC(2026, 0, 15, 12),
        seed: "conformance",
        pipelines: 4,
        onResponse: validator.check,
      });
      client = new CodePipelineClient({
        endpoint: sandbox.url,
        region: "us-east-1",
        credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "test" },
        maxAttempts: 1,
      });
    });

    afterAll(async () => {
      client?.destroy();
      await sandbox?.stop();
    });

    it("are exactly the validated ones, and answer a bad body with validateInput's message", async () => {
      const served: string[] = [];
      for (const operation of Object.keys(loadModel().operations)) {
        const { status, json } = await raw(sandbox.url, operation, "{}");
        const type: unknown = typeof json === "object" && json !== null ? Reflect.get(json, "__type") : undefined;
        if (type === "UnknownOperationException") continue;
        served.push(operation);
        const expected = validateInput(operation, {});
        if (expected)
          expect({ operation, status, json }).toEqual({
            operation,
            status: 400,
            json: { __type: "ValidationException", message: expected },
          });
      }
      expect(served.sort()).toEqual([...VALIDATED_OPERATIONS].sort());
    });

    it("answers every operation through the JS SDK with model-conformant responses", async () => {
      const listed = await client.send(new ListPipelinesCommand({ maxResults: 2 }));
      expect(listed.nextToken).toBeDefined();
      const name = listed.pipelines?.[0]?.name ?? "";
      const state = await client.send(new GetPipelineStateCommand({ name }));
      const stage = state.stageStates?.[1]?.stageName ?? "";
      await client.send(new GetPipelineCommand({ name }));
      const executions = await client.send(new ListPipelineExecutionsCommand({ pipelineName: name, maxResults: 5 }));
      const executionId = executions.pipelineExecutionSummaries?.[0]?.pipelineExecutionId ?? "";
      await client.send(new GetPipelineExecutionCommand({ pipelineName: name, pipelineExecutionId: executionId }));
      await client.send(
        new ListActionExecutionsCommand({ pipelineName: name, filter: { pipelineExecutionId: executionId } }),
      );
      await client.send(new ListRuleExecutionsCommand({ pipelineName: name, maxResults: 10 }));
      await client.send(
        new ListTagsForResourceCommand({ resourceArn: `arn:aws:codepipeline:us-east-1:111122223333:${name}` }),
      );

      await client.send(
        new DisableStageTransitionCommand({
          pipelineName: name,
          stageName: stage,
          transitionType: "Inbound",
          reason: "Holiday release hold",
        }),
      );
      await client.send(
        new EnableStageTransitionCommand({ pipelineName: name, stageName: stage, transitionType: "Inbound" }),
      );
      const outcomes = {
        retry: await outcome(() =>
          client.send(
            new RetryStageExecutionCommand({
              pipelineName: name,
              stageName: stage,
              pipelineExecutionId: executionId,
              retryMode: "FAILED_ACTIONS",
            }),
          ),
        ),
        rollback: await outcome(() =>
          client.send(
            new RollbackStageCommand({ pipelineName: name, stageName: stage, targetPipelineExecutionId: executionId }),
          ),
        ),
        override: await outcome(() =>
          client.send(
            new OverrideStageConditionCommand({
              pipelineName: name,
              stageName: stage,
              pipelineExecutionId: executionId,
              conditionType: "BEFORE_ENTRY",
            }),
          ),
        ),
      };
      expect(Object.values(outcomes).every((o) => o === "ok" || o.endsWith("Exception"))).toBe(true);

      const created = await client.send(
        new CreatePipelineCommand({
          pipeline: newPipeline("conformance-check"),
          tags: [{ key: "team", value: "platform" }],
        }),
      );
      expect(created.pipeline?.name).toBe("conformance-check");
      const updated = await client.send(
        new UpdatePipelineCommand({
          pipeline: { ...newPipeline("conformance-check"), pipelineType: "V2", executionMode: "QUEUED" },
        }),
      );
      expect(updated.pipeline?.version).toBe(2);
      const started = await client.send(
        new StartPipelineExecutionCommand({ name: "conformance-check", clientRequestToken: "conformance-1" }),
      );
      const stopped = await client.send(
        new StopPipelineExecutionCommand({
          pipelineName: "conformance-check",
          pipelineExecutionId: started.pipelineExecutionId,
          abandon: true,
          reason: "Superseded by a hotfix",
        }),
      );
      expect(stopped.pipelineExecutionId).toBe(started.pipelineExecutionId);
      await client.send(new DeletePipelineCommand({ name: "conformance-check" }));
      expect(await outcome(() => client.send(new GetPipelineCommand({ name: "conformance-check" })))).toBe(
        "PipelineNotFoundException",
      );

      expect(validator.responses()).toBeGreaterThan(60);
      expect(validator.errors()).toEqual([]);
    });
  });
}
