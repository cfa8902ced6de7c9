import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { consumeChanges, type FeedTx } from "@/lib/server/feed/consumer";
import type { ChangeRow } from "@/lib/server/feed/read-changes";
import { createTestDatabase, type TestDatabase } from "@/lib/server/testing/test-database";

/** Waits for a condition; patient, because the machine running the tests may be busy. */
const until = <T>(check: () => T | Promise<T>, options: { timeout?: number; interval?: number } = {}) =>
  vi.waitFor(check, { timeout: 10_000, interval: 10, ...options });

// Durable consumers against a real database: where a new one starts, a handler that fails or whose
// connection dies mid-batch, two processes running the same consumer at once, and origin filtering.
let t: TestDatabase;
let n = 0;

beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => t?.drop());
beforeEach(async () => {
  await t.db.$executeRaw`DELETE FROM "ChangeEvent"`;
  await t.db.$executeRaw`DELETE FROM "ProcessedEvent"`;
});

const write = (label: string, pipelineId = "p", origin = "live") =>
  t.db.$executeRaw`
    INSERT INTO "ChangeEvent" ("pipelineId", entity, after, origin)
    VALUES (${pipelineId}, 'pipeline', ${JSON.stringify({ status: label })}::jsonb, ${origin})`;
const statuses = (rows: ChangeRow[]) => rows.map((r) => r.after.status);
const name = () => `consumer-${++n}`;

/** Handles until the consumer reads nothing; returns what it was given. */
async function drain(consumer: string, options: Parameters<typeof consumeChanges>[3] = { limit: 100 }) {
  const seen: ChangeRow[] = [];
  for (;;) {
    const result = await consumeChanges(
      t.db,
      consumer,
      (_tx, changes) => {
        seen.push(...changes);
        return Promise.resolve();
      },
      options,
    );
    if (result.kind === "read" && result.count === 0 && !result.held) return seen;
  }
}

describe("consumeChanges", () => {
  it("starts a new consumer at the head unless told to start from the oldest kept row", async () => {
    await write("old");
    // The head is after everything readable; an open transaction elsewhere on the server may keep "old"
    // unreadable for a moment, and then it is still ahead of a new consumer (at least once).
    let head = "";
    await until(async () => {
      head = name();
      expect(await drain(head)).toEqual([]);
    });
    const start = name();
    expect(statuses(await drain(start, { limit: 100, from: "start" }))).toEqual(["old"]);
    await write("new");
    expect(statuses(await drain(head))).toEqual(["new"]);
    expect(statuses(await drain(start))).toEqual(["new"]);
  });

  it("leaves the cursor where it was when the handler throws: nothing is lost and its writes are undone", async () => {
    const consumer = name();
    await drain(consumer);
    await write("a");
    await write("b");
    const handler = async (tx: FeedTx, changes: ChangeRow[]) => {
      await tx.processedEvent.create({ data: { id: `effect-${changes.length}` } });
      throw new Error("handler failed");
    };
    await expect(consumeChanges(t.db, consumer, handler, { limit: 10 })).rejects.toThrow("handler failed");
    expect(await t.db.processedEvent.count()).toBe(0);
    expect(statuses(await drain(consumer))).toEqual(["a", "b"]);
  });

  it("gives the same changes again after the handler's connection dies mid-batch", async () => {
    const consumer = name();
    await drain(consumer);
    await write("a");
    await expect(
      consumeChanges(
        t.db,
        consumer,
        async (tx) => {
          await tx.processedEvent.create({ data: { id: "before-crash" } });
          await tx.$queryRaw`SELECT pg_terminate_backend(pg_backend_pid())`;
        },
        { limit: 10 },
      ),
    ).rejects.toThrow();
    expect(await t.db.processedEvent.count()).toBe(0);
    expect(statuses(await drain(consumer))).toEqual(["a"]);
  });

  it("runs one batch of a consumer at a time: a second process gets busy", async () => {
    const consumer = name();
    await drain(consumer);
    await write("a");
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    let entered = () => {};
    const inHandler = new Promise<void>((resolve) => (entered = resolve));
    const first = consumeChanges(
      t.db,
      consumer,
      async () => {
        entered();
        await held;
      },
      { limit: 10 },
    );
    await inHandler;
    const second = await consumeChanges(t.db, consumer, async () => {}, { limit: 10 });
    expect(second).toEqual({ kind: "busy" });
    release();
    expect(await first).toMatchObject({ kind: "read", count: 1 });
    expect(await drain(consumer)).toEqual([]);
  });

  it("applies every change's database effect exactly once, in order per pipeline, with processes racing", async () => {
    const consumer = name();
    await drain(consumer);
    for (let i = 0; i < 60; i++) await write(`w${i}`, `p${i % 3}`);
    const order: Record<string, number[]> = {};
    const worker = async () => {
      for (;;) {
        const result = await consumeChanges(
          t.db,
          consumer,
          async (tx, changes) => {
            for (const change of changes) {
              // A primary key: a change applied twice would fail the batch.
              await tx.processedEvent.create({ data: { id: `change-${change.cursor.id}` } });
              (order[change.pipelineId] ??= []).push(Number(String(change.after.status).slice(1)));
            }
          },
          { limit: 7 },
        );
        if (result.kind === "read" && result.count === 0 && !result.held) return;
      }
    };
    await Promise.all([worker(), worker(), worker()]);
    expect(await t.db.processedEvent.count()).toBe(60);
    for (const seq of Object.values(order)) expect(seq).toEqual([...seq].sort((a, b) => a - b));
  });

  it("passes changes of another origin without handing them over", async () => {
    const consumer = name();
    await drain(consumer, { limit: 100, origin: "live" });
    await write("history", "p", "backfill");
    await write("now");
    expect(statuses(await drain(consumer, { limit: 100, origin: "live" }))).toEqual(["now"]);
    expect(await drain(consumer)).toEqual([]);
  });

  it("refuses a name that is not one", async () => {
    await expect(consumeChanges(t.db, "", async () => {}, { limit: 1 })).rejects.toThrow("not a consumer name");
  });
});
