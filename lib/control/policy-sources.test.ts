import { describe, expect, it } from "vitest";
import { explainPolicy, type PolicyValues } from "./policy-sources";

const defaults: PolicyValues = {
  approvals: {
    minPermission: "write",
    requiredTeams: [],
    preventSelfApproval: true,
    requiredApprovals: 1,
    requireApproveComment: false,
  },
  commands: {
    "retry-stage": "write",
    "stop-execution": "write",
    "start-execution": "write",
    "disable-transition": "maintain",
    "enable-transition": "maintain",
    "rollback-stage": "maintain",
    "override-condition": "admin",
  },
};

describe("explainPolicy", () => {
  it("says where each value comes from, the nearest level winning field by field", () => {
    const explained = explainPolicy(defaults, [
      {
        source: "instance",
        override: { approvals: { requiredApprovals: 2 }, commands: { "retry-stage": "maintain" } },
      },
      { source: "repository", override: { approvals: { requiredApprovals: 3, minPermission: "maintain" } } },
      { source: "pipeline", override: null },
      { source: "stage", override: { approvals: { preventSelfApproval: false } } },
    ]);
    expect(explained.approvals.requiredApprovals).toEqual({ value: 3, source: "repository" });
    expect(explained.approvals.minPermission).toEqual({ value: "maintain", source: "repository" });
    expect(explained.approvals.preventSelfApproval).toEqual({ value: false, source: "stage" });
    expect(explained.approvals.requiredTeams).toEqual({ value: [], source: "default" });
    expect(explained.commands["retry-stage"]).toEqual({ value: "maintain", source: "instance" });
    expect(explained.commands["override-condition"]).toEqual({ value: "admin", source: "default" });
  });

  it("ignores fields it does not know", () => {
    const explained = explainPolicy(defaults, [
      { source: "repository", override: { approvals: { unknown: 1 } as never } },
    ]);
    expect(Object.keys(explained.approvals)).not.toContain("unknown");
  });
});
