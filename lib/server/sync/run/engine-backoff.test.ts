import { createServer, type AddressInfo, type Socket } from "node:net";
import { describe, expect, it, vi } from "vitest";
import { createDb } from "@/lib/server/db/client";
import { MAX_RETRY_MS, retryDelayMs, startSyncEngine } from "./engine";
import { capturingLogger, TEST_SETTINGS } from "../testing/fixture";

const ERROR = 50;

describe("the sync loop while the database fails", () => {
  it("waits one tick doubled per failure, up to 30 s, give or take 20%", () => {
    const delays = [1, 2, 3, 4, 5].map((n) => retryDelayMs(n, 200, 0.5));
    expect(delays).toEqual([400, 800, 1_600, 3_200, 6_400]);
    expect(retryDelayMs(40, 200, 0.5)).toBe(MAX_RETRY_MS);
    expect(retryDelayMs(3, 200, 0)).toBe(1_280);
    expect(retryDelayMs(3, 200, 0.999_999)).toBe(1_920);
  });

  it("backs off exponentially against a database that accepts connections and never answers, and stops promptly", async () => {
    const { logger, records } = capturingLogger();
    // Every round of the loop opens one connection (its first query), which the pool gives up on.
    const attempts: number[] = [];
    const sockets: Socket[] = [];
    const mute = createServer((socket) => {
      attempts.push(performance.now());
      sockets.push(socket);
    });
    await new Promise<void>((resolve) => mute.listen(0, "127.0.0.1", resolve));
    const { port } = mute.address() as AddressInfo;
    const connectTimeoutMs = 100;
    const stalled = createDb(`postgresql://stageboard@127.0.0.1:${port}/none`, 1, { connectTimeoutMs });
    const tickMs = 20;
    const engine = startSyncEngine({
      db: stalled,
      logger,
      targets: [{ id: "t", region: "us-east-1", endpoint: "http://127.0.0.1:9" }],
      random: () => 0.5,
      settings: { ...TEST_SETTINGS, tickMs },
    });
    let stopMs = Infinity;
    try {
      await vi.waitFor(() => expect(attempts.length).toBeGreaterThanOrEqual(8), { timeout: 30_000, interval: 10 });
    } finally {
      const stopping = performance.now();
      await engine.stop();
      stopMs = performance.now() - stopping;
      await stalled.$disconnect();
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => mute.close(resolve));
    }
    // The wait between rounds (beyond the connection timeout) doubles: 40, 80, 160, 320, 640, 1280 ms.
    // Timers only ever fire late, so a busy machine stretches waits but cannot fake the doubling: lower
    // bounds alone prove it (a loop without backoff would wait one 20 ms tick each time). A ratio between
    // two waits would not, since load can stretch an early wait more than a later one.
    const waits = attempts.slice(1, 7).map((at, i) => at - attempts[i]! - connectTimeoutMs);
    const expected = [1, 2, 3, 4, 5, 6].map((n) => retryDelayMs(n, tickMs, 0.5));
    for (const [i, wait] of waits.entries()) expect(wait).toBeGreaterThanOrEqual(0.75 * expected[i]!);
    // The round in flight ends with its connection timeout, and the next wait (5 s by now) is skipped.
    expect(stopMs).toBeLessThan(2_500);
    // Logged when it started failing, not once per round (a pool timeout and a connect timeout read differently).
    const errors = records.filter((r) => r.level >= ERROR);
    expect(errors.length).toBeGreaterThanOrEqual(1);
    expect(errors.length).toBeLessThanOrEqual(2);
    for (const e of errors) expect(e.msg).toMatch(/sync loop failed/);
  });
});
