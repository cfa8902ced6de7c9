import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { requestResync } from "@/lib/server/control/resync";
import { startSyncEngine } from "./engine";
import { createFixture, TEST_SETTINGS, type Fixture } from "../testing/fixture";

// A command's re-sync must not wait for the loop's next tick: with a tick of an hour, only the wake-up can
// explain a step soon after the request.
describe("a sync requested in this process", () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await createFixture({ pipelines: 2, historyDays: 1 });
    await f.drain();
  });
  afterAll(async () => f?.close());

  it("wakes the sleeping engine at once instead of at its next tick", async () => {
    const stepped: string[] = [];
    const engine = startSyncEngine(
      f.options({ settings: { ...TEST_SETTINGS, tickMs: 3_600_000 }, onStep: (e) => void stepped.push(e.pipelineId) }),
    );
    try {
      // The first round finds nothing due (drained above) and the loop goes to sleep for an hour.
      await new Promise((r) => setTimeout(r, 300));
      const before = stepped.length;
      const pipeline = await f.database.db.pipeline.findFirstOrThrow({ select: { id: true } });
      await requestResync(f.database.db, pipeline.id, new Date(f.now()));
      await vi.waitFor(() => expect(stepped.slice(before)).toContain(pipeline.id), { timeout: 10_000, interval: 20 });
    } finally {
      await engine.stop();
    }
  });
});
