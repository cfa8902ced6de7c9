import { describe, expect, it } from "vitest";
import { buildStageGraph, snapshotExecutionIds, type StageDefinitionInput } from "./graph";
import type { PipelineStateSnapshot, StageStateSnapshot } from "./state-snapshot";
import { buildTimeline } from "./timeline";

const action = (name: string, runOrder: number, category = "Build") => ({
  name,
  category,
  provider: "CodeBuild",
  runOrder,
});
const stages: StageDefinitionInput[] = [
  {
    name: "Deploy",
    position: 2,
    transitionEnabled: false,
    disabledReason: "Freeze <b>now</b>",
    disabledBy: "arn:aws:iam::1:user/ada",
    disabledAt: new Date("2026-01-01T00:00:00Z"),
    actions: [action("Prod", 1, "Deploy")],
  },
  {
    name: "Source",
    position: 0,
    transitionEnabled: true,
    disabledReason: null,
    disabledBy: null,
    disabledAt: null,
    actions: [action("Checkout", 1, "Source")],
  },
  {
    name: "Build",
    position: 1,
    transitionEnabled: true,
    disabledReason: null,
    disabledBy: null,
    disabledAt: null,
    actions: [action("Unit", 1), action("Lint", 1), action("Package", 2)],
  },
];

const liveStage = (name: string, patch: Partial<StageStateSnapshot>): StageStateSnapshot => ({
  name,
  latestExecution: null,
  inboundTransition: null,
  inboundExecutions: [],
  actions: [],
  conditions: [],
  retry: null,
  ...patch,
});
const liveAction = (name: string, status: string) => ({
  name,
  latestExecutionId: null,
  status,
  summary: null,
  lastStatusChange: "2026-01-01T00:05:00Z",
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
    liveStage("Source", {
      latestExecution: { executionId: "e2", status: "Succeeded", type: null },
      actions: [liveAction("Checkout", "Succeeded")],
    }),
    liveStage("Build", {
      latestExecution: { executionId: "e2", status: "InProgress", type: null },
      actions: [liveAction("Unit", "InProgress"), liveAction("Lint", "Succeeded")],
      conditions: [{ kind: "BEFORE_ENTRY", status: "Succeeded", summary: "ok", executionId: null }],
    }),
    liveStage("Deploy", {
      latestExecution: { executionId: "e1", status: "Succeeded", type: null },
      inboundExecutions: [{ executionId: "e0", status: "InProgress", type: null }],
    }),
  ],
};

