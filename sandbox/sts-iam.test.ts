// STS AssumeRole at the sandbox's endpoint and the per-role permissions of the credentials it hands out, through
// the SDK's own STS client and credential provider.
import {
  CodePipelineClient,
  DisableStageTransitionCommand,
  GetPipelineStateCommand,
  ListActionExecutionsCommand,
  ListPipelinesCommand,
  PutApprovalResultCommand,
  StartPipelineExecutionCommand,
} from "@aws-sdk/client-codepipeline";
import { fromTemporaryCredentials } from "@aws-sdk/credential-providers";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/nested-clients/sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { harness, type Harness } from "./testing/harness";

const ACCOUNT = "111122223333";
const READ = `arn:aws:iam::${ACCOUNT}:role/StageboardRead`;
const CONTROL = `arn:aws:iam::${ACCOUNT}:role/StageboardControl`;
const BASE = { accessKeyId: "AKIDTEST", secretAccessKey: "secret" };

let h: Harness;
let wallClock = Date.UTC(2026, 0, 15, 12, 0, 0);
beforeAll(async () => {
  h = await harness({ stsClock: () => wallClock });
});
afterAll(async () => {
  await h.close();
  expect(h.validator.errors()).toEqual([]);
});

function sts() {
  return new STSClient({ endpoint: h.sandbox.url, region: "us-east-1", credentials: BASE, maxAttempts: 1 });
}

/** A CodePipeline client whose credentials come from assuming the role, the way the app gets them. */
function clientAs(roleArn: string, session = "stageboard-control") {
  return new CodePipelineClient({
    endpoint: h.sandbox.url,
    region: "us-east-1",
    maxAttempts: 1,
    credentials: fromTemporaryCredentials({
      params: { RoleArn: roleArn, RoleSessionName: session },
      clientConfig: { endpoint: h.sandbox.url, region: "us-east-1", maxAttempts: 1 },
      masterCredentials: BASE,
    }),
  });
}

async function waitingApproval(pipelineName: string) {
  const state = await h.client.send(new GetPipelineStateCommand({ name: pipelineName }));
  const action = state.stageStates?.find((s) => s.stageName === "Approval")?.actionStates?.[0];
  expect(action?.latestExecution?.status).toBe("InProgress");
  return {
    id: action?.latestExecution?.actionExecutionId,
    pipelineName,
    stageName: "Approval",
    actionName: action?.actionName ?? "",
    token: action?.latestExecution?.token ?? "",
    result: { status: "Approved" as const, summary: "Approved by @ada via Stageboard" },
  };
}

describe("AssumeRole", () => {
  it("hands out temporary credentials bound to the role, with the request id and expiry AWS gives", async () => {
    const client = sts();
    const out = await client.send(
      new AssumeRoleCommand({ RoleArn: READ, RoleSessionName: "sync-engine", DurationSeconds: 900 }),
    );
    expect(out.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(out.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/StageboardRead/sync-engine`);
    expect(out.Credentials?.AccessKeyId).toMatch(/^ASIA[0-9A-Z]{16}$/);
    expect(out.Credentials?.SessionToken).toBeTruthy();
    expect(out.Credentials?.Expiration?.getTime()).toBe(wallClock + 900_000);
    client.destroy();
  });

  it("refuses an unknown role as STS does, and bad durations and session names with STS's validation errors", async () => {
    const client = sts();
    const unknown: unknown = await client
      .send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/Nope`, RoleSessionName: "s1" }))
      .catch((e: unknown) => e);
    expect(unknown).toMatchObject({ name: "AccessDenied", $metadata: { httpStatusCode: 403 } });
    expect((unknown as Error).message).toBe(
      `User: arn:aws:sts::${ACCOUNT}:assumed-role/StageboardOperator/stageboard is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::${ACCOUNT}:role/Nope`,
    );
    for (const params of [
      { RoleArn: READ, RoleSessionName: "s1", DurationSeconds: 899 },
      { RoleArn: READ, RoleSessionName: "s1", DurationSeconds: 43_201 },
      { RoleArn: READ, RoleSessionName: "x" },
      { RoleArn: READ, RoleSessionName: "has space" },
    ])
      await expect(client.send(new AssumeRoleCommand(params))).rejects.toMatchObject({ name: "ValidationError" });
    // 2 hours is within STS's range but beyond the role's MaxSessionDuration (AWS's default, 1 hour).
    await expect(
      client.send(new AssumeRoleCommand({ RoleArn: READ, RoleSessionName: "s1", DurationSeconds: 7200 })),
    ).rejects.toThrow("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
    client.destroy();
  });
});

