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

  it("takes a re-sync requested while the pipeline's step runs as soon as that step hands it back", async () => {
    const pipeline = await f.database.db.pipeline.findFirstOrThrow({ select: { id: true }, orderBy: { name: "desc" } });
    const starts: string[] = [];
    let requested = null as Promise<void> | null;
    // Due before the engine starts, so its first round steps it; the request lands while that step runs.
    await requestResync(f.database.db, pipeline.id, new Date(f.now()));
    const engine = startSyncEngine(
      f.options({
        settings: { ...TEST_SETTINGS, tickMs: 3_600_000 },
        onStep: (e) => {
          if (e.phase !== "start" || e.pipelineId !== pipeline.id) return;
          starts.push(e.pipelineId);
          if (requested) return;
          // The sandbox's clock stands still; a request must come after the step started to be a new one.
          f.sandbox.advance(1);
          requested = requestResync(f.database.db, pipeline.id, new Date(f.now()));
        },
      }),
    );
    try {
      await vi.waitFor(() => expect(starts.length).toBeGreaterThanOrEqual(2), { timeout: 10_000, interval: 20 });
    } finally {
      await engine.stop();
      await requested;
    }
  });
});
