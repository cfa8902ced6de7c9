import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { syncOnce } from "./engine";
import { compareWithTruth, fetchTruth } from "../testing/compare-truth";
import { createFixture, TEST_SETTINGS, type Fixture } from "../testing/fixture";

describe("backfill", () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await createFixture({ pipelines: 3, historyDays: 180 });
  });
  afterAll(async () => f?.close());

  it("resumes an interrupted backfill at the page it reached: nothing lost or duplicated", async () => {
    // One page per step; the first process stops after one round (as if killed mid-backfill).
    const settings = { ...TEST_SETTINGS, backfillPagesPerStep: 1 };
    await syncOnce(f.options({ settings, workerId: "first" }));
    const truth = await fetchTruth(f.sandbox.url);
    const biggest = [...truth.pipelines].sort((a, b) => b.executions.length - a.executions.length)[0]!;
    expect(biggest.executions.length).toBeGreaterThan(100);
    const pipeline = await f.database.db.pipeline.findFirstOrThrow({
      where: { name: biggest.name },
      include: { sync: true },
    });
    expect(pipeline.sync?.backfillToken).toBeTruthy();
    expect(await f.database.db.execution.count({ where: { pipelineId: pipeline.id } })).toBe(100);

    // A new process picks up from the saved token: the next page adds new executions (a restart would add none).
    await syncOnce(f.options({ settings, workerId: "second" }));
    expect(await f.database.db.execution.count({ where: { pipelineId: pipeline.id } })).toBe(
      Math.min(200, biggest.executions.length),
    );

    await f.drain({ settings, workerId: "second" });
    const comparison = await compareWithTruth(f.database.db, "sandbox", await fetchTruth(f.sandbox.url));
    expect(comparison.samples).toEqual([]);
    expect(comparison.executions).toBeGreaterThan(150);
    const done = await f.database.db.pipelineSync.findMany();
    expect(
      done.every((s) => s.backfillDone && s.actionBackfillDone && !s.backfillToken && !s.actionBackfillToken),
    ).toBe(true);
  });

  it("derives stage rows again for a page fetched anew after a crash between its action rows and its stage rows", async () => {
    const pipeline = await f.database.db.pipeline.findFirstOrThrow({ where: { executions: { some: {} } } });
    const removed = await f.database.db.stageExecution.deleteMany({
      where: { execution: { pipelineId: pipeline.id } },
    });
    expect(removed.count).toBeGreaterThan(0);
    // The action pages are fetched again from the start; every action row on them is already stored.
    await f.database.db.pipelineSync.update({
      where: { pipelineId: pipeline.id },
      data: { actionBackfillDone: false, actionBackfillToken: null, nextSyncAt: new Date(f.now()) },
    });
    await f.drain({ settings: TEST_SETTINGS });
    expect(await f.database.db.stageExecution.count({ where: { execution: { pipelineId: pipeline.id } } })).toBe(
      removed.count,
    );
    const comparison = await compareWithTruth(f.database.db, "sandbox", await fetchTruth(f.sandbox.url, pipeline.name));
    expect(comparison.samples).toEqual([]);
  });

  it("uses full pages: ListPipelineExecutions and ListActionExecutions pipeline-wide, not per execution", async () => {
    const executions = await f.database.db.execution.count();
    const actions = await f.database.db.actionExecution.count();
    expect(actions).toBeGreaterThan(executions);
    const finished = await f.database.db.execution.count({ where: { completedAt: { not: null } } });
    expect(finished).toBeGreaterThan(executions * 0.8);
  });
});
