import { describe, expect, it } from "vitest";
import { readDesired, STATUS_DESCRIPTION_MAX } from "@/lib/server/writeback/desired";
import { mapStatuses, statusContext } from "@/lib/server/writeback/map-statuses";
import { executionFacts, SHA, stage } from "@/lib/server/writeback/testing/facts";

const LINKS = { execution: "https://stageboard.example.com/pipelines/p1/executions/e1" };
const ON = { statuses: true, stageStatuses: false };
const statuses = (...args: Parameters<typeof mapStatuses>) =>
  mapStatuses(...args).map((r) => {
    const desired = readDesired(r.desired);
    if (desired.kind !== "status") throw new Error(desired.kind);
    return { kind: r.kind, subject: r.subject, ...desired.status };
  });

describe("commit statuses of an execution", () => {
  it("are sent only when the repository turned them on", () => {
    expect(mapStatuses(executionFacts(), { statuses: false, stageStatuses: true }, LINKS)).toEqual([]);
  });

  it("name the pipeline's context and point at the execution; running is pending", () => {
    expect(statuses(executionFacts(), ON, LINKS)).toEqual([
      expect.objectContaining({
        kind: "status.execution",
        subject: "",
        context: "codepipeline/web-app",
        sha: SHA,
        state: "pending",
        description: "Running Build",
        targetUrl: LINKS.execution,
      }),
    ]);
  });

  it.each([
    ["Succeeded", "success"],
    ["Failed", "failure"],
    ["Stopped", "error"],
    ["Abandoned", "error"],
    ["Cancelled", "error"],
    ["Superseded", "error"],
  ])("a %s execution is %s, never a pending left standing", (status, state) => {
    expect(statuses(executionFacts({ status }), ON, LINKS)[0]?.state).toBe(state);
  });

  it("keep descriptions within GitHub's 140 characters, on one line", () => {
    const facts = executionFacts({
      status: "InProgress",
      stages: [stage(`Build\n${"x".repeat(300)}`, "InProgress", 1)],
    });
    const [status] = statuses(facts, ON, LINKS);
    expect(status?.description.length).toBeLessThanOrEqual(STATUS_DESCRIPTION_MAX);
    expect(status?.description).not.toMatch(/\n/);
  });

  it("with stage statuses on, add a context per stage the execution reached, failures with their error", () => {
    const facts = executionFacts({
      status: "Failed",
      stages: [stage("Source", "Succeeded", 0, 4), stage("Build", "Failed", 5, 9), stage("Prod", null)],
      failedActions: [
        {
          stageName: "Build",
          actionName: "Compile",
          errorCode: "JobFailed",
          errorMessage: "tsc: 3 errors",
          externalUrl: null,
        },
      ],
    });
    expect(
      statuses(facts, { statuses: true, stageStatuses: true }, LINKS).map((s) => [s.context, s.state, s.description]),
    ).toEqual([
      ["codepipeline/web-app", "failure", "Failed at Build"],
      ["codepipeline/web-app/Source", "success", "Source succeeded"],
      ["codepipeline/web-app/Build", "failure", "Build failed: tsc: 3 errors"],
    ]);
  });

  it("say nothing for an execution without a commit", () => {
    expect(mapStatuses(executionFacts({ commitSha: null }), ON, LINKS)).toEqual([]);
  });

  it("contexts are the pipeline's and the stage's names joined by slashes", () => {
    expect(statusContext("api", "Deploy")).toBe("codepipeline/api/Deploy");
  });
});
