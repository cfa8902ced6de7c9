import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { FEED_CHANNEL, FeedListener, LISTENER_APPLICATION_NAME } from "@/lib/server/feed/listener";
import { FeedTail } from "@/lib/server/feed/tail";
import type { ChangeRow } from "@/lib/server/feed/read-changes";
import { createTestDatabase, type TestDatabase } from "@/lib/server/testing/test-database";

/** Waits for a condition; patient, because the machine running the tests may be busy. */
const until = <T>(check: () => T | Promise<T>, options: { timeout?: number; interval?: number } = {}) =>
  vi.waitFor(check, { timeout: 10_000, interval: 10, ...options });

// The process's LISTEN connection and the tail that reads on its signals, against a real PostgreSQL whose
// backend is terminated under them.
let t: TestDatabase;
const silent = { info: () => {}, warn: () => {}, error: () => {} };
const stops: (() => unknown)[] = [];

beforeAll(async () => {
  t = await createTestDatabase();
});
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});
afterAll(async () => t?.drop());

function listener(options: Partial<ConstructorParameters<typeof FeedListener>[0]> = {}) {
  const l = new FeedListener({
    connectionString: t.url,
    listen: true,
    pollMs: 60_000,
    logger: silent,
    minBackoffMs: 20,
    maxBackoffMs: 100,
    ...options,
  });
  stops.push(() => l.stop());
  return l;
}

const notify = (channel: string, payload = "") => t.db.$executeRaw`SELECT pg_notify(${channel}, ${payload})`;
/** A feed row with the notification its trigger would send, in one transaction. */
const write = (label: string) =>
  t.db.$executeRaw`
    WITH ins AS (
      INSERT INTO "ChangeEvent" ("pipelineId", entity, after)
      VALUES ('p', 'pipeline', ${JSON.stringify({ status: label })}::jsonb) RETURNING id)
    SELECT pg_notify('stageboard_changes', '') FROM ins`;
const listenerBackends = async () =>
  (
    await t.db.$queryRaw<{ pid: number }[]>`
      SELECT pid FROM pg_stat_activity WHERE application_name = ${LISTENER_APPLICATION_NAME} AND datname = current_database()`
  ).map((r) => r.pid);

describe("FeedListener", () => {
  it("delivers notifications with their payload to the channel's subscribers over one connection", async () => {
    const l = listener();
    const feed: (string | undefined)[] = [];
    const sessions: (string | undefined)[] = [];
    l.on(FEED_CHANNEL, (payload) => feed.push(payload));
    l.on("stageboard_session_end", (payload) => sessions.push(payload));
    await until(() => expect(l.state).toBe("listening"));
    feed.length = 0;
    sessions.length = 0;
    await notify("stageboard_session_end", "hash-1");
    await write("x");
    await until(() => expect(sessions).toEqual(["hash-1"]));
    await until(() => expect(feed).toEqual([""]));
    expect(await listenerBackends()).toHaveLength(1);
  });

  it("polls while the connection is gone, reconnects with backoff and listens again", async () => {
    const l = listener({ pollMs: 30 });
    const calls: (string | undefined)[] = [];
    l.on(FEED_CHANNEL, (payload) => calls.push(payload));
    await until(() => expect(l.state).toBe("listening"));
    const [pid] = await listenerBackends();
    calls.length = 0;
    await t.db.$queryRaw`SELECT pg_terminate_backend(${pid}::int)`;
    await until(async () => {
      const backends = await listenerBackends();
      expect(backends).toHaveLength(1);
      expect(backends).not.toContain(pid);
      expect(l.state).toBe("listening");
    });
    // Readers were woken without a payload, to catch up on whatever the gap hid.
    expect(calls).toContain(undefined);
    // A notification after the reconnect arrives with its payload (polling ticks carry none).
    await notify(FEED_CHANNEL, "after-reconnect");
    await until(() => expect(calls).toContain("after-reconnect"));
  });

  it("never throws when the database cannot be reached, and signals on the polling interval", async () => {
    const l = listener({ connectionString: "postgresql://127.0.0.1:1/none", pollMs: 20 });
    let calls = 0;
    l.on(FEED_CHANNEL, () => calls++);
    await until(() => expect(calls).toBeGreaterThanOrEqual(3));
    expect(l.state).not.toBe("listening");
  });

  it("with LISTEN off only polls, opening no connection", async () => {
    const l = listener({ listen: false, pollMs: 20 });
    const calls: (string | undefined)[] = [];
    l.on(FEED_CHANNEL, (payload) => calls.push(payload));
    await until(() => expect(calls.length).toBeGreaterThanOrEqual(2));
    expect(calls.every((c) => c === undefined)).toBe(true);
    expect(l.state).toBe("polling");
    expect(await listenerBackends()).toEqual([]);
  });

  it("closes its connection when the last subscriber leaves", async () => {
    const l = listener();
    const off = l.on(FEED_CHANNEL, () => {});
    await until(() => expect(l.state).toBe("listening"));
    off();
    await until(async () => expect(await listenerBackends()).toEqual([]));
    expect(l.state).toBe("stopped");
  });

  it("keeps calling other subscribers when one throws", async () => {
    const l = listener({ listen: false, pollMs: 20 });
    let calls = 0;
    l.on(FEED_CHANNEL, () => {
      throw new Error("boom");
    });
    l.on(FEED_CHANNEL, () => calls++);
    await until(() => expect(calls).toBeGreaterThanOrEqual(2));
  });
});

