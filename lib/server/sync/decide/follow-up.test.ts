import { describe, expect, it } from "vitest";
import type { ActionStateSnapshot, PipelineStateSnapshot } from "@/lib/pipelines/state-snapshot";
import { followUpShortestMs, type DeclaredAction } from "./follow-up";

const action = (name: string, status: string | null): ActionStateSnapshot => ({
  name,
  status,
  latestExecutionId: null,
  summary: null,
  lastStatusChange: null,
  externalExecutionId: null,
  externalExecutionUrl: null,
  errorCode: null,
  errorMessage: null,
  percentComplete: null,
  hasToken: status === "InProgress",
  revisionId: null,
  revisionUrl: null,
  entityUrl: null,
});

const snapshot = (stages: [string, ActionStateSnapshot[]][]): PipelineStateSnapshot => ({
  pipelineVersion: 1,
  created: null,
  updated: null,
  stages: stages.map(([name, actions]) => ({
    name,
    actions,
    latestExecution: null,
    inboundTransition: null,
    inboundExecutions: [],
    conditions: [],
    retry: null,
  })),
});

const declared: DeclaredAction[] = [
  { stageName: "Release", name: "SignOff", runOrder: 1 },
  { stageName: "Release", name: "Tag", runOrder: 2 },
  { stageName: "Prod", name: "DeployUs", runOrder: 1 },
  { stageName: "Prod", name: "DeployEu", runOrder: 1 },
  { stageName: "Prod", name: "Smoke", runOrder: 2 },
];
const approvals = new Set(["Release/SignOff", "Prod/Gate"]);

describe("followUpShortestMs", () => {
  it("takes the next run order of the approval's stage when there is one", () => {
    const state = snapshot([
      ["Release", [action("SignOff", "InProgress"), action("Tag", null)]],
      ["Prod", [action("DeployUs", null)]],
    ]);
    expect(
      followUpShortestMs(
        state,
        declared,
        approvals,
        new Map([
          ["Release/Tag", 20_000],
          ["Prod/DeployUs", 90_000],
        ]),
      ),
    ).toBe(20_000);
  });

  it("otherwise the quickest action of the next stage's first run order", () => {
    const state = snapshot([
      ["Release", [action("SignOff", "InProgress")]],
      ["Prod", [action("DeployUs", null), action("DeployEu", null), action("Smoke", null)]],
    ]);
    const shortest = new Map([
      ["Prod/DeployUs", 90_000],
      ["Prod/DeployEu", 70_000],
      ["Prod/Smoke", 5_000],
    ]);
    expect(
      followUpShortestMs(
        state,
        declared.filter((a) => a.name !== "Tag"),
        approvals,
        shortest,
      ),
    ).toBe(70_000);
  });

  it("is unknown while what follows has too little history", () => {
    const state = snapshot([
      ["Release", [action("SignOff", "InProgress")]],
      ["Prod", [action("DeployUs", null), action("DeployEu", null)]],
    ]);
    expect(
      followUpShortestMs(
        state,
        declared.filter((a) => a.name !== "Tag"),
        approvals,
        new Map([["Prod/DeployUs", 90_000]]),
      ),
    ).toBeNull();
  });

  it("is unbounded when only the end of the execution or another approval follows", () => {
    expect(
      followUpShortestMs(
        snapshot([["Release", [action("SignOff", "InProgress")]]]),
        [declared[0]!],
        approvals,
        new Map(),
      ),
    ).toBe(Infinity);
    const gated = snapshot([
      ["Release", [action("SignOff", "InProgress")]],
      ["Prod", [action("Gate", null)]],
    ]);
    expect(
      followUpShortestMs(gated, [declared[0]!, { stageName: "Prod", name: "Gate", runOrder: 1 }], approvals, new Map()),
    ).toBe(Infinity);
  });

  it("ignores approvals that are not pending", () => {
    const state = snapshot([
      ["Release", [action("SignOff", "Succeeded"), action("Tag", "InProgress")]],
      ["Prod", [action("DeployUs", null)]],
    ]);
    expect(followUpShortestMs(state, declared, approvals, new Map())).toBe(Infinity);
  });
});
