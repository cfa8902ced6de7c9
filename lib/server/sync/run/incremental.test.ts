import { CodePipelineClient, EnableStageTransitionCommand } from "@aws-sdk/client-codepipeline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readSnapshot } from "../snapshot/stored-state";
import { compareWithTruth, fetchTruth } from "../testing/compare-truth";
import { createFixture, TEST_SETTINGS, type Fixture } from "../testing/fixture";

const settings = { ...TEST_SETTINGS, idleIntervalMs: 300_000, maxIdleIntervalMs: 1_200_000 };

describe("incremental sync", () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await createFixture({ pipelines: 4, historyDays: 3 });
    await f.drain({ settings });
    // Approvals nobody answers, and an execution held at a disabled transition, would stay open for days:
    // expire the approvals, open the transition, then let the rest finish.
    await f.control("approvals/expire", {});
    const client = new CodePipelineClient({ region: "us-east-1", endpoint: f.sandbox.url, maxAttempts: 1 });
    await client.send(
      new EnableStageTransitionCommand({
        pipelineName: "web-app-prod",
        stageName: "Production",
        transitionType: "Inbound",
      }),
    );
    client.destroy();
    await f.advance(3 * 3_600_000, 120_000, { settings });
  });
  afterAll(async () => f?.close());

  it("checks an idle pipeline with one GetPipelineState and nothing else", async () => {
    // Executions that reached an approval after the first expiry: a recent approval request is checked
    // every minute (its answer starts work that runs by itself), so expire them until nothing is open.
    for (
      let round = 0;
      round < 6 && (await f.database.db.execution.count({ where: { completedAt: null } })) > 0;
      round++
    ) {
      await f.control("approvals/expire", {});
      await f.advance(600_000, 60_000, { settings });
    }
    expect(await f.database.db.execution.count({ where: { completedAt: null } })).toBe(0);
    await f.control("stats/reset", {});
    await f.advance(1_300_000, 100_000, { settings });
    const { requests } = await f.stats();
    // Discovery (one ListPipelines per target every 5 minutes) aside, only the cheap check runs.
    expect(Object.keys(requests).sort()).toEqual(["GetPipelineState", "ListPipelines"]);
    // Four pipelines over ~21 minutes of idle time, at 5, 10, 20 minute intervals: at most 3 checks each.
    expect(requests.GetPipelineState).toBeGreaterThanOrEqual(4);
    expect(requests.GetPipelineState).toBeLessThanOrEqual(12);
  });

  it("follows a new execution while it runs and never fetches it again once finished", async () => {
    // A long build keeps it running past the idle pipeline's next check.
    await f.control("scripts", { pipeline: "web-app-staging", stage: "Build", action: "Build", durationMs: 1_800_000 });
    const started = (await f.control("activity", { pipelines: ["web-app-staging"] })) as {
      started: { pipelineExecutionId: string }[];
    };
    const executionId = started.started[0]!.pipelineExecutionId;
    // The idle pipeline notices within its idle interval, then follows the execution at the active interval.
    let seen = null;
    for (let waited = 0; waited < 1_200_000 && !seen; waited += 60_000) {
      await f.advance(60_000, 60_000, { settings });
      seen = await f.database.db.execution.findFirst({ where: { executionId } });
    }
    expect(seen).not.toBeNull();
    await f.control("stats/reset", {});
    let runningSeen = 0;
    for (let waited = 0; waited < 3_600_000; waited += 5_000) {
      await f.advance(5_000, 5_000, { settings });
      if ((await f.database.db.execution.findFirst({ where: { executionId } }))?.completedAt) break;
      // While it runs, every action the stored state shows running has its row, kept from the state alone.
      const pipeline = await f.database.db.pipeline.findFirstOrThrow({ where: { name: "web-app-staging" } });
      const state = readSnapshot(pipeline.state)!;
      for (const stage of state.stages) {
        if (stage.latestExecution?.executionId !== executionId) continue;
        for (const action of stage.actions.filter((a) => a.status === "InProgress" && a.latestExecutionId)) {
          const row = await f.database.db.actionExecution.findFirst({
            where: { actionExecutionId: action.latestExecutionId! },
          });
          expect(row?.status).toBe("InProgress");
          expect(row?.lastUpdateTime?.toISOString()).toBe(action.lastStatusChange);
          runningSeen++;
        }
      }
    }
    expect(runningSeen).toBeGreaterThan(0);
    // Its action executions are listed when actions finished unseen and once at the end, not at every change.
    const during = await f.stats();
    expect(during.requests.GetPipelineState).toBeGreaterThan(5);
    expect(during.requests.ListActionExecutions ?? 0).toBeLessThanOrEqual(2);
    expect(during.requests.ListPipelineExecutions ?? 0).toBeLessThanOrEqual(2);
    const row = await f.database.db.execution.findFirstOrThrow({
      where: { executionId },
      include: { actionExecutions: true, stageExecutions: true },
    });
    expect(row.actionExecutions.length).toBeGreaterThan(1);
    expect(row.commitSha).toMatch(/^[0-9a-f]{40}$/);
    expect(row.commitMessage).toBeTruthy();
    expect(row.commitUrl).toBe(`https://github.com/acme/web-app/commit/${row.commitSha}`);
    expect(row.branch).toBe("develop");
    expect(row.completedAt).not.toBeNull();
    expect(row.variables).not.toBeNull();
    const pipeline = await f.database.db.pipeline.findFirstOrThrow({ where: { name: "web-app-staging" } });
    expect(pipeline.latestExecutionId).toBe(executionId);
    expect(pipeline.latestStatus).toBe(row.status);

    await f.control("stats/reset", {});
    await f.advance(3_600_000, 300_000, { settings });
    const { requests } = await f.stats();
    expect(requests.GetPipelineExecution ?? 0).toBe(0);
    expect(requests.ListActionExecutions ?? 0).toBe(0);
    const comparison = await compareWithTruth(f.database.db, "sandbox", await fetchTruth(f.sandbox.url));
    expect(comparison.samples).toEqual([]);
  });
});
