import { randomBytes } from "node:crypto";
import {
  ApprovalAlreadyCompletedException,
  ConflictException,
  DisableStageTransitionCommand,
  GetPipelineStateCommand,
  InvalidApprovalTokenException,
  ListPipelinesCommand,
  PutApprovalResultCommand,
  RetryStageExecutionCommand,
  StageNotRetryableException,
} from "@aws-sdk/client-codepipeline";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startSandbox, type Sandbox } from "@/sandbox";
import type * as ControlClient from "./control-client";
import { describeControlError, type ControlFailure } from "./control-errors";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const metadata = { httpStatusCode: 400, requestId: "5d0b5ab5-0b0e-4c0e-9b0e-000000000001", attempts: 1 };

describe("describeControlError on what the SDK throws", () => {
  it("tells the person what each CodePipeline error means, with AWS's request id", () => {
    const cases: [Error, ControlFailure["code"], RegExp][] = [
      [
        new InvalidApprovalTokenException({ message: "x", $metadata: metadata }),
        "conflict",
        /answered or it has expired/,
      ],
      [new ApprovalAlreadyCompletedException({ message: "x", $metadata: metadata }), "conflict", /already approved/],
      [new StageNotRetryableException({ message: "x", $metadata: metadata }), "conflict", /cannot retry this stage/],
      [new ConflictException({ message: "x", $metadata: { ...metadata, httpStatusCode: 409 } }), "conflict", /busy/],
    ];
    for (const [error, code, message] of cases) {
      const failure = describeControlError(error, "PutApprovalResult");
      expect(failure.code).toBe(code);
      expect(failure.message).toMatch(message);
      expect(failure.awsRequestId).toBe(metadata.requestId);
      expect(failure.awsErrorName).toBe(error.name);
    }
  });

  it("names the missing permission and resource from AWS's AccessDenied message, the role's trust for AssumeRole", () => {
    const denied = Object.assign(new Error(""), {
      name: "AccessDeniedException",
      message:
        "User: arn:aws:sts::111122223333:assumed-role/StageboardRead/stageboard-sync is not authorized to perform: codepipeline:PutApprovalResult on resource: arn:aws:codepipeline:us-east-1:111122223333:web-app because no identity-based policy allows the codepipeline:PutApprovalResult action",
      $metadata: metadata,
    });
    expect(describeControlError(denied, "PutApprovalResult")).toMatchObject({
      code: "forbidden",
      message:
        "Stageboard's AWS role may not codepipeline:PutApprovalResult on arn:aws:codepipeline:us-east-1:111122223333:web-app: add it to the control role (see the README's IAM section).",
    });
    const sts = Object.assign(new Error(""), {
      name: "AccessDenied",
      message:
        "User: arn:aws:iam::111122223333:user/stageboard is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::111122223333:role/StageboardControl",
    });
    expect(describeControlError(sts, "RetryStageExecution").message).toBe(
      "Stageboard's AWS identity may not sts:AssumeRole on arn:aws:iam::111122223333:role/StageboardControl: allow it in that role's trust policy.",
    );
  });

  it("says what to do about credentials, and never repeats anything shaped like a key", () => {
    const missing = Object.assign(new Error("Could not load credentials from any providers"), {
      name: "CredentialsProviderError",
    });
    expect(describeControlError(missing, "StartPipelineExecution")).toMatchObject({
      code: "service_unavailable",
      awsRequestId: null,
    });
    const odd = Object.assign(new Error("key AKIAIOSFODNN7EXAMPLE\u0000 refused"), { name: "SomethingNewException" });
    const failure = describeControlError(odd, "StartPipelineExecution");
    expect(failure.code).toBe("bad_gateway");
    expect(failure.message).toBe(
      "AWS refused StartPipelineExecution (SomethingNewException: key [key id] refused); check the pipeline in AWS and try again.",
    );
  });
});

