import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PipelineStateSnapshot } from "@/lib/pipelines/state-snapshot";
import { readSnapshot } from "../snapshot/stored-state";
import { compareWithTruth, fetchTruth } from "../testing/compare-truth";
import { createFixture, type Fixture } from "../testing/fixture";

// PARALLEL mode: the state shows only the latest execution per stage, so the engine has to tell apart
// executions the state shows (an unchanged state means they did not move) from one overtaken in its stage.
describe("PARALLEL executions", () => {
  let f: Fixture;
  const pipeline = "payments-service";
  beforeAll(async () => {
    f = await createFixture({ pipelines: 5, historyDays: 2 });
    await f.drain();
    await f.control("approvals/expire", {});
    await f.advance(2 * 3_600_000, 300_000);
  });
  afterAll(async () => f?.close());

  const stored = async () => {
    const row = await f.database.db.pipeline.findFirstOrThrow({ where: { name: pipeline } });
    return readSnapshot(row.state)!;
  };
  const stageOf = (state: PipelineStateSnapshot, executionId: string) =>
    state.stages.find(
      (s) => s.latestExecution?.executionId === executionId && s.latestExecution.status === "InProgress",
    )?.name;
  const start = async () =>
    ((await f.control("activity", { pipelines: [pipeline] })) as { started: { pipelineExecutionId: string }[] })
      .started[0]!.pipelineExecutionId;
  const advanceUntil = async (done: () => Promise<boolean>) => {
    for (let waited = 0; waited < 1_800_000 && !(await done()); waited += 5_000) await f.advance(5_000, 5_000);
  };

  it("checks executions the state shows with GetPipelineState alone, and lists when one is overtaken", async () => {
    expect(await f.database.db.execution.count({ where: { pipeline: { name: pipeline }, completedAt: null } })).toBe(0);
    // The first execution waits an hour in its approval stage; the second builds for half an hour.
    await f.control("scripts", { pipeline, stage: "Approval", action: "ManualApproval", durationMs: 3_600_000 });
    const first = await start();
    await advanceUntil(async () => stageOf(await stored(), first) === "Approval");
    expect(stageOf(await stored(), first)).toBe("Approval");
    await f.control("scripts", { pipeline, stage: "Build", action: "Build", durationMs: 1_800_000 });
    const second = await start();
    await f.advance(300_000, 5_000);
    expect(stageOf(await stored(), second)).toBe("Build");

    // Both lead a stage and neither moves: each check is one GetPipelineState, no listing.
    await f.control("stats/reset", {});
    await f.advance(600_000, 5_000);
    const quiet = await f.stats();
    expect(quiet.requests.GetPipelineState).toBeGreaterThan(0);
    expect(quiet.requests.ListPipelineExecutions ?? 0).toBe(0);
    expect(quiet.requests.ListActionExecutions ?? 0).toBe(0);

    // A third execution overtakes the second in Build: the second no longer shows, so checks list again.
    const third = await start();
    await f.control("stats/reset", {});
    await f.advance(120_000, 5_000);
    expect(stageOf(await stored(), third)).toBe("Build");
    expect((await f.stats()).requests.ListPipelineExecutions ?? 0).toBeGreaterThan(0);

    // Everything finishes and matches AWS's record, the overtaken execution included.
    await f.control("scripts", { pipeline, stage: "Build", action: "Build", durationMs: 60_000 });
    await f.advance(2 * 3_600_000, 30_000);
    const open = await f.database.db.execution.count({
      where: { executionId: { in: [first, second, third] }, completedAt: null },
    });
    expect(open).toBe(0);
    const comparison = await compareWithTruth(f.database.db, "sandbox", await fetchTruth(f.sandbox.url));
    expect(comparison.samples).toEqual([]);
    // Four simulated hours driven step by step: about 30 s of work on an idle 2-core machine.
  }, 120_000);
});