describe("per-role permissions", () => {
  it("lets the read-only role read and refuses it PutApprovalResult naming the action and its resource", async () => {
    const reader = clientAs(READ, "sync-engine");
    const listed = await reader.send(new ListPipelinesCommand({}));
    expect(listed.pipelines?.length).toBe(24);
    const { id: _, ...input } = await waitingApproval("web-app-prod");
    const denied: unknown = await reader.send(new PutApprovalResultCommand(input)).catch((e: unknown) => e);
    expect(denied).toMatchObject({ name: "AccessDeniedException", $metadata: { httpStatusCode: 400 } });
    expect((denied as Error).message).toBe(
      `User: arn:aws:sts::${ACCOUNT}:assumed-role/StageboardRead/sync-engine is not authorized to perform: ` +
        `codepipeline:PutApprovalResult on resource: arn:aws:codepipeline:us-east-1:${ACCOUNT}:web-app-prod/Approval/ManualApproval ` +
        `because no identity-based policy allows the codepipeline:PutApprovalResult action`,
    );
    // Nothing happened: the approval still waits.
    expect((await waitingApproval("web-app-prod")).token).toBe(input.token);
    reader.destroy();
  });

  it("lets the control role approve, and records its session as the one who did", async () => {
    const controller = clientAs(CONTROL, "ada");
    const { id, ...input } = await waitingApproval("web-app-prod");
    const out = await controller.send(new PutApprovalResultCommand(input));
    expect(out.approvedAt).toBeInstanceOf(Date);
    expect(out.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
    const details = await controller.send(new ListActionExecutionsCommand({ pipelineName: "web-app-prod" }));
    const approval = details.actionExecutionDetails?.find((d) => d.actionExecutionId === id);
    expect(approval).toMatchObject({
      status: "Succeeded",
      updatedBy: `arn:aws:sts::${ACCOUNT}:assumed-role/StageboardControl/ada`,
      output: { executionResult: { externalExecutionSummary: "Approved by @ada via Stageboard" } },
    });
    await controller.send(
      new DisableStageTransitionCommand({
        pipelineName: "api-prod",
        stageName: "Deploy",
        transitionType: "Inbound",
        reason: "Hold for the release notes",
      }),
    );
    const state = await controller.send(new GetPipelineStateCommand({ name: "api-prod" }));
    expect(state.stageStates?.find((s) => s.stageName === "Deploy")?.inboundTransitionState).toMatchObject({
      enabled: false,
      disabledReason: "Hold for the release notes",
      lastChangedBy: `arn:aws:sts::${ACCOUNT}:assumed-role/StageboardControl/ada`,
    });
    controller.destroy();
  });

  it("scopes a role to pipeline ARNs: stage and action resources need their own pattern, listing needs *", async () => {
    const scoped = `arn:aws:iam::${ACCOUNT}:role/WebAppDeployer`;
    const pipelineArn = `arn:aws:codepipeline:us-east-1:${ACCOUNT}:web-app-*`;
    const set = await fetch(`${h.sandbox.url}/_sandbox/roles`, {
      method: "PUT",
      body: JSON.stringify({
        roles: [
          ...((await h.control("GET", "/_sandbox/roles")).roles as unknown[]),
          {
            arn: scoped,
            statements: [
              {
                actions: ["codepipeline:StartPipelineExecution", "codepipeline:GetPipelineState"],
                resources: [pipelineArn],
              },
              { actions: ["codepipeline:DisableStageTransition"], resources: [`${pipelineArn}/Deploy`] },
            ],
          },
        ],
      }),
    });
    expect(set.status).toBe(200);
    const client = clientAs(scoped, "deployer");
    await expect(client.send(new StartPipelineExecutionCommand({ name: "web-app-staging" }))).resolves.toMatchObject({
      pipelineExecutionId: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown,
    });
    await expect(client.send(new StartPipelineExecutionCommand({ name: "api-prod" }))).rejects.toThrow(
      `codepipeline:StartPipelineExecution on resource: arn:aws:codepipeline:us-east-1:${ACCOUNT}:api-prod `,
    );
    await expect(client.send(new ListPipelinesCommand({}))).rejects.toThrow("on resource: * because");
    const transition = { pipelineName: "web-app-staging", transitionType: "Inbound" as const, reason: "hold" };
    await expect(
      client.send(new DisableStageTransitionCommand({ ...transition, stageName: "Deploy" })),
    ).resolves.toBeDefined();
    await expect(client.send(new DisableStageTransitionCommand({ ...transition, stageName: "Build" }))).rejects.toThrow(
      `on resource: arn:aws:codepipeline:us-east-1:${ACCOUNT}:web-app-staging/Build because`,
    );
    client.destroy();
    const bad = await fetch(`${h.sandbox.url}/_sandbox/roles`, {
      method: "PUT",
      body: JSON.stringify({ roles: [{ arn: "x" }] }),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/roles\[0\]\.arn must be a role ARN/);
  });

  it("keeps full access for long-term credentials", async () => {
    const { id: _, ...input } = await waitingApproval("api-prod");
    await expect(h.client.send(new PutApprovalResultCommand(input))).resolves.toBeDefined();
  });
});

describe("temporary credentials", () => {
  it("expire after the DurationSeconds asked for, and a forged token is not recognised", async () => {
    const client = sts();
    const { Credentials } = await client.send(
      new AssumeRoleCommand({ RoleArn: CONTROL, RoleSessionName: "short", DurationSeconds: 900 }),
    );
    client.destroy();
    const credentials = {
      accessKeyId: Credentials?.AccessKeyId ?? "",
      secretAccessKey: Credentials?.SecretAccessKey ?? "",
      sessionToken: Credentials?.SessionToken ?? "",
    };
    const pipelines = (c: typeof credentials) =>
      new CodePipelineClient({ endpoint: h.sandbox.url, region: "us-east-1", maxAttempts: 1, credentials: c }).send(
        new ListPipelinesCommand({}),
      );
    await expect(pipelines(credentials)).resolves.toBeDefined();
    await expect(pipelines({ ...credentials, sessionToken: `${credentials.sessionToken}x` })).rejects.toMatchObject({
      name: "UnrecognizedClientException",
      message: "The security token included in the request is invalid.",
    });
    const { sessionToken: _, ...withoutToken } = credentials;
    await expect(pipelines(withoutToken as typeof credentials)).rejects.toMatchObject({
      name: "UnrecognizedClientException",
    });
    wallClock += 899_000;
    await expect(pipelines(credentials)).resolves.toBeDefined();
    wallClock += 1_000;
    await expect(pipelines(credentials)).rejects.toMatchObject({
      name: "ExpiredTokenException",
      message: "The security token included in the request is expired",
    });
  });
});
