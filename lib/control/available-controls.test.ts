import { describe, expect, it } from "vitest";
import type { GraphAction, GraphStage } from "@/lib/pipelines/graph";
import {
  executionStopControl,
  possibleStageControls,
  releaseControl,
  stageControls,
  type StageControlInput,
} from "./available-controls";
import type { PipelineRights, Right } from "./contract";

const E1 = "11111111-1111-1111-1111-111111111111";
const E0 = "00000000-0000-0000-0000-000000000000";

const action = (name: string, status: string | null, category = "Build"): GraphAction => ({
  name,
  category,
  provider: "CodeBuild",
  status,
  startTime: null,
  endTime: null,
  summary: null,
  errorMessage: null,
  externalId: null,
  externalUrl: null,
  attempts: 1,
});

const stage = (over: Partial<GraphStage> = {}): GraphStage => ({
  name: "Deploy",
  status: "Succeeded",
  executionId: E1,
  transition: { enabled: true, reason: null, by: null, at: null },
  waiting: [],
  conditions: [],
  groups: [[action("Deploy", "Succeeded")]],
  ...over,
});

const yes: Right = { allowed: true };
const no: Right = { allowed: false, reason: "needs maintain on acme/web-app; you have write" };
const rights = (over: Partial<PipelineRights["commands"]> = {}, readOnlyInstance = false): PipelineRights => ({
  readOnlyInstance,
  commands: {
    "retry-stage": yes,
    "stop-execution": yes,
    "disable-transition": yes,
    "enable-transition": yes,
    "start-execution": yes,
    "rollback-stage": yes,
    "override-condition": yes,
    ...over,
  },
});

const input = (s: GraphStage, pipelineType: string | null = "V2"): StageControlInput => ({
  stage: s,
  pipelineType,
  succeeded: [
    { executionId: E1, label: "current" },
    { executionId: E0, label: "older" },
  ],
});

const kinds = (controls: { kind: string }[]) => controls.map((c) => c.kind);

describe("possibleStageControls", () => {
  it("offers a retry on a failed or stopped stage, and a stop while it runs with the actions in progress counted", () => {
    expect(kinds(possibleStageControls(input(stage({ status: "Failed" }))))).toContain("retry-stage");
    expect(kinds(possibleStageControls(input(stage({ status: "Stopped" }))))).toContain("retry-stage");
    const running = possibleStageControls(
      input(
        stage({
          status: "InProgress",
          groups: [[action("A", "InProgress"), action("B", "InProgress")], [action("C", null)]],
        }),
      ),
    );
    expect(running.find((c) => c.kind === "stop-execution")).toMatchObject({ executionId: E1, inProgressActions: 2 });
    expect(kinds(running)).not.toContain("retry-stage");
    expect(kinds(running)).not.toContain("rollback-stage");
  });

  it("offers disable on an enabled transition, enable on a disabled one, and neither on the first stage", () => {
    expect(kinds(possibleStageControls(input(stage())))).toContain("disable-transition");
    const disabled = possibleStageControls(
      input(stage({ transition: { enabled: false, reason: "Change freeze", by: "ada", at: null } })),
    );
    expect(disabled.find((c) => c.kind === "enable-transition")).toMatchObject({ reason: "Change freeze" });
    expect(kinds(disabled)).not.toContain("disable-transition");
    const first = kinds(possibleStageControls(input(stage({ transition: null }))));
    expect(first).not.toContain("disable-transition");
    expect(first).not.toContain("enable-transition");
  });

  it("offers a rollback on V2 pipelines only, to a succeeded execution other than the stage's current one", () => {
    const v2 = possibleStageControls(input(stage()));
    expect(v2.find((c) => c.kind === "rollback-stage")).toMatchObject({
      targets: [{ executionId: E0, label: "older" }],
    });
    expect(kinds(possibleStageControls(input(stage(), "V1")))).not.toContain("rollback-stage");
    expect(
      kinds(possibleStageControls({ stage: stage(), pipelineType: "V2", succeeded: [{ executionId: E1, label: "" }] })),
    ).not.toContain("rollback-stage");
  });

  it("offers an override only for an entry or success condition being evaluated", () => {
    const evaluating = possibleStageControls(
      input(
        stage({
          status: null,
          executionId: null,
          waiting: [{ executionId: E0, status: "InProgress", heldByTransition: false }],
          conditions: [
            { kind: "BEFORE_ENTRY", status: "InProgress", summary: null },
            { kind: "ON_FAILURE", status: "InProgress", summary: null },
          ],
        }),
      ),
    );
    expect(evaluating.filter((c) => c.kind === "override-condition")).toEqual([
      { kind: "override-condition", stageName: "Deploy", executionId: E0, conditionType: "BEFORE_ENTRY" },
    ]);
    const settled = possibleStageControls(
      input(stage({ conditions: [{ kind: "ON_SUCCESS", status: "Succeeded", summary: null }] })),
    );
    expect(kinds(settled)).not.toContain("override-condition");
  });
});

