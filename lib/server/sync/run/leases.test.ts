import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startSyncEngine } from "./engine";
import { claimDue } from "./leases";
import { compareWithTruth, fetchTruth } from "../testing/compare-truth";
import { createFixture, TEST_SETTINGS, type Fixture } from "../testing/fixture";

describe("sharing work through Postgres leases", () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await createFixture({ pipelines: 6, historyDays: 2 });
    await f.drain();
  });
  afterAll(async () => f?.close());

  const makeAllDue = () =>
    f.database.db.pipelineSync.updateMany({
      data: { nextSyncAt: new Date(f.now() - 1), leaseOwner: null, leaseUntil: null },
    });

  it("hands each due pipeline to exactly one of two concurrent claimers", async () => {
    await makeAllDue();
    const now = new Date(f.now());
    const [a, b] = await Promise.all([
      claimDue(f.database.db, { owner: "a", targetIds: ["sandbox"], now, leaseMs: 30_000, limit: 4 }),
      claimDue(f.database.db, { owner: "b", targetIds: ["sandbox"], now, leaseMs: 30_000, limit: 4 }),
    ]);
    const ids = [...a, ...b].map((c) => c.pipelineId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(6);
  });

  it("takes over a dead worker's pipelines once its lease runs out (30 s)", async () => {
    await makeAllDue();
    const dead = await claimDue(f.database.db, {
      owner: "dead",
      targetIds: ["sandbox"],
      now: new Date(f.now()),
      leaseMs: 30_000,
      limit: 100,
    });
    expect(dead.length).toBe(6);
    const early = await claimDue(f.database.db, {
      owner: "alive",
      targetIds: ["sandbox"],
      now: new Date(f.now() + 29_000),
      leaseMs: 30_000,
      limit: 100,
    });
    expect(early).toEqual([]);
    const later = await claimDue(f.database.db, {
      owner: "alive",
      targetIds: ["sandbox"],
      now: new Date(f.now() + 30_001),
      leaseMs: 30_000,
      limit: 100,
    });
    expect(later.map((c) => c.pipelineId).sort()).toEqual(dead.map((c) => c.pipelineId).sort());
  });

  it("two running engines share a fleet: every pipeline synced by one engine at a time, nothing lost", async () => {
    await makeAllDue();
    await f.control("activity", { pipelines: ["web-app-staging", "legacy-batch-jobs", "payments-service"] });
    const busy = new Map<string, string>();
    const overlaps: string[] = [];
    const byWorker = new Map<string, number>();
    const onStep = (e: { workerId: string; pipelineId: string; phase: "start" | "end" }) => {
      if (e.phase === "start") {
        if (busy.has(e.pipelineId)) overlaps.push(`${e.pipelineId}: ${busy.get(e.pipelineId)} and ${e.workerId}`);
        busy.set(e.pipelineId, e.workerId);
        byWorker.set(e.workerId, (byWorker.get(e.workerId) ?? 0) + 1);
      } else busy.delete(e.pipelineId);
    };
    const settings = { ...TEST_SETTINGS, concurrency: 2, tickMs: 5, leaseMs: 120_000 };
    const engines = ["one", "two"].map((workerId) => startSyncEngine(f.options({ workerId, settings, onStep })));
    // Caught up: no step running, no lease held and nothing due at the sandbox's current time.
    const caughtUp = async () =>
      busy.size === 0 &&
      (await f.database.db.pipelineSync.count({
        where: {
          pipeline: { deletedAt: null },
          OR: [{ leaseOwner: { not: null } }, { nextSyncAt: { lte: new Date(f.now()) } }],
        },
      })) === 0;
    try {
      // 10 simulated minutes in 5-second moves. Time only moves once both engines have caught up, so however
      // slow the machine, no lease can run out under a step in flight (the lease outlives many moves anyway).
      for (let i = 0; i < 120; i++) {
        await vi.waitFor(async () => expect(await caughtUp()).toBe(true), { timeout: 20_000, interval: 5 });
        f.sandbox.advance(5_000);
      }
      await vi.waitFor(async () => expect(await caughtUp()).toBe(true), { timeout: 20_000, interval: 5 });
    } finally {
      await Promise.all(engines.map((e) => e.stop()));
    }
    expect(overlaps).toEqual([]);
    expect(byWorker.get("one")).toBeGreaterThan(0);
    expect(byWorker.get("two")).toBeGreaterThan(0);
    expect(await f.database.db.pipelineSync.count({ where: { leaseOwner: { not: null } } })).toBe(0);
    // Let one last round catch up on whatever moved after the engines stopped, then compare with the truth.
    await f.drain();
    const comparison = await compareWithTruth(f.database.db, "sandbox", await fetchTruth(f.sandbox.url));
    expect(comparison.samples).toEqual([]);
  });
});
