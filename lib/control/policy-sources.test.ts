import { describe, expect, it } from "vitest";
import { DEFAULT_POLICY } from "@/lib/server/control/policy/policy";
import { explainPolicy, type Explained, type PolicyLevel, type PolicySource } from "./policy-sources";

// The defaults are the server's own (what the settings page passes in); the levels below set values that
// differ from them, so a value that comes back from the wrong level shows as the wrong value or source.
const LEVELS: PolicyLevel[] = [
  { source: "instance", override: { approvals: { requiredApprovals: 2 }, commands: { "retry-stage": "maintain" } } },
  { source: "repository", override: { approvals: { requiredApprovals: 3, minPermission: "maintain" } } },
  { source: "pipeline", override: null },
  { source: "stage", override: { approvals: { preventSelfApproval: false } } },
];

type Group = "approvals" | "commands";
/** Each field: the value in effect under LEVELS and the level it comes from. */
const CASES: [Group, string, unknown, PolicySource][] = [
  ["approvals", "requiredApprovals", 3, "repository"],
  ["approvals", "minPermission", "maintain", "repository"],
  ["approvals", "preventSelfApproval", false, "stage"],
  ["approvals", "requiredTeams", DEFAULT_POLICY.approvals.requiredTeams, "default"],
  ["approvals", "requireApproveComment", DEFAULT_POLICY.approvals.requireApproveComment, "default"],
  ["commands", "retry-stage", "maintain", "instance"],
  ["commands", "override-condition", DEFAULT_POLICY.commands["override-condition"], "default"],
];

const explained = (levels: readonly PolicyLevel[], group: Group) =>
  explainPolicy(DEFAULT_POLICY, levels)[group] as Record<string, Explained<unknown>>;

describe("explainPolicy", () => {
  it.each(CASES)("%s.%s is %j, from %s: the nearest level that sets it wins", (group, field, value, source) => {
    expect(explained(LEVELS, group)[field]).toEqual({ value, source });
  });

  it("ignores fields it does not know", () => {
    const approvals = explained(
      [{ source: "repository", override: { approvals: { unknown: 1 } as never } }],
      "approvals",
    );
    expect(Object.keys(approvals)).not.toContain("unknown");
  });
});
