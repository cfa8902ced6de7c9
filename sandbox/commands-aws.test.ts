// Commands against the seeded fleet as AWS answers them: a failed execution from history that is still the latest
// in its stage can be retried, others not; bad reasons are refused before anything changes; every answer has a
// request id.
import {
  DisableStageTransitionCommand,
  GetPipelineExecutionCommand,
  GetPipelineStateCommand,
  ListPipelineExecutionsCommand,
  RetryStageExecutionCommand,
  StopPipelineExecutionCommand,
} from "@aws-sdk/client-codepipeline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { harness, type Harness } from "./testing/harness";

let h: Harness;
beforeAll(async () => {
  h = await harness();
});
afterAll(async () => {
  await h.close();
  expect(h.validator.errors()).toEqual([]);
});

describe("retrying a stage", () => {
  it("retries a failed execution from history that is still the stage's latest, listed once, at its place", async () => {
    // With the seed "test", billing-api's Staging last failed in an execution from before the sandbox started.
    const before = await h.client.send(new GetPipelineStateCommand({ name: "billing-api" }));
    const staging = before.stageStates?.find((s) => s.stageName === "Staging")?.latestExecution;
    expect(staging?.status).toBe("Failed");
    const id = staging?.pipelineExecutionId ?? "";
    const { pipelineExecutionSummaries: listed = [] } = await h.client.send(
      new ListPipelineExecutionsCommand({ pipelineName: "billing-api", maxResults: 100 }),
    );
    const at = listed.findIndex((e) => e.pipelineExecutionId === id);
    expect(at).toBeGreaterThanOrEqual(0);
    const older = listed.slice(at + 1).find((e) => e.status === "Failed");

    const out = await h.client.send(
      new RetryStageExecutionCommand({
        pipelineName: "billing-api",
        stageName: "Staging",
        pipelineExecutionId: id,
        retryMode: "FAILED_ACTIONS",
      }),
    );
    expect(out).toMatchObject({ pipelineExecutionId: id, $metadata: { requestId: expect.any(String) as unknown } });
    const after = await h.client.send(new GetPipelineStateCommand({ name: "billing-api" }));
    expect(after.stageStates?.find((s) => s.stageName === "Staging")).toMatchObject({
      latestExecution: { pipelineExecutionId: id, status: "InProgress" },
      retryStageMetadata: { manualStageRetryAttempt: 1, latestRetryTrigger: "ManualStageRetry" },
    });
    const { pipelineExecution } = await h.client.send(
      new GetPipelineExecutionCommand({ pipelineName: "billing-api", pipelineExecutionId: id }),
    );
    expect(pipelineExecution?.status).toBe("InProgress");
    const { pipelineExecutionSummaries: relisted = [] } = await h.client.send(
      new ListPipelineExecutionsCommand({ pipelineName: "billing-api", maxResults: 100 }),
    );
    expect(relisted.filter((e) => e.pipelineExecutionId === id)).toHaveLength(1);
    expect(relisted[at]).toMatchObject({ pipelineExecutionId: id, status: "InProgress" });
    // An older failure is not the stage's latest any more.
    if (older)
      await expect(
        h.client.send(
          new RetryStageExecutionCommand({
            pipelineName: "billing-api",
            stageName: "Staging",
            pipelineExecutionId: older.pipelineExecutionId,
            retryMode: "ALL_ACTIONS",
          }),
        ),
      ).rejects.toMatchObject({
        name: expect.stringMatching(/NotLatestPipelineExecution|StageNotRetryable/) as unknown,
      });
  });
});

describe("reasons", () => {
  it("refuses a transition reason outside AWS's pattern or a stop reason over 200 characters, changing nothing", async () => {
    await expect(
      h.client.send(
        new DisableStageTransitionCommand({
          pipelineName: "api-prod",
          stageName: "Deploy",
          transitionType: "Inbound",
          reason: "freeze: see #ops",
        }),
      ),
    ).rejects.toMatchObject({ name: "ValidationException" });
    const state = await h.client.send(new GetPipelineStateCommand({ name: "api-prod" }));
    expect(state.stageStates?.find((s) => s.stageName === "Deploy")?.inboundTransitionState?.enabled).toBe(true);
    const running = state.stageStates?.find((s) => s.latestExecution?.status === "InProgress")?.latestExecution;
    await expect(
      h.client.send(
        new StopPipelineExecutionCommand({
          pipelineName: "api-prod",
          pipelineExecutionId: running?.pipelineExecutionId ?? "",
          reason: "x".repeat(201),
        }),
      ),
    ).rejects.toMatchObject({ name: "ValidationException" });
    const { pipelineExecution } = await h.client.send(
      new GetPipelineExecutionCommand({
        pipelineName: "api-prod",
        pipelineExecutionId: running?.pipelineExecutionId ?? "",
      }),
    );
    expect(pipelineExecution?.status).toBe("InProgress");
  });

  it("answers commands without output with an empty body and a request id", async () => {
    const res = await fetch(h.sandbox.url, {
      method: "POST",
      headers: {
        "x-amz-target": "CodePipeline_20150709.DisableStageTransition",
        "content-type": "application/x-amz-json-1.1",
      },
      body: JSON.stringify({
        pipelineName: "api-prod",
        stageName: "Deploy",
        transitionType: "Inbound",
        reason: "Hold (release notes)",
      }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-amzn-requestid")).toMatch(/^[0-9a-f-]{36}$/);
    expect(await res.text()).toBe("");
  });
});
