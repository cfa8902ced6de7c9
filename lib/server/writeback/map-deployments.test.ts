import { describe, expect, it } from "vitest";
import { readDesired, type DesiredDeployment } from "@/lib/server/writeback/desired";
import { mapDeployments } from "@/lib/server/writeback/map-deployments";
import type { EnvironmentTarget } from "@/lib/server/writeback/settings/types";
import { at, executionFacts, SHA, stage } from "@/lib/server/writeback/testing/facts";

const LINKS = { execution: "https://stageboard.example.com/pipelines/p1/executions/e1" };
const STAGING: EnvironmentTarget = { environment: "staging", production: false, transient: false };
const PRODUCTION: EnvironmentTarget = { environment: "production", production: true, transient: false };
const settings = (deployments = true) => ({
  deployments,
  environments: new Map([
    ["Staging", STAGING],
    ["Prod", PRODUCTION],
  ]),
});
const deployments = (facts = executionFacts(), on = settings()): (DesiredDeployment & { subject: string })[] =>
  mapDeployments(facts, on, LINKS).map((r) => {
    const desired = readDesired(r.desired);
    if (desired.kind !== "deployment") throw new Error(desired.kind);
    return { subject: r.subject, ...desired.deployment };
  });

const pipeline = (staging: string | null, prod: string | null) =>
  executionFacts({
    stages: [
      stage("Source", "Succeeded", 0, 4),
      stage("Staging", staging, staging ? 5 : undefined),
      stage("Prod", prod, prod ? 60 : undefined),
    ],
  });

describe("GitHub Deployments of an execution", () => {
  it("are made only for mapped stages that started, and only when the repository has them on", () => {
    expect(deployments(pipeline(null, null))).toEqual([]);
    expect(deployments(pipeline("InProgress", null), settings(false))).toEqual([]);
    expect(deployments(pipeline("InProgress", null)).map((d) => d.subject)).toEqual(["Staging"]);
  });

  it("deploy the exact commit to the stage's environment, with a payload naming the pipeline and execution", () => {
    const [staging] = deployments(pipeline("InProgress", null));
    expect(staging).toMatchObject({
      sha: SHA,
      environment: "staging",
      production: false,
      transient: false,
      state: "in_progress",
      logUrl: LINKS.execution,
      environmentUrl: null,
      startedAt: at(5).toISOString(),
      payload: {
        pipeline: "web-app",
        pipelineId: "p1",
        executionId: "11111111-2222-3333-4444-555555555555",
        stage: "Staging",
      },
    });
  });

  it("link the environment its actions exported once the stage succeeded, not while it runs", () => {
    const url = "https://staging.example.com/";
    const withUrl = (status: string) =>
      executionFacts({
        stages: [stage("Source", "Succeeded", 0, 4), { ...stage("Staging", status, 5), environmentUrl: url }],
      });
    expect(deployments(withUrl("InProgress"))[0]?.environmentUrl).toBeNull();
    expect(deployments(withUrl("Failed"))[0]?.environmentUrl).toBeNull();
    expect(deployments(withUrl("Succeeded"))[0]?.environmentUrl).toBe(url);
  });

  it.each([
    ["InProgress", "in_progress"],
    ["Succeeded", "success"],
    ["Failed", "failure"],
    ["Stopped", "error"],
    ["Abandoned", "error"],
  ])("follow the stage: %s is %s", (status, state) => {
    expect(deployments(pipeline("Succeeded", status)).find((d) => d.subject === "Prod")?.state).toBe(state);
  });

  it("mark production environments as such", () => {
    expect(deployments(pipeline("Succeeded", "InProgress")).map((d) => [d.environment, d.production])).toEqual([
      ["staging", false],
      ["production", true],
    ]);
  });
});
