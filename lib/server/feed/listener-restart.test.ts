import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it, vi } from "vitest";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "@/lib/server/db/embedded-postgres";
import { FEED_CHANNEL, FeedListener } from "@/lib/server/feed/listener";

/** Waits for a condition; patient, because the machine running the tests may be busy. */
const until = <T>(check: () => T | Promise<T>, options: { timeout?: number; interval?: number } = {}) =>
  vi.waitFor(check, { timeout: 10_000, interval: 10, ...options });

// The listener outlives its database: a PostgreSQL server of its own is stopped under it and started
// again on the same port. The process must not crash, must poll meanwhile, and must listen again after.
const dir = mkdtempSync(path.join(tmpdir(), "stageboard-feed-restart-"));
const dataDir = path.join(dir, "pg");
let server: EmbeddedPostgres | null = null;
let listener: FeedListener | null = null;

afterAll(async () => {
  await listener?.stop();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("FeedListener across a database restart", () => {
  it("polls while PostgreSQL is down and listens again once it is back", async () => {
    server = await startEmbeddedPostgres({ dataDir });
    const url = await server.createDatabase("feed");
    const port = server.port;
    const warnings: unknown[] = [];
    listener = new FeedListener({
      connectionString: url,
      listen: true,
      pollMs: 25,
      minBackoffMs: 50,
      maxBackoffMs: 200,
      logger: { info: () => {}, warn: (obj: unknown) => void warnings.push(obj), error: () => {} },
    });
    const calls: (string | undefined)[] = [];
    listener.on(FEED_CHANNEL, (payload) => calls.push(payload));
    await until(() => expect(listener?.state).toBe("listening"), { timeout: 10_000 });

    await server.stop();
    await until(() => expect(listener?.state).not.toBe("listening"), { timeout: 10_000 });
    calls.length = 0;
    await until(() => expect(calls.filter((c) => c === undefined).length).toBeGreaterThanOrEqual(3));
    expect(warnings.length).toBeGreaterThan(0);

    server = await startEmbeddedPostgres({ dataDir, port });
    await until(() => expect(listener?.state).toBe("listening"), { timeout: 15_000 });
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(`SELECT pg_notify($1, 'back')`, [FEED_CHANNEL]);
    } finally {
      await client.end();
    }
    await until(() => expect(calls).toContain("back"));
  });
});
