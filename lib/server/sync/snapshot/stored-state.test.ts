import { describe, expect, it } from "vitest";
import type { PipelineStateSnapshot, StageStateSnapshot } from "@/lib/pipelines/state-snapshot";
import { positionsOf } from "./derive";
import { positionFromColumns, readSnapshot, readStoredState, toStoredState } from "./stored-state";

function stage(name: string, latest: [string, string] | null, held: string[] = []): StageStateSnapshot {
  return {
    name,
    latestExecution: latest ? { executionId: latest[0], status: latest[1], type: null } : null,
    inboundTransition: null,
    inboundExecutions: held.map((executionId) => ({ executionId, status: "InProgress", type: null })),
    actions: [
      {
        name: "Act",
        latestExecutionId: null,
        status: latest?.[1] ?? null,
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
      },
    ],
    conditions: [],
    retry: null,
  };
}
const snapshot: PipelineStateSnapshot = {
  pipelineVersion: 4,
  created: null,
  updated: "2026-01-01T00:00:00.000Z",
  stages: [
    stage("Source", ["new", "Succeeded"]),
    stage("Build", ["new", "InProgress"]),
    stage("Prod", ["old", "Succeeded"], ["held"]),
  ],
};

describe("the stored state", () => {
  it("round-trips a snapshot with its derived values and version", () => {
    const stored = JSON.parse(JSON.stringify(toStoredState(snapshot, "Source"))) as unknown;
    expect(readStoredState(stored)).toMatchObject({ version: 2, derived: { sourceActionName: "Source" } });
    expect(readSnapshot(stored)).toEqual(snapshot);
  });

  it("reads a row written before versions (the bare snapshot), deriving what it lacks", () => {
    const legacy = JSON.parse(JSON.stringify(snapshot)) as unknown;
    expect(readSnapshot(legacy)).toEqual(snapshot);
    expect(readStoredState(legacy)?.derived).toEqual({ sourceActionName: null, positions: positionsOf(snapshot) });
    // Fields the shape gained later read as empty rather than hiding the state.
    const older = { ...snapshot, stages: snapshot.stages.map(({ conditions: _c, retry: _r, ...s }) => s) };
    expect(readSnapshot(older)?.stages.map((s) => s.conditions)).toEqual([[], [], []]);
  });

  it("reads anything else as no state", () => {
    for (const bad of [null, 42, "x", {}, { stages: "no" }, { stages: [{ actions: [] }] }])
      expect(readSnapshot(bad)).toBeNull();
  });

  it("places each execution: where it runs, else where it is held (waiting), else the last stage it reached", () => {
    expect(positionsOf(snapshot)).toEqual({
      new: { stage: "Build", waiting: false },
      held: { stage: "Prod", waiting: true },
      old: { stage: "Prod", waiting: false },
    });
    const finished = { ...snapshot, stages: [stage("Source", ["x", "Succeeded"]), stage("Build", ["x", "Failed"])] };
    expect(positionsOf(finished).x).toEqual({ stage: "Build", waiting: false });
  });

  it("answers the overview query from the derived position, or from a legacy row", () => {
    expect(positionFromColumns({ stage: "Build", waiting: false }, null, "new")).toEqual({
      stage: "Build",
      waiting: false,
    });
    expect(positionFromColumns(null, snapshot, "held")).toEqual({ stage: "Prod", waiting: true });
    expect(positionFromColumns(null, null, "new")).toBeNull();
  });
});
