import { connect, createServer, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createDb, defaultPoolSize, REQUEST_CONNECTIONS } from "@/lib/server/db/client";
import { DEFAULT_SETTINGS } from "@/lib/server/sync/settings";
import { createTestDatabase, type TestDatabase } from "@/lib/server/testing/test-database";

// A stalled database must fail requests within seconds instead of hanging them: against a real
// Postgres, a server that never answers, and a connection whose server goes silent midway.

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

/** How long `run` takes to settle, and whether it failed. */
async function timed(run: () => Promise<unknown>): Promise<{ ms: number; failed: boolean }> {
  const started = performance.now();
  const failed = await run().then(
    () => false,
    () => true,
  );
  return { ms: performance.now() - started, failed };
}

/** A TCP relay to Postgres that can go silent (drop everything both ways) and come back. */
async function relay(target: URL) {
  const sockets = new Set<Socket>();
  let silent = false;
  const server = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("error", () => {});
      s.on("close", () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.on("data", (d) => void (silent || upstream.write(d)));
    upstream.on("data", (d) => void (silent || client.write(d)));
  });
  const port = await listen(server);
  const url = new URL(target);
  url.port = String(port);
  url.hostname = "127.0.0.1";
  return {
    url: url.toString(),
    setSilent: (value: boolean) => void (silent = value),
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe("database client", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database?.drop());

  it("sizes the pool for the sync engine's concurrent steps plus requests when it syncs in this process", () => {
    expect(defaultPoolSize({ syncInApp: true })).toBe(DEFAULT_SETTINGS.concurrency + REQUEST_CONNECTIONS);
    expect(defaultPoolSize({ syncInApp: false })).toBe(REQUEST_CONNECTIONS);
    expect(defaultPoolSize({ poolSize: 4, syncInApp: true })).toBe(4);
  });

  it("sets a statement timeout and an idle-in-transaction timeout on every connection", async () => {
    const [row] = await database.db.$queryRaw<{ statement: string; idle: string }[]>`
      SELECT current_setting('statement_timeout') AS statement,
             current_setting('idle_in_transaction_session_timeout') AS idle`;
    expect(row).toEqual({ statement: "3s", idle: "10s" });
  });

  it("fails a query within 5 s when the database accepts connections but never answers", async () => {
    const sockets: Socket[] = [];
    const mute = createServer((socket) => void sockets.push(socket));
    const port = await listen(mute);
    const stalled = createDb(`postgresql://stageboard@127.0.0.1:${port}/none`, 2);
    try {
      const result = await timed(() => stalled.$queryRaw`SELECT 1`);
      expect(result.failed).toBe(true);
      expect(result.ms).toBeLessThan(5_000);
      expect(sockets.length).toBeGreaterThan(0);
    } finally {
      await stalled.$disconnect();
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => mute.close(resolve));
    }
  });

  it("fails a statement stalled behind a lock within 5 s, and the pool serves the next query", async () => {
    const holder = new pg.Client({ connectionString: database.url });
    await holder.connect();
    try {
      await holder.query(`BEGIN; LOCK TABLE "Target" IN ACCESS EXCLUSIVE MODE`);
      const result = await timed(() => database.db.target.findMany());
      expect(result.failed).toBe(true);
      expect(result.ms).toBeLessThan(5_000);
    } finally {
      await holder.query("ROLLBACK");
      await holder.end();
    }
    expect(await database.db.target.count()).toBe(0);
  });

  it("bounds the wait for a connection when every pooled one is busy", async () => {
    const small = createDb(database.url, 1, { connectTimeoutMs: 300, statementTimeoutMs: 10_000 });
    try {
      const busy = Promise.resolve(small.$queryRaw`SELECT 1 AS slept FROM pg_sleep(2)`);
      // The sleep holds the only connection before the next query asks for one.
      await vi.waitFor(
        async () => {
          const sleeping = await database.db.$queryRaw<{ n: number }[]>`
            SELECT count(*)::int AS n FROM pg_stat_activity WHERE query LIKE '%pg_sleep(2)%' AND state = 'active' AND pid <> pg_backend_pid()`;
          expect(sleeping[0]?.n).toBe(1);
        },
        { timeout: 5_000, interval: 20 },
      );
      const waiting = await timed(() => small.$queryRaw`SELECT 1`);
      expect(waiting.failed).toBe(true);
      expect(waiting.ms).toBeLessThan(1_500);
      await busy;
    } finally {
      await small.$disconnect();
    }
  });

  it("gives up on a connection whose server goes silent, then recovers on a fresh one", async () => {
    const link = await relay(new URL(database.url));
    const db = createDb(link.url, 1, { connectTimeoutMs: 1_000, statementTimeoutMs: 300 });
    try {
      expect(await db.$queryRaw<{ one: number }[]>`SELECT 1 AS one`).toEqual([{ one: 1 }]);
      link.setSilent(true);
      // statement_timeout cannot fire on a server that does not answer: the client-side limit does.
      const silent = await timed(() => db.$queryRaw`SELECT 1`);
      expect(silent.failed).toBe(true);
      expect(silent.ms).toBeLessThan(3_000);
      link.setSilent(false);
      await expect(db.$queryRaw<{ one: number }[]>`SELECT 1 AS one`).resolves.toEqual([{ one: 1 }]);
    } finally {
      await db.$disconnect();
      await link.close();
    }
  });
});