describe("stageControls", () => {
  it("hides what the policy refuses, everything on a read-only instance, and everything until rights are known", () => {
    const failed = input(stage({ status: "Failed" }));
    expect(kinds(stageControls(failed, rights()))).toEqual(["retry-stage", "disable-transition", "rollback-stage"]);
    expect(kinds(stageControls(failed, rights({ "disable-transition": no, "rollback-stage": no })))).toEqual([
      "retry-stage",
    ]);
    expect(stageControls(failed, rights({}, true))).toEqual([]);
    // A stage with a policy of its own follows it, for its stage commands only.
    const own = { ...rights(), stages: { Deploy: { ...rights().commands, "retry-stage": no } } };
    expect(kinds(stageControls(failed, own))).toEqual(["disable-transition", "rollback-stage"]);
    const other = { ...rights(), stages: { Build: { ...rights().commands, "retry-stage": no } } };
    expect(kinds(stageControls(failed, other))).toContain("retry-stage");
    expect(stageControls(failed, null)).toEqual([]);
  });
});

describe("releaseControl", () => {
  const graph = [
    stage({
      name: "Source",
      transition: null,
      groups: [
        [
          { ...action("Checkout", "Succeeded", "Source"), provider: "CodeStarSourceConnection" },
          // GitHub (version 1) cannot start a chosen commit: not offered.
          { ...action("Legacy", "Succeeded", "Source"), provider: "GitHub" },
        ],
      ],
    }),
    stage(),
  ];
  it("lets V2 pipelines choose a source action's commit and set variables; V1 releases the latest source only", () => {
    const variables = [{ name: "ENV", defaultValue: "prod" }];
    expect(releaseControl({ pipelineType: "V2", graph, variables }, rights())).toEqual({
      kind: "start-execution",
      v2: true,
      sourceActions: ["Checkout"],
      variables,
    });
    expect(releaseControl({ pipelineType: null, graph, variables }, rights())).toMatchObject({
      v2: false,
      sourceActions: [],
      variables: [],
    });
    expect(releaseControl({ pipelineType: "V2", graph, variables }, rights({ "start-execution": no }))).toBeNull();
  });
});

describe("executionStopControl", () => {
  it("stops a running execution, only abandons a stopping one, and offers nothing once it ended", () => {
    expect(
      executionStopControl({ executionId: E1, status: "InProgress", inProgressActions: 1 }, rights()),
    ).toMatchObject({
      abandonOnly: false,
    });
    expect(executionStopControl({ executionId: E1, status: "Stopping", inProgressActions: 1 }, rights())).toMatchObject(
      {
        abandonOnly: true,
      },
    );
    expect(executionStopControl({ executionId: E1, status: "Succeeded", inProgressActions: 0 }, rights())).toBeNull();
    expect(
      executionStopControl(
        { executionId: E1, status: "InProgress", inProgressActions: 1 },
        rights({ "stop-execution": no }),
      ),
    ).toBeNull();
  });
});
