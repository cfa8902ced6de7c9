import { createServer, type AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createDb } from "@/lib/server/db/client";
import { startSyncEngine, syncOnce } from "./engine";
import { getSyncHealth } from "./health";
import { compareWithTruth, fetchTruth } from "../testing/compare-truth";
import { capturingLogger, createFixture, TEST_SETTINGS, type Fixture } from "../testing/fixture";

const ERROR = 50;
const WARN = 40;

describe("faults", () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await createFixture({ pipelines: 4, historyDays: 2 });
  });
  afterAll(async () => f?.close());

  it("slows down under throttling without error-level logs, records it, and recovers", async () => {
    // Two requests per simulated second for every operation: the first backfill round runs into the limit.
    await f.control("faults", { throttle: { "*": 2 } });
    await syncOnce(f.options());
    for (let i = 0; i < 5; i++) {
      f.sandbox.advance(1_000);
      await syncOnce(f.options());
    }
    const stats = await f.stats();
    expect(stats.throttled).toBeGreaterThan(0);
    const throttled = await f.database.db.target.findUniqueOrThrow({ where: { id: "sandbox" } });
    expect(throttled.throttledAt).not.toBeNull();
    expect(throttled.lastError).toMatch(/ThrottlingException/);
    expect(f.records.filter((r) => r.level >= ERROR)).toEqual([]);
    expect(f.records.some((r) => r.level === WARN && /throttled/.test(r.msg))).toBe(true);

    await fetch(`${f.sandbox.url}/_sandbox/faults`, { method: "DELETE" });
    // Failed steps come back after their backoff; move time past it until everything settles.
    for (let i = 0; i < 10; i++) {
      f.sandbox.advance(30_000);
      await f.drain();
    }
    const recovered = await f.database.db.target.findUniqueOrThrow({ where: { id: "sandbox" } });
    expect(recovered.throttledAt).toBeNull();
    expect(recovered.lastSuccessAt!.getTime()).toBeGreaterThan(recovered.lastErrorAt!.getTime());
    const health = await getSyncHealth(f.database.db, f.now());
    expect(health[0]).toMatchObject({ id: "sandbox", stale: false, lastError: null });
    const comparison = await compareWithTruth(f.database.db, "sandbox", await fetchTruth(f.sandbox.url));
    expect(comparison.samples).toEqual([]);
  });

  it("records AWS being down per pipeline and per target, so the UI can show the data's age", async () => {
    const before = await f.database.db.target.findUniqueOrThrow({ where: { id: "sandbox" } });
    await f.control("faults", { errorRate: 1 });
    await f.database.db.pipelineSync.updateMany({ data: { nextSyncAt: new Date(f.now()) } });
    f.sandbox.advance(60_000);
    await syncOnce(f.options());
    const target = await f.database.db.target.findUniqueOrThrow({ where: { id: "sandbox" } });
    expect(target.lastErrorAt!.getTime()).toBe(f.now());
    expect(target.lastSuccessAt?.getTime()).toBe(before.lastSuccessAt?.getTime());
    const syncs = await f.database.db.pipelineSync.findMany();
    expect(syncs.every((s) => s.consecutiveFailures === 1 && s.lastError)).toBe(true);
    const health = await getSyncHealth(f.database.db, f.now() + 120_000);
    expect(health[0]?.stale).toBe(true);
    expect(health[0]?.lastError).toBeTruthy();
    await fetch(`${f.sandbox.url}/_sandbox/faults`, { method: "DELETE" });
    f.sandbox.advance(60_000);
    await f.drain();
    expect(
      (await f.database.db.pipelineSync.findMany()).every((s) => s.consecutiveFailures === 0 && s.lastError === null),
    ).toBe(true);
  });

  it("keeps looping when the database is down, logging the failure once, and stops cleanly", async () => {
    const { logger, records } = capturingLogger();
    // A "database" that hangs up on every connection, counting them: each round of the loop tries once.
    let attempts = 0;
    const dead = createServer((socket) => {
      attempts++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => dead.listen(0, "127.0.0.1", resolve));
    const { port } = dead.address() as AddressInfo;
    const deadDb = createDb(`postgresql://stageboard@127.0.0.1:${port}/none`, 1);
    const engine = startSyncEngine({ ...f.options(), db: deadDb, logger, settings: { ...TEST_SETTINGS, tickMs: 5 } });
    try {
      // The loop failed, backed off and tried again several times (not just once).
      await vi.waitFor(() => expect(attempts).toBeGreaterThanOrEqual(5), { timeout: 20_000, interval: 10 });
    } finally {
      await engine.stop();
      await deadDb.$disconnect();
      await new Promise((resolve) => dead.close(resolve));
    }
    const errors = records.filter((r) => r.level >= ERROR);
    expect(errors.length).toBe(1);
    expect(errors[0]?.msg).toMatch(/sync loop failed/);
  });
});
