import { describe, expect, it } from "vitest";
import { actionsProblem, APPROVAL_ACTIONS, decisionOf } from "@/lib/server/writeback/check-run-actions";
import { checkRunBody, checkRunDesired, checkRunOf } from "@/lib/server/writeback/desired";
import { mapCheckRuns } from "@/lib/server/writeback/map-check-runs";
import { approval, executionFacts, stage } from "@/lib/server/writeback/testing/facts";
import type { ExecutionFacts } from "@/lib/server/writeback/execution-facts";

// The approval run's buttons and what the runs say about the last click on GitHub (pure).
const BASE = "https://stageboard.example.com";
const runOf = (facts: ExecutionFacts, kind: "check-run.approval" | "check-run.execution") => {
  const report = mapCheckRuns(facts, { baseUrl: BASE }).find((r) => r.kind === kind);
  if (!report) throw new Error(`no ${kind}`);
  return checkRunOf(report.desired);
};
/** A summary as GitHub shows it: Markdown's escapes undone. */
const plain = (summary: string) => summary.replace(/\\(.)/g, "$1");
const waiting = (overrides: Partial<ExecutionFacts> = {}) =>
  executionFacts({
    stages: [stage("Source", "Succeeded", 0, 5), stage("Prod", "InProgress", 5)],
    approvals: [approval({ stageName: "Prod" })],
    ...overrides,
  });

describe("the approval run's buttons", () => {
  it("are Approve and Reject within GitHub's limits while the approval waits, and sent in the request", () => {
    const run = runOf(waiting(), "check-run.approval");
    expect(run.actions?.map((a) => [a.label, a.identifier])).toEqual([
      ["Approve", "approve"],
      ["Reject", "reject"],
    ]);
    expect(actionsProblem(APPROVAL_ACTIONS)).toBeNull();
    expect(checkRunBody(run).actions).toEqual(run.actions);
  });

  it("are taken away (an empty list is sent) once decided; the execution's run never has any", () => {
    const decided = waiting({
      approvals: [
        approval({ stageName: "Prod", status: "Approved", decider: { kind: "person", login: "ada", comment: null } }),
      ],
    });
    const run = runOf(decided, "check-run.approval");
    expect(run.actions).toEqual([]);
    expect(checkRunBody(run).actions).toEqual([]);
    const execution = runOf(decided, "check-run.execution");
    expect(execution.actions).toBeUndefined();
    expect("actions" in checkRunBody(execution)).toBe(false);
  });

  it("that do not fit GitHub's limits are refused before anything is sent", () => {
    const run = runOf(waiting(), "check-run.approval");
    const long = { label: "Approve", description: "x".repeat(41), identifier: "approve" };
    expect(actionsProblem([long])).toBe("an action's description must have 1 to 40 characters");
    expect(actionsProblem([...APPROVAL_ACTIONS, ...APPROVAL_ACTIONS])).toBe("at most 3 actions");
    expect(() => checkRunDesired({ ...run, actions: [long] })).toThrow(/GitHub's limits/);
  });

  it("stand for a decision only when Stageboard offered them", () => {
    expect([decisionOf("approve"), decisionOf("reject"), decisionOf("lgtm"), decisionOf(null)]).toEqual([
      "approve",
      "reject",
      null,
      null,
    ]);
  });
});

describe("the last click on GitHub", () => {
  it("is shown on its approval's run, refused or done, and a retry on the execution's run", () => {
    const facts = waiting({
      gitHubClicks: [
        {
          kind: "approve",
          stageName: "Prod",
          result: "refused",
          outcome: "@linus needs write on acme/web-app; they have read",
        },
        { kind: "retry", stageName: "Build", result: "refused", outcome: "@linus needs write on acme/web-app" },
      ],
    });
    const approvalSummary = plain(runOf(facts, "check-run.approval").summary);
    expect(approvalSummary).toContain("**Refused on GitHub:** @linus needs write on acme/web-app; they have read");
    expect(plain(runOf(facts, "check-run.execution").summary)).toContain("**Refused on GitHub:** @linus needs write");
    const other = waiting({
      gitHubClicks: [
        { kind: "approve", stageName: "Staging", result: "succeeded", outcome: "Approved on GitHub by @ada" },
      ],
    });
    expect(runOf(other, "check-run.approval").summary).not.toContain("on GitHub");
  });
});
