import { describe, expect, it } from "vitest";
import { compareReports, type JobRow } from "./github-compare";

const SHA = "a".repeat(40);
const T = new Date("2026-12-01T10:00:00Z");
const run = (externalId: string, status: string, conclusion: string | null, name = "CodePipeline · web") => ({
  appId: 1,
  externalId,
  name,
  status,
  conclusion,
});
const checkJob = (executionId: string, state = "delivered"): JobRow => ({
  kind: "check-run.execution",
  state,
  headSha: SHA,
  pipelineId: "p",
  executionId,
  desired: { checkRun: { name: "CodePipeline · web", status: "completed", conclusion: "success" } },
});

describe("comparing Stageboard's reports with GitHub", () => {
  const executions = [
    { executionId: "e1", pipelineId: "p", commitSha: SHA, status: "Succeeded", startTime: T },
    { executionId: "e2", pipelineId: "p", commitSha: SHA, status: "Failed", startTime: new Date(T.getTime() + 1000) },
  ];

  it("judges a check run by the execution's stored status, and counts a second run of one name as a duplicate", () => {
    const result = compareReports({
      appId: 1,
      jobs: [checkJob("e1"), checkJob("e2"), checkJob("e3", "dead")],
      executions,
      runs: [
        run("e1", "completed", "success"),
        run("e2", "completed", "success"),
        run("e2", "in_progress", null),
        run("e1", "queued", null, "other"),
      ],
      statuses: [],
      deployments: [],
    });
    expect(result.compared).toBe(3);
    // e2 failed but GitHub shows the other state; e3's job never delivered.
    expect(result.mismatches).toBe(2);
    expect(result.duplicateCheckRuns).toBe(1);
  });

  it("wants the newest execution's state on the commit status, and the job's state on each deployment", () => {
    const deployment = (state: string) => ({
      sha: SHA,
      environment: "Prod",
      payload: { executionId: "e2" },
      statuses: [{ state: "in_progress" }, { state }],
    });
    const result = compareReports({
      appId: 1,
      jobs: [
        {
          kind: "status.execution",
          state: "delivered",
          headSha: SHA,
          pipelineId: "p",
          executionId: "",
          desired: { status: { sha: SHA, context: "codepipeline/web" } },
        },
        {
          kind: "deployment.stage",
          state: "delivered",
          headSha: SHA,
          pipelineId: "p",
          executionId: "e2",
          desired: { deployment: { sha: SHA, environment: "Prod", state: "failure", payload: { executionId: "e2" } } },
        },
      ],
      executions,
      runs: [],
      statuses: [
        { sha: SHA, context: "codepipeline/web", state: "success" },
        { sha: SHA, context: "codepipeline/web", state: "failure" },
      ],
      deployments: [deployment("failure"), deployment("failure")],
    });
    expect(result.mismatches).toBe(0);
    expect(result.duplicateDeployments).toBe(1);
  });

  it("a stale commit status is a mismatch", () => {
    const result = compareReports({
      appId: 1,
      jobs: [
        {
          kind: "status.execution",
          state: "delivered",
          headSha: SHA,
          pipelineId: "p",
          executionId: "",
          desired: { status: { sha: SHA, context: "c" } },
        },
      ],
      executions,
      runs: [],
      statuses: [{ sha: SHA, context: "c", state: "success" }],
      deployments: [],
    });
    expect(result.mismatches).toBe(1);
  });
});
