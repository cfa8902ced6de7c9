// An independent client (boto3/botocore, Python) against the sandbox, cross-checked with the JS SDK.
import { execFile, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import {
  CodePipelineClient,
  GetPipelineStateCommand,
  ListPipelinesCommand,
  paginateListActionExecutions,
  paginateListPipelineExecutions,
} from "@aws-sdk/client-codepipeline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type Sandbox } from "../index";
import { createModelValidator, modelAvailable, type ModelValidator } from "../test-support/model-validator";
import { parseInteropReport, type InteropReport } from "./interop-report";

const SCRIPT = fileURLToPath(new URL("./boto3-client.py", import.meta.url));
// Debian's python3-boto3 first (what CI installs), then whatever python3 is on PATH.
const CANDIDATES = ["/usr/bin/python3", "python3"];

function findPython(): string | undefined {
  return CANDIDATES.find((bin) => spawnSync(bin, ["-c", "import boto3"], { stdio: "ignore" }).status === 0);
}

const python = findPython();
const title = python
  ? "boto3 client against the sandbox"
  : "boto3 client against the sandbox (skipped: no python3 with boto3; apt-get install python3-boto3)";

// Only what Python needs: no AWS profile, credentials or proxy from the developer's shell.
const isolatedEnv: NodeJS.ProcessEnv = {
  NODE_ENV: "test",
  PATH: process.env.PATH ?? "/usr/bin:/bin",
  HOME: process.env.HOME ?? "/tmp",
  AWS_CONFIG_FILE: "/dev/null",
  AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
  AWS_EC2_METADATA_DISABLED: "true",
  NO_PROXY: "127.0.0.1,localhost",
  no_proxy: "127.0.0.1,localhost",
};

async function collect<T>(pages: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) out.push(page);
  return out;
}

describe.skipIf(!python)(title, () => {
  let sandbox: Sandbox;
  let validator: ModelValidator | undefined;
  let client: CodePipelineClient;
  let report: InteropReport;
  const seen = { pipelines: [] as string[], executions: [] as string[], actions: [] as string[] };

  beforeAll(async () => {
    validator = modelAvailable() ? createModelValidator() : undefined;
    sandbox = await startSandbox({
      clock: "manual",
      startTime: Date.UTC(2026, 0, 15, 12),
      seed: "interop",
      pipelines: 6,
      ...(validator ? { onResponse: validator.check } : {}),
    });
    client = new CodePipelineClient({
      endpoint: sandbox.url,
      region: "us-east-1",
      credentials: { accessKeyId: "AKIDJSCLIENT", secretAccessKey: "js-secret" },
      maxAttempts: 1,
    });
    // The JS SDK's view before boto3 acts (the approval changes state).
    const listed = await client.send(new ListPipelinesCommand({}));
    seen.pipelines = (listed.pipelines ?? []).map((p) => p.name ?? "");

    const { stdout } = await promisify(execFile)(python ?? "python3", [SCRIPT, sandbox.url], {
      env: isolatedEnv,
      encoding: "utf8",
      timeout: 60_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    report = parseInteropReport(stdout);

    const busiest = report.executions.pipeline;
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
  });

  it("lists the same pipelines as the JS SDK and reads one, with timestamps parsed as dates", () => {
    expect(report.pipelines.names).toEqual(seen.pipelines);
    expect(report.pipelines.names.length).toBe(6);
    expect(report.pipelines.createdIsDatetime).toBe(true);
    const first = report.pipelines.names[0];
    expect(report.getPipeline.name).toBe(first);
    expect(report.getPipeline.pipelineArn).toBe(`arn:aws:codepipeline:us-east-1:111122223333:${first}`);
    expect(report.getPipelineState.pipelineName).toBe(first);
    expect(report.getPipelineState.stages).toEqual(report.getPipeline.stages);
  });

  it("pages through executions with the boto3 paginator, in full pages, without repeats", () => {
    const { pageSizes, ids } = report.executions;
    expect(pageSizes.length).toBeGreaterThan(1);
    expect(pageSizes.slice(0, -1).every((n) => n === 7)).toBe(true);
    expect(pageSizes.reduce((a, b) => a + b, 0)).toBe(ids.length);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(seen.executions);
    expect(report.executions.startTimesAreDatetimes).toBe(true);
  });

  it("pages through action executions with the boto3 paginator", () => {
    const { pageSizes, ids } = report.actionExecutions;
    expect(pageSizes.length).toBeGreaterThan(1);
    expect(pageSizes.slice(0, -1).every((n) => n === 10)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    // Approving may start one more action execution, so the JS listing (taken later) may hold extra ones.
    const later = new Set(seen.actions);
    expect(ids.filter((id) => !later.has(id))).toEqual([]);
  });

  it("approves a waiting manual approval found through GetPipelineState", async () => {
    const approval = report.approval;
    if (!approval) throw new Error("boto3 found no Manual approval InProgress with a token");
    expect(approval.approvedAtIsDatetime).toBe(true);
    expect(report.errors.tokenReused?.code).toMatch(
      /^(ApprovalAlreadyCompletedException|InvalidApprovalTokenException)$/,
    );
    const state = await client.send(new GetPipelineStateCommand({ name: approval.pipeline }));
    const action = state.stageStates
      ?.find((s) => s.stageName === approval.stage)
      ?.actionStates?.find((a) => a.actionName === approval.action);
    const stillWaiting =
      action?.latestExecution?.status === "InProgress" && action.latestExecution.token === approval.token;
    expect(stillWaiting).toBe(false);
  });

  it("receives modelled errors as ClientError with the right code and status", () => {
    const { pipelineNotFound, badName, pageTooLarge, unknownToken } = report.errors;
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

  it.skipIf(!modelAvailable())("got only responses that conform to AWS's model", () => {
    expect(validator?.responses()).toBeGreaterThan(100);
    expect(validator?.errors()).toEqual([]);
  });
});