describe("buildStageGraph", () => {
  it("orders stages by position and groups parallel actions by run order", () => {
    const graph = buildStageGraph({ stages, snapshot, actionRuns: [] });
    expect(graph.map((s) => s.name)).toEqual(["Source", "Build", "Deploy"]);
    expect(graph[1]?.groups.map((g) => g.map((a) => a.name))).toEqual([["Unit", "Lint"], ["Package"]]);
    expect(graph[0]?.transition).toBeNull();
  });

  it("shows the live status, disabled transition and executions held by it", () => {
    const graph = buildStageGraph({ stages, snapshot, actionRuns: [] });
    expect(graph[1]?.status).toBe("InProgress");
    expect(graph[1]?.groups[0]?.[0]?.status).toBe("InProgress");
    expect(graph[1]?.conditions).toEqual([{ kind: "BEFORE_ENTRY", status: "Succeeded", summary: "ok" }]);
    expect(graph[2]?.transition).toEqual({
      enabled: false,
      reason: "Freeze <b>now</b>",
      by: "arn:aws:iam::1:user/ada",
      at: "2026-01-01T00:00:00.000Z",
    });
    expect(graph[2]?.waiting).toEqual([{ executionId: "e0", status: "InProgress", heldByTransition: true }]);
    expect(snapshotExecutionIds(snapshot)).toEqual(["e2", "e1"]);
  });

  it("takes durations, links and retries from stored action runs of the stage's execution", () => {
    const run = (startTime: string, status: string) => ({
      executionId: "e2",
      stageName: "Build",
      actionName: "Unit",
      status,
      startTime,
      lastUpdateTime: "2026-01-01T00:09:00Z",
      externalExecutionId: "b-1",
      externalExecutionUrl: "https://build.example/b-1",
      externalExecutionSummary: null,
      errorMessage: null,
    });
    const graph = buildStageGraph({
      stages,
      snapshot,
      actionRuns: [run("2026-01-01T00:01:00Z", "Failed"), run("2026-01-01T00:03:00Z", "InProgress")],
    });
    const unit = graph[1]?.groups[0]?.[0];
    expect(unit).toMatchObject({
      attempts: 2,
      startTime: "2026-01-01T00:03:00.000Z",
      endTime: null,
      externalUrl: "https://build.example/b-1",
    });
  });

  it("draws an older execution as it ran, ignoring the live state", () => {
    const graph = buildStageGraph({
      stages,
      snapshot,
      execution: {
        executionId: "old",
        stageRuns: [
          { stageName: "Source", status: "Succeeded" },
          { stageName: "Build", status: "Failed" },
        ],
      },
      actionRuns: [
        {
          executionId: "old",
          stageName: "Build",
          actionName: "Lint",
          status: "Failed",
          startTime: "2026-01-01T00:00:00Z",
          lastUpdateTime: "2026-01-01T00:02:00Z",
          externalExecutionId: null,
          externalExecutionUrl: null,
          externalExecutionSummary: null,
          errorMessage: "lint errors",
        },
      ],
    });
    expect(graph.map((s) => s.status)).toEqual(["Succeeded", "Failed", null]);
    expect(graph[1]?.groups[0]?.map((a) => a.status)).toEqual([null, "Failed"]);
    expect(graph[1]?.groups[0]?.[1]?.errorMessage).toBe("lint errors");
    expect(graph[2]?.waiting).toEqual([]);
  });
});

describe("buildTimeline", () => {
  it("places stages, action attempts and rules as fractions of the execution", () => {
    const t = (m: number) => new Date(Date.UTC(2026, 0, 1, 0, m)).toISOString();
    const { totalMs, rows } = buildTimeline({
      start: t(0),
      end: t(10),
      now: new Date(t(60)),
      stageOrder: ["Source", "Build"],
      stages: [
        { stageName: "Build", name: "Build", status: "Succeeded", startTime: t(2), endTime: t(10) },
        { stageName: "Source", name: "Source", status: "Succeeded", startTime: t(0), endTime: t(2) },
      ],
      actions: [
        { stageName: "Build", name: "Unit", status: "Succeeded", startTime: t(5), endTime: t(10) },
        { stageName: "Build", name: "Unit", status: "Failed", startTime: t(2), endTime: t(4), errorMessage: "boom" },
      ],
      rules: [
        {
          stageName: "Build",
          name: "NoAlarms",
          status: "Succeeded",
          startTime: t(2),
          endTime: t(2),
          summary: "0 alarms",
        },
      ],
    });
    expect(totalMs).toBe(600_000);
    expect(rows.map((r) => `${r.kind}:${r.label}#${r.attempt}:${r.status}`)).toEqual([
      "stage:Source#1:Succeeded",
      "stage:Build#1:Succeeded",
      "action:Unit#1:Failed",
      "action:Unit#2:Succeeded",
      "rule:NoAlarms#1:Succeeded",
    ]);
    expect(rows[2]).toMatchObject({ offset: 0.2, durationMs: 120_000, errorMessage: "boom" });
    expect(rows[2]?.width).toBeCloseTo(0.2);
    expect(rows[4]?.width).toBeGreaterThan(0);
  });

  it("runs open spans up to now while the execution is in progress", () => {
    const { totalMs, rows } = buildTimeline({
      start: "2026-01-01T00:00:00Z",
      end: null,
      now: new Date("2026-01-01T00:04:00Z"),
      stageOrder: ["A"],
      stages: [{ stageName: "A", name: "A", status: "InProgress", startTime: "2026-01-01T00:02:00Z", endTime: null }],
      actions: [],
      rules: [],
    });
    expect(totalMs).toBe(240_000);
    expect(rows[0]).toMatchObject({ offset: 0.5, width: 0.5, durationMs: 120_000 });
  });
});
