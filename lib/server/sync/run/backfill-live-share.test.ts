import { afterEach, describe, expect, it } from "vitest";
import { syncOnce } from "./engine";
import { createFixture, TEST_SETTINGS, type Fixture } from "../testing/fixture";

// A first backfill of a large account takes hours. Pipelines whose history is in already show their live
// state meanwhile, within a share of the target's budget; the rest of the budget stays with the backfill.
describe("live checks while the target backfills", () => {
  let f: Fixture | undefined;
  afterEach(async () => f?.close());

  /**
   * Backfills three pipelines one page per step until some are done while others are not, then runs two
   * more rounds with the given live share; returns what those rounds did.
   */
  async function twoRoundsMidBackfill(backfillLiveShare: number) {
    f = await createFixture({ pipelines: 3, historyDays: 120 });
    const settings = { ...TEST_SETTINGS, backfillPagesPerStep: 1, backfillLiveShare };
    const backfilled = async () =>
      (
        await f!.database.db.pipelineSync.findMany({
          where: { backfillDone: true, actionBackfillDone: true, ruleBackfillDone: true },
        })
      ).map((s) => s.pipelineId);
    let done: string[] = [];
    for (let round = 0; round < 50 && (done.length === 0 || done.length === 3); round++) {
      await syncOnce(f.options({ settings }));
      done = await backfilled();
    }
    expect(done.length).toBeGreaterThan(0);
    expect(done.length).toBeLessThan(3);
    await f.control("stats/reset", {});
    await syncOnce(f.options({ settings }));
    await syncOnce(f.options({ settings }));
    expect((await backfilled()).length).toBeLessThan(3);
    const states = await f.database.db.pipeline.findMany({ where: { id: { in: done } }, select: { state: true } });
    return {
      checks: (await f.stats()).requests.GetPipelineState ?? 0,
      statesStored: states.filter((p) => p.state !== null).length,
      done: done.length,
    };
  }

  it("checks pipelines already backfilled while others still backfill", async () => {
    const { checks, statesStored, done } = await twoRoundsMidBackfill(0.1);
    expect(checks).toBeGreaterThan(0);
    expect(statesStored).toBe(done);
  });

  it("keeps every live check waiting for the backfill when the share is 0", async () => {
    const { checks, statesStored } = await twoRoundsMidBackfill(0);
    expect(checks).toBe(0);
    expect(statesStored).toBe(0);
  });
});
