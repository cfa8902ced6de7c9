import { describe, expect, it } from "vitest";
import type { PipelineStateSnapshot } from "@/lib/pipelines/state-snapshot";
import { patchSnapshot, type ActionRow } from "./patch-state";
import { onlyWaiting } from "./activity";

const action = (name: string, status: string | null) => ({
  name,
  latestExecutionId: null,
  status,
  summary: null,
  lastStatusChange: null,
  externalExecutionId: null,
  externalExecutionUrl: null,
  errorCode: null,
  errorMessage: null,
  percentComplete: null,
  hasToken: false,
  revisionId: null,
  revisionUrl: null,
  entityUrl: null,
});
const snapshot: PipelineStateSnapshot = {
  pipelineVersion: 1,
  created: null,
  updated: null,
  stages: [
    {
      name: "Build",
      latestExecution: { executionId: "old", status: "Succeeded", type: "STANDARD" },
      inboundTransition: null,
      inboundExecutions: [],
      actions: [action("Build", "Succeeded")],
      conditions: [],
      retry: null,
    },
    {
      name: "Approve",
      latestExecution: null,
      inboundTransition: null,
      inboundExecutions: [{ executionId: "new", status: "InProgress", type: null }],
      actions: [action("Review", null)],
      conditions: [],
      retry: null,
    },
  ],
};
const row = (over: Partial<ActionRow>): ActionRow => ({
  stageName: "Build",
  actionName: "Build",
  actionExecutionId: "a1",
  status: "InProgress",
  startTime: new Date(1_000),
  lastUpdateTime: new Date(1_000),
  externalExecutionId: null,
  externalExecutionUrl: "https://build",
  externalExecutionSummary: null,
  errorCode: null,
  errorMessage: null,
  ...over,
});

describe("patching the state from action executions", () => {
  it("moves the stages an execution runs in forward, leaving the others alone", () => {
    const patched = patchSnapshot(snapshot, "new", "InProgress", "STANDARD", [row({})]);
    expect(patched.stages[0]?.latestExecution).toEqual({ executionId: "new", status: "InProgress", type: "STANDARD" });
    expect(patched.stages[0]?.actions[0]).toMatchObject({
      status: "InProgress",
      latestExecutionId: "a1",
      externalExecutionUrl: "https://build",
    });
    expect(patched.stages[1]).toEqual(snapshot.stages[1]);
  });

  it("takes the latest attempt of a retried action, and drops the execution from the stage's queue", () => {
    const patched = patchSnapshot(snapshot, "new", "InProgress", null, [
      row({
        stageName: "Approve",
        actionName: "Review",
        actionExecutionId: "r1",
        status: "Failed",
        startTime: new Date(1_000),
      }),
      row({
        stageName: "Approve",
        actionName: "Review",
        actionExecutionId: "r2",
        status: "Succeeded",
        startTime: new Date(2_000),
      }),
    ]);
    expect(patched.stages[1]?.actions[0]).toMatchObject({ latestExecutionId: "r2", status: "Succeeded" });
    expect(patched.stages[1]?.latestExecution?.status).toBe("Succeeded");
    expect(patched.stages[1]?.inboundExecutions).toEqual([]);
  });
});

describe("waiting for people", () => {
  const running = (stage: string, act: string): PipelineStateSnapshot => ({
    ...snapshot,
    stages: [
      {
        ...snapshot.stages[0]!,
        name: stage,
        latestExecution: { executionId: "x", status: "InProgress", type: null },
        actions: [action(act, "InProgress")],
      },
    ],
  });
  it("counts a running manual approval as waiting, a running build as active", () => {
    const approvals = new Set(["Approve/Review"]);
    expect(onlyWaiting(running("Approve", "Review"), approvals)).toBe(true);
    expect(onlyWaiting(running("Build", "Build"), approvals)).toBe(false);
  });
});
