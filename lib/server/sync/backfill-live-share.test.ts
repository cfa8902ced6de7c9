import { afterEach, describe, expect, it } from "vitest";
import { syncOnce } from "./engine";
import { createFixture, TEST_SETTINGS, type Fixture } from "./testing/fixture";

// A first backfill of a large account takes hours. Pipelines whose history is in already show their live
// state meanwhile, within a share of the target's budget; the rest of the budget stays with the backfill.
describe("live checks while the target backfills", () => {
  let f: Fixture | undefined;
  afterEach(async () => f?.close());

  /** Rounds of one page per step until some pipeline's backfill is done while another's is not. */
  async function backfillUntilSplit(fixture: Fixture, settings: typeof TEST_SETTINGS) {
    for (let round = 0; round < 50; round++) {
      await syncOnce(fixture.options({ settings }));
      const syncs = await fixture.database.db.pipelineSync.findMany({ include: { pipeline: { select: { name: true, state: true } } } });
      const done = syncs.filter((s) => s.backfillDone && s.actionBackfillDone && s.ruleBackfillDone);
      if (done.length > 0 && done.length < syncs.length) return { done, pending: syncs.filter((s) => !done.includes(s)) };
    }
    throw new Error("no pipeline finished its backfill before the others");
  }

  it("checks pipelines already backfilled while others still backfill", async () => {
    f = await createFixture({ pipelines: 3, historyDays: 120 });
    const settings = { ...TEST_SETTINGS, backfillPagesPerStep: 1, backfillLiveShare: 0.1 };
    const { done } = await backfillUntilSplit(f, settings);
    await f.control("stats/reset", {});
    // Two more rounds: the pipelines already backfilled get their first check and store their state.
    await syncOnce(f.options({ settings }));
    await syncOnce(f.options({ settings }));
    const stillBackfilling = await f.database.db.pipelineSync.count({ where: { OR: [{ backfillDone: false }, { actionBackfillDone: false }, { ruleBackfillDone: false }] } });
    expect(stillBackfilling).toBeGreaterThan(0);
    const states = await f.database.db.pipeline.findMany({ where: { id: { in: done.map((s) => s.pipelineId) } }, select: { state: true } });
    expect(states.every((p) => p.state !== null)).toBe(true);
    expect((await f.stats()).requests.GetPipelineState).toBeGreaterThan(0);
  });

  it("keeps every live check waiting for the backfill when the share is 0", async () => {
    f = await createFixture({ pipelines: 3, historyDays: 120 });
    const settings = { ...TEST_SETTINGS, backfillPagesPerStep: 1, backfillLiveShare: 0 };
    const { done } = await backfillUntilSplit(f, settings);
    await f.control("stats/reset", {});
    await syncOnce(f.options({ settings }));
    await syncOnce(f.options({ settings }));
    expect((await f.stats()).requests.GetPipelineState ?? 0).toBe(0);
    const states = await f.database.db.pipeline.findMany({ where: { id: { in: done.map((s) => s.pipelineId) } }, select: { state: true } });
    expect(states.every((p) => p.state === null)).toBe(true);
  });
});