describe("FeedTail", () => {
  function tail(l: FeedListener, options: { heldRetryMs?: number } = {}) {
    const reads = { count: 0, done: 0 };
    const db = {
      $queryRaw: (async (...args: Parameters<typeof t.db.$queryRaw>) => {
        reads.count++;
        try {
          return await t.db.$queryRaw(...args);
        } finally {
          reads.done++;
        }
      }) as typeof t.db.$queryRaw,
    };
    return { tail: new FeedTail({ db, signals: (cb) => l.on(FEED_CHANNEL, cb), logger: silent, ...options }), reads };
  }
  const statuses = (rows: ChangeRow[]) => rows.map((r) => r.after.status);

  it("fans every change committed after the first subscriber out to every subscriber, in order", async () => {
    const l = listener();
    const { tail: feed } = tail(l);
    const a: ChangeRow[] = [];
    const b: ChangeRow[] = [];
    await write("before");
    stops.push(feed.subscribe((rows) => a.push(...rows)));
    stops.push(feed.subscribe((rows) => b.push(...rows)));
    await until(() => expect(feed.position).not.toBeNull());
    await until(() => expect(l.state).toBe("listening"));
    for (const label of ["one", "two", "three"]) await write(label);
    await until(() => expect(statuses(a)).toEqual(["one", "two", "three"]));
    expect(statuses(b)).toEqual(["one", "two", "three"]);
  });

  it("folds signals that arrive during a read into one more read", async () => {
    const l = listener({ listen: false, pollMs: 60_000 });
    const { tail: feed, reads } = tail(l);
    const seen: ChangeRow[] = [];
    stops.push(feed.subscribe((rows) => seen.push(...rows)));
    await until(() => expect(feed.position).not.toBeNull());
    await write("w");
    const before = reads.count;
    for (let i = 0; i < 50; i++) feed.wake();
    await until(() => expect(statuses(seen)).toEqual(["w"]));
    await until(() => expect(reads.count - before).toBeGreaterThan(0));
    expect(reads.count - before).toBeLessThanOrEqual(2);
  });

  it("delivers rows held back by an older transaction once it ends, even when it ends without a notification", async () => {
    const l = listener({ pollMs: 60_000 });
    const { tail: feed, reads } = tail(l);
    const seen: ChangeRow[] = [];
    stops.push(feed.subscribe((rows) => seen.push(...rows)));
    await until(() => expect(l.state).toBe("listening"));
    await until(() => expect(feed.position).not.toBeNull());
    await until(() => expect(reads.done).toBe(reads.count));
    const older = new pg.Client({ connectionString: t.url });
    await older.connect();
    try {
      await older.query("BEGIN");
      await older.query("SELECT pg_current_xact_id()");
      const before = reads.done;
      await write("held");
      // The notification's read finds the row held back by the older, still open transaction.
      await until(() => expect(reads.done).toBeGreaterThan(before), { interval: 2 });
      expect(seen).toEqual([]);
      await older.query("COMMIT");
      await until(() => expect(statuses(seen)).toEqual(["held"]), { timeout: 3_000 });
    } finally {
      await older.end();
    }
  });
});
