import { randomBytes } from "node:crypto";
import {
  DisableStageTransitionCommand,
  EnableStageTransitionCommand,
  GetPipelineStateCommand,
  ListPipelinesCommand,
} from "@aws-sdk/client-codepipeline";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startSandbox, type Sandbox } from "@/sandbox";
import type * as ControlClient from "./control-client";
import { describeControlError } from "./control-errors";

// Who commands are sent as, through the sandbox's STS and its per-role permissions (StageboardRead may
// only read; StageboardControl may also give the commands), over HTTP as with AWS.

const ACCOUNT = "111122223333";
const READ = `arn:aws:iam::${ACCOUNT}:role/StageboardRead`;
const CONTROL = `arn:aws:iam::${ACCOUNT}:role/StageboardControl`;
const MISSING = `arn:aws:iam::${ACCOUNT}:role/NoSuchRole`;

let sandbox: Sandbox;
let control: typeof ControlClient;
let pipeline = "";

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, clock: "manual", pipelines: 2, historyDays: 1, seed: "control-client" });
  vi.stubEnv("AWS_ACCESS_KEY_ID", "AKIDSANDBOX");
  vi.stubEnv("AWS_SECRET_ACCESS_KEY", "sandbox-secret");
  vi.stubEnv("NEXTAUTH_SECRET", randomBytes(32).toString("base64"));
  vi.stubEnv("TOKEN_ENCRYPTION_KEY", randomBytes(32).toString("base64"));
  const target = (id: string, roles: object) => ({ id, region: "us-east-1", endpoint: sandbox.url, ...roles });
  vi.stubEnv(
    "STAGEBOARD_TARGETS",
    JSON.stringify([
      target("split", { roleArn: READ, controlRoleArn: CONTROL }),
      target("read-only", { roleArn: READ }),
      target("misconfigured", { roleArn: READ, controlRoleArn: READ }),
      target("unknown-role", { controlRoleArn: MISSING }),
    ]),
  );
  control = await import("./control-client");
  const client = await control.controlClientFor("split");
  pipeline = (await client.send(new ListPipelinesCommand({}))).pipelines?.[0]?.name ?? "";
});
afterAll(async () => {
  control?.resetControlClients();
  await sandbox?.stop();
});

const arn = (name: string) => `arn:aws:codepipeline:us-east-1:${ACCOUNT}:${name}`;
const disable = (reason: string) =>
  new DisableStageTransitionCommand({ pipelineName: pipeline, stageName: "Build", transitionType: "Inbound", reason });

async function refusal(targetId: string) {
  const client = await control.controlClientFor(targetId);
  const error = await client.send(disable("freeze")).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).not.toBeNull();
  return describeControlError(error, "DisableStageTransition", arn(pipeline));
}

describe("controlClientFor", () => {
  it("sends commands as the target's controlRoleArn, assumed through STS at the target's endpoint", async () => {
    const client = await control.controlClientFor("split");
    await client.send(disable("freeze"));
    const state = await client.send(new GetPipelineStateCommand({ name: pipeline }));
    const build = state.stageStates?.find((s) => s.stageName === "Build");
    expect(build?.inboundTransitionState).toMatchObject({ enabled: false, disabledReason: "freeze" });
    // CloudTrail (and lastChangedBy) shows the control role and Stageboard's session for commands.
    expect(build?.inboundTransitionState?.lastChangedBy).toMatch(/StageboardControl\/stageboard-control/);
    await client.send(
      new EnableStageTransitionCommand({ pipelineName: pipeline, stageName: "Build", transitionType: "Inbound" }),
    );
  });

  it("without a controlRoleArn, sends as the sync engine's role: a read-only one is refused, naming the permission", async () => {
    expect(await refusal("read-only")).toMatchObject({
      code: "forbidden",
      awsErrorName: "AccessDeniedException",
      message: `Stageboard's AWS role may not codepipeline:DisableStageTransition on ${arn(pipeline)}/Build: add it to the control role (see the README's IAM section).`,
    });
  });

  it("a control role that may only read is refused as AWS refuses it", async () => {
    const failure = await refusal("misconfigured");
    expect(failure.code).toBe("forbidden");
    expect(failure.message).toMatch(/may not codepipeline:DisableStageTransition on arn:aws:codepipeline:/);
    expect(failure.awsRequestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("a control role Stageboard may not assume: the trust policy is named", async () => {
    expect(await refusal("unknown-role")).toMatchObject({
      code: "forbidden",
      awsErrorName: "AccessDenied",
      message: `Stageboard's AWS identity may not sts:AssumeRole on ${MISSING}: allow it in that role's trust policy.`,
    });
  });

  it("keeps the sync engine's identity apart: the same target's sync client is not the command client", async () => {
    const { codePipelineClientFor } = await import("./codepipeline-client");
    const sync = codePipelineClientFor({ id: "split", region: "us-east-1", endpoint: sandbox.url, roleArn: READ });
    expect(await control.controlClientFor("split")).not.toBe(sync);
    expect(await sync.config.maxAttempts()).toBe(1);
    expect(await (await control.controlClientFor("split")).config.maxAttempts()).toBe(
      control.CONTROL_RETRY.maxAttempts,
    );
  });
});