describe("describeControlError on the wire, through the command client", () => {
  let sandbox: Sandbox;
  let control: typeof ControlClient;
  let pipeline: string;
  const arn = (name: string) => `arn:aws:codepipeline:us-east-1:111122223333:${name}`;

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, clock: "manual", pipelines: 2, historyDays: 1, seed: "control-errors" });
    vi.stubEnv("AWS_ACCESS_KEY_ID", "AKIDSANDBOX");
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", "sandbox-secret");
    // A configured target makes this a real instance, which must have its own secrets.
    vi.stubEnv("NEXTAUTH_SECRET", randomBytes(32).toString("base64"));
    vi.stubEnv("TOKEN_ENCRYPTION_KEY", randomBytes(32).toString("base64"));
    vi.stubEnv("STAGEBOARD_TARGETS", JSON.stringify([{ id: "sandbox", region: "us-east-1", endpoint: sandbox.url }]));
    control = await import("./control-client");
    const client = await control.controlClientFor("sandbox");
    pipeline = (await client.send(new ListPipelinesCommand({}))).pipelines?.[0]?.name ?? "";
  });
  afterAll(async () => {
    control?.resetControlClients();
    await sandbox?.stop();
  });

  const failureOf = async (send: () => Promise<unknown>, operation: string, resource?: string) => {
    try {
      await send();
    } catch (error) {
      return describeControlError(error, operation, resource);
    }
    throw new Error(`${operation} succeeded`);
  };

  it("an approval token AWS does not know: a conflict, with the request id AWS answered with", async () => {
    const client = await control.controlClientFor("sandbox");
    const state = await client.send(new GetPipelineStateCommand({ name: pipeline }));
    const stageName = state.stageStates?.[0]?.stageName ?? "";
    const actionName = state.stageStates?.[0]?.actionStates?.[0]?.actionName ?? "";
    const failure = await failureOf(
      () =>
        client.send(
          new PutApprovalResultCommand({
            pipelineName: pipeline,
            stageName,
            actionName,
            token: "00000000-0000-4000-8000-000000000000",
            result: { status: "Approved", summary: "ok" },
          }),
        ),
      "PutApprovalResult",
    );
    expect(failure).toMatchObject({ code: "conflict", awsErrorName: "InvalidApprovalTokenException" });
    expect(failure.awsRequestId).toMatch(UUID);
  });

  it("a stage that is not there: not found; a reason AWS's pattern refuses: unprocessable, with AWS's words", async () => {
    const client = await control.controlClientFor("sandbox");
    const disable = (stageName: string, reason: string) =>
      client.send(
        new DisableStageTransitionCommand({ pipelineName: pipeline, stageName, transitionType: "Inbound", reason }),
      );
    expect(await failureOf(() => disable("NoSuchStage", "freeze"), "DisableStageTransition")).toMatchObject({
      code: "not_found",
      awsErrorName: "StageNotFoundException",
    });
    const invalid = await failureOf(() => disable("NoSuchStage", "freeze: #1"), "DisableStageTransition");
    expect(invalid.code).toBe("unprocessable_entity");
    expect(invalid.message).toMatch(/^AWS refused the request as invalid: .*reason/);
  });

  it("a role without the permission: forbidden, naming the IAM action on the pipeline's ARN", async () => {
    sandbox.faults.set({ deny: ["RetryStageExecution"] });
    try {
      const client = await control.controlClientFor("sandbox");
      const failure = await failureOf(
        () =>
          client.send(
            new RetryStageExecutionCommand({
              pipelineName: pipeline,
              stageName: "Build",
              pipelineExecutionId: "00000000-0000-4000-8000-000000000000",
              retryMode: "FAILED_ACTIONS",
            }),
          ),
        "RetryStageExecution",
        arn(pipeline),
      );
      expect(failure).toMatchObject({
        code: "forbidden",
        message: `Stageboard's AWS role may not codepipeline:RetryStageExecution on ${arn(pipeline)}: add it to the control role (see the README's IAM section).`,
      });
    } finally {
      sandbox.faults.clear();
    }
  });

  it("throttling: retried a bounded number of times, then 'try again'", async () => {
    // The manual clock never refills the bucket: every attempt is throttled.
    sandbox.faults.set({ throttle: { GetPipelineState: 0.001 } });
    try {
      const client = await control.controlClientFor("sandbox");
      await client.send(new GetPipelineStateCommand({ name: pipeline })).catch(() => undefined);
      const before = sandbox.stats.throttled;
      const failure = await failureOf(
        () => client.send(new GetPipelineStateCommand({ name: pipeline })),
        "GetPipelineState",
      );
      expect(failure).toMatchObject({ code: "service_unavailable", awsErrorName: "ThrottlingException" });
      expect(failure.message).toMatch(/try again/);
      expect(sandbox.stats.throttled - before).toBe(control.CONTROL_RETRY.maxAttempts);
    } finally {
      sandbox.faults.clear();
    }
  });

  it("AWS unreachable: 'try again', and an unknown target is refused before anything is sent", async () => {
    vi.stubEnv(
      "STAGEBOARD_TARGETS",
      JSON.stringify([{ id: "nowhere", region: "us-east-1", endpoint: "http://127.0.0.1:9" }]),
    );
    vi.resetModules();
    const elsewhere = await import("./control-client");
    try {
      const client = await elsewhere.controlClientFor("nowhere");
      const failure = await failureOf(() => client.send(new ListPipelinesCommand({})), "ListPipelines");
      expect(failure.code).toBe("service_unavailable");
      expect(failure.message).toBe("AWS CodePipeline could not be reached to ListPipelines; try again.");
      await expect(elsewhere.controlClientFor("sandbox")).rejects.toMatchObject({
        code: "service_unavailable",
        message: 'This pipeline\'s AWS account (target "sandbox") is no longer configured in Stageboard.',
      });
    } finally {
      elsewhere.resetControlClients();
    }
  });
});
