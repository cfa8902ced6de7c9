import { describe, expect, it } from "vitest";
import type { PipelineStateSnapshot, StageStateSnapshot } from "@/lib/pipelines/state-snapshot";
import { planExecutionListing, planOpenExecution, type OpenExecutionFacts } from "./refresh-plan";

function stage(name: string, latest: string | null, status = "InProgress", held: string[] = []): StageStateSnapshot {
  return {
    name,
    latestExecution: latest ? { executionId: latest, status, type: null } : null,
    inboundTransition: null,
    inboundExecutions: held.map((executionId) => ({ executionId, status: "InProgress", type: null })),
    actions: [],
    conditions: [],
    retry: null,
  };
}
const snapshot = (...stages: StageStateSnapshot[]): PipelineStateSnapshot => ({
  pipelineVersion: 1,
  created: null,
  updated: null,
  stages,
});

describe("planExecutionListing: ListPipelineExecutions only when the state cannot tell", () => {
  const base = {
    executionMode: "QUEUED",
    openIds: ["e1"],
    snapshot: snapshot(stage("Build", "e1")),
    previous: null,
    namedStored: 1,
  };

  it("rule: a running execution the state shows, with every execution it names stored, needs no listing", () => {
    expect(planExecutionListing(base)).toEqual({ kind: "state-only" });
  });

  it("rule: executions are listed when none is open (one may have started)", () => {
    expect(planExecutionListing({ ...base, openIds: [] })).toMatchObject({ reason: "none-open" });
  });

  it("rule: executions are listed when several PARALLEL executions are open", () => {
    expect(planExecutionListing({ ...base, executionMode: "PARALLEL", openIds: ["e1", "e2"] })).toMatchObject({
      reason: "parallel-several-open",
    });
  });

  it("rule: executions are listed when an open execution left the state (it ended)", () => {
    expect(planExecutionListing({ ...base, snapshot: snapshot(stage("Build", "e1", "Succeeded")) })).toMatchObject({
      reason: "open-left-state",
    });
  });

  it("rule: executions are listed when an execution is newly held before a stage", () => {
    const held = snapshot(stage("Build", "e1"), stage("Deploy", null, "InProgress", ["e1"]));
    expect(planExecutionListing({ ...base, snapshot: held })).toMatchObject({ reason: "newly-held" });
    expect(planExecutionListing({ ...base, snapshot: held, previous: held })).toEqual({ kind: "state-only" });
  });

  it("rule: executions are listed when the state names one not stored yet", () => {
    const named = snapshot(stage("Build", "e1"), stage("Deploy", "e0", "Succeeded"));
    expect(planExecutionListing({ ...base, snapshot: named, namedStored: 1 })).toMatchObject({
      reason: "unknown-named",
    });
  });
});

describe("planOpenExecution: what a refresh does with each open execution", () => {
  const base: OpenExecutionFacts = {
    listed: true,
    summary: "unchanged",
    needsListing: false,
    stateExact: true,
    status: "InProgress",
    hasConditions: false,
    declaresVariables: false,
  };

  it("rule: a running execution is kept open from the state alone, without calls", () => {
    expect(planOpenExecution({ ...base, listed: false })).toEqual({ kind: "keep-open", reason: "running-per-state" });
    expect(planOpenExecution({ ...base, summary: "changed" })).toEqual({
      kind: "keep-open",
      reason: "summary-unchanged",
    });
  });

  it("rule: an open execution not on the recent pages is fetched by id, and completed when AWS forgot it", () => {
    const absent = { ...base, summary: "absent" as const };
    expect(planOpenExecution(absent)).toEqual({ kind: "get-execution", reason: "not-on-recent-pages" });
    expect(planOpenExecution({ ...absent, fetched: null })).toEqual({ kind: "mark-gone", reason: "aws-forgot-it" });
    expect(planOpenExecution({ ...absent, fetched: { status: "Succeeded" } })).toEqual({
      kind: "list-actions",
      listRules: false,
      then: "complete",
    });
  });

  it("rule: an execution's action executions are listed when the state cannot show its progress, or it ended", () => {
    expect(planOpenExecution({ ...base, listed: false, needsListing: true })).toMatchObject({
      kind: "list-actions",
      then: "keep-open",
    });
    expect(planOpenExecution({ ...base, summary: "changed", stateExact: false })).toMatchObject({
      kind: "list-actions",
      then: "keep-open",
    });
    expect(planOpenExecution({ ...base, status: "Failed" })).toMatchObject({ kind: "list-actions", then: "complete" });
  });

  it("rule: rule executions are listed with the actions when the pipeline's stages declare conditions", () => {
    expect(planOpenExecution({ ...base, status: "Succeeded", hasConditions: true })).toMatchObject({
      listRules: true,
    });
  });

  it("rule: a finished execution of a pipeline that declares variables is read once more before it completes", () => {
    expect(planOpenExecution({ ...base, status: "Succeeded", declaresVariables: true })).toMatchObject({
      then: "confirm-final",
    });
  });
});
