// An independent client (the AWS SDK for JavaScript v2, its own model and parsers) against the
// sandbox, cross-checked with the v3 SDK the product uses.
import {
  CodePipelineClient,
  GetPipelineStateCommand,
  ListPipelinesCommand,
  paginateListActionExecutions,
  paginateListPipelineExecutions,
} from "@aws-sdk/client-codepipeline";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startSandbox, type Sandbox } from "../index";
import { createModelValidator, type ModelValidator } from "../test-support/model-validator";
import { ACTION_PAGE, driveWithV2, EXECUTION_PAGE, V2_ENVIRONMENT, v2Client, type V2View } from "./aws-sdk-v2-client";

async function collect<T>(pages: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) out.push(page);
  return out;
}

describe("aws-sdk v2 client against the sandbox", () => {
  let sandbox: Sandbox;
  let validator: ModelValidator;
  let client: CodePipelineClient;
  let view: V2View;
  const seen = { pipelines: [] as string[], executions: [] as string[], actions: [] as string[] };

  beforeAll(async () => {
    for (const [name, value] of Object.entries(V2_ENVIRONMENT)) vi.stubEnv(name, value);
    validator = createModelValidator();
    sandbox = await startSandbox({
      clock: "manual",
      startTime: Date.UTC(2026, 0, 15, 12),
      seed: "interop",
      pipelines: 6,
      onResponse: validator.check,
    });
    client = new CodePipelineClient({
      endpoint: sandbox.url,
      region: "us-east-1",
      credentials: { accessKeyId: "AKIDJSCLIENT", secretAccessKey: "js-secret" },
      maxAttempts: 1,
    });
    // The v3 SDK's view before v2 acts (the approval changes state).
    const listed = await client.send(new ListPipelinesCommand({}));
    seen.pipelines = (listed.pipelines ?? []).map((p) => p.name ?? "");

    view = await driveWithV2(await v2Client(sandbox.url));

    const busiest = view.executions.pipeline;
    const executionPages = await collect(
      paginateListPipelineExecutions({ client, pageSize: 100 }, { pipelineName: busiest }),
    );
    seen.executions = executionPages.flatMap((p) =>
      (p.pipelineExecutionSummaries ?? []).map((e) => e.pipelineExecutionId ?? ""),
    );
    const actionPages = await collect(
      paginateListActionExecutions({ client, pageSize: 100 }, { pipelineName: busiest }),
    );
    seen.actions = actionPages.flatMap((p) => (p.actionExecutionDetails ?? []).map((a) => a.actionExecutionId ?? ""));
  });

  afterAll(async () => {
    client?.destroy();
    await sandbox?.stop();
    vi.unstubAllEnvs();
  });

  it("lists the same pipelines as the v3 SDK and reads one, with timestamps parsed as dates", () => {
    expect(view.pipelines.names).toEqual(seen.pipelines);
    expect(view.pipelines.names.length).toBe(6);
    expect(view.pipelines.createdAreDates).toBe(true);
    const first = view.pipelines.names[0];
    expect(view.getPipeline.name).toBe(first);
    expect(view.getPipeline.pipelineArn).toBe(`arn:aws:codepipeline:us-east-1:111122223333:${first}`);
    expect(view.getPipelineState.pipelineName).toBe(first);
    expect(view.getPipelineState.stages).toEqual(view.getPipeline.stages);
  });

  it("pages through executions with v2's paginator, in full pages, without repeats", () => {
    const { pageSizes, ids } = view.executions;
    expect(pageSizes.length).toBeGreaterThan(1);
    expect(pageSizes.slice(0, -1).every((n) => n === EXECUTION_PAGE)).toBe(true);
    expect(pageSizes.reduce((a, b) => a + b, 0)).toBe(ids.length);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(seen.executions);
    expect(view.executions.startTimesAreDates).toBe(true);
  });

  it("pages through action executions with v2's paginator", () => {
    const { pageSizes, ids } = view.actionExecutions;
    expect(pageSizes.length).toBeGreaterThan(1);
    expect(pageSizes.slice(0, -1).every((n) => n === ACTION_PAGE)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    // Approving may start one more action execution, so the v3 listing (taken later) may hold extra ones.
    const later = new Set(seen.actions);
    expect(ids.filter((id) => !later.has(id))).toEqual([]);
  });

  it("approves a waiting manual approval found through GetPipelineState", async () => {
    const approval = view.approval;
    if (!approval) throw new Error("v2 found no Manual approval InProgress with a token");
    expect(approval.approvedAtIsDate).toBe(true);
    expect(view.errors.tokenReused?.code).toMatch(
      /^(ApprovalAlreadyCompletedException|InvalidApprovalTokenException)$/,
    );
    const state = await client.send(new GetPipelineStateCommand({ name: approval.pipeline }));
    const action = state.stageStates
      ?.find((s) => s.stageName === approval.stage)
      ?.actionStates?.find((a) => a.actionName === approval.action);
    const stillWaiting =
      action?.latestExecution?.status === "InProgress" && action.latestExecution.token === approval.token;
    expect(stillWaiting).toBe(false);
    expect(approval.statusAfter).toBe(action?.latestExecution?.status);
  });

  it("receives modelled errors as AWS errors with the right code and status", () => {
    const { pipelineNotFound, badName, pageTooLarge, unknownToken } = view.errors;
    expect(pipelineNotFound).toMatchObject({ code: "PipelineNotFoundException", httpStatus: 400 });
    expect(pipelineNotFound.message).toContain("no-such-pipeline");
    expect(badName).toEqual({
      code: "ValidationException",
      httpStatus: 400,
      message:
        "1 validation error detected: Value 'not a valid name!' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [A-Za-z0-9.@\\-_]+",
    });
    expect(pageTooLarge).toMatchObject({ code: "ValidationException", httpStatus: 400 });
    expect(pageTooLarge.message).toContain("Member must have value less than or equal to 100");
    expect(unknownToken).toMatchObject({ code: "InvalidApprovalTokenException", httpStatus: 400 });
  });

  it("got only responses that conform to AWS's model", () => {
    expect(validator.responses()).toBeGreaterThan(100);
    expect(validator.errors()).toEqual([]);
  });
});
