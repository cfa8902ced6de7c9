import fc from "fast-check";
import pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { compareCursors, formatCursor, parseCursor, type FeedCursor } from "@/lib/server/feed/cursor";
import { headCursor, readChanges, type ChangeRow } from "@/lib/server/feed/read-changes";
import { createTestDatabase, type TestDatabase } from "@/lib/server/testing/test-database";

/** Waits for a condition; patient, because the machine running the tests may be busy. */
const until = <T>(check: () => T | Promise<T>, options: { timeout?: number; interval?: number } = {}) =>
  vi.waitFor(check, { timeout: 10_000, interval: 10, ...options });

// Reading the feed without gaps: a transaction that took its transaction id first and commits last must
// not be skipped by a reader that already saw a later-numbered one. Real concurrent transactions on
// separate connections.
let t: TestDatabase;
const clients: pg.Client[] = [];

beforeAll(async () => {
  t = await createTestDatabase();
  for (let i = 0; i < 4; i++) {
    const client = new pg.Client({ connectionString: t.url });
    await client.connect();
    clients.push(client);
  }
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.end()));
  await t?.drop();
});
beforeEach(async () => {
  await t.db.$executeRaw`DELETE FROM "ChangeEvent"`;
});

const client = (i: number) => {
  const c = clients[i];
  if (!c) throw new Error("no client");
  return c;
};

/** A feed row written directly (the triggers are covered in triggers.test.ts); its txid is the writer's. */
const write = (c: pg.Client, pipelineId: string, label: string, origin = "live") =>
  c.query(`INSERT INTO "ChangeEvent" ("pipelineId", entity, after, origin) VALUES ($1, 'pipeline', $2, $3)`, [
    pipelineId,
    JSON.stringify({ status: label }),
    origin,
  ]);

const labels = (rows: ChangeRow[]) => rows.map((r) => r.after.status);

/** One read, repeated until no committed row waits behind a transaction open elsewhere on the server. */
async function settled(options: Parameters<typeof readChanges>[1]) {
  for (;;) {
    const read = await readChanges(t.db, options);
    if (!read.held) return read;
  }
}

async function readAll(after: FeedCursor | null, options: { pipelineIds?: string[]; limit?: number } = {}) {
  const seen: ChangeRow[] = [];
  let cursor = after;
  for (;;) {
    const page = await readChanges(t.db, { after: cursor, limit: options.limit ?? 100, ...options });
    seen.push(...page.changes);
    cursor = page.cursor;
    if (page.changes.length < (options.limit ?? 100) && !page.held) return { seen, cursor };
  }
}

describe("cursors", () => {
  it("format as <txid>-<id> and parse back; anything else is refused", () => {
    const cursor = { txid: 812n, id: 9_223_372_036_854_775_807n };
    expect(formatCursor(cursor)).toBe("812-9223372036854775807");
    expect(parseCursor(formatCursor(cursor))).toEqual(cursor);
    for (const bad of ["", "12", "1-2-3", "-1-2", "a-1", "1-9223372036854775808", "1 -2", null, undefined]) {
      expect(parseCursor(bad)).toBeNull();
    }
  });
});

describe("readChanges", () => {
  it("does not pass a transaction that commits after a later-numbered one", async () => {
    const [early, late] = [client(0), client(1)];
    const start = await headCursor(t.db);
    await early.query("BEGIN");
    await write(early, "p1", "early");
    await late.query("BEGIN");
    await write(late, "p1", "late");
    await late.query("COMMIT");

    // The later-numbered transaction is committed, but the earlier one may still commit below it.
    const between = await readChanges(t.db, { after: start, limit: 100 });
    expect(labels(between.changes)).toEqual([]);
    expect(between.held).toBe(true);

    await early.query("COMMIT");
    const after = await readAll(between.cursor);
    expect(labels(after.seen)).toEqual(["early", "late"]);
    expect(compareCursors(after.seen[0]?.cursor ?? start, after.seen[1]?.cursor ?? start)).toBeLessThan(0);
  });

  it("never misses or repeats a row over random interleavings of writers, commits, rollbacks and reads", async () => {
    type Step = { kind: "begin" | "write" | "end"; tx: number } | { kind: "read" };
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ writes: fc.integer({ min: 1, max: 2 }), commit: fc.boolean() }), {
          minLength: 2,
          maxLength: 3,
        }),
        fc.array(fc.nat(), { minLength: 20, maxLength: 20 }),
        async (txs, choices) => {
          await t.db.$executeRaw`DELETE FROM "ChangeEvent"`;
          // Each transaction's steps stay in order; the schedule interleaves them (and reads) by `choices`.
          const queues: Step[][] = txs.map((tx, i) => [
            { kind: "begin", tx: i },
            ...Array.from({ length: tx.writes }, () => ({ kind: "write" as const, tx: i })),
            { kind: "end", tx: i },
          ]);
          const schedule: Step[] = [];
          let c = 0;
          while (queues.some((q) => q.length)) {
            const choice = choices[c++ % choices.length] ?? 0;
            const open = queues.filter((q) => q.length);
            if (choice % 2 === 0) schedule.push({ kind: "read" });
            const step = open[Math.floor(choice / 2) % open.length]?.shift();
            if (step) schedule.push(step);
          }
          let cursor: FeedCursor | null = await headCursor(t.db);
          const seen: ChangeRow[] = [];
          let n = 0;
          for (const step of schedule) {
            if (step.kind === "read") {
              const page = await readChanges(t.db, { after: cursor, limit: 2 });
              seen.push(...page.changes);
              cursor = page.cursor;
              continue;
            }
            const c = client(step.tx);
            if (step.kind === "begin") await c.query("BEGIN");
            else if (step.kind === "write") await write(c, "p", `w${n++}`);
            else await c.query(txs[step.tx]?.commit ? "COMMIT" : "ROLLBACK");
          }
          seen.push(...(await readAll(cursor, { limit: 2 })).seen);
          const committed = await t.db.$queryRaw<{ label: string }[]>`
            SELECT after->>'status' AS label FROM "ChangeEvent" ORDER BY txid, id`;
          expect(labels(seen)).toEqual(committed.map((r) => r.label));
        },
      ),
      { numRuns: 40 },
    );
  });

  it("is not held back by a transaction open in another database of the same server", async () => {
    const other = await createTestDatabase();
    const elsewhere = new pg.Client({ connectionString: other.url });
    await elsewhere.connect();
    try {
      const start = await headCursor(t.db);
      await elsewhere.query("BEGIN");
      await elsewhere.query("SELECT pg_current_xact_id()");
      await write(client(0), "p", "here");
      const read = await settled({ after: start, limit: 10 });
      expect(labels(read.changes)).toEqual(["here"]);
      expect(read.held).toBe(false);
    } finally {
      await elsewhere.end();
      await other.drop();
    }
  });

  it("filters by pipeline and origin, and moves the cursor past rows it filtered out", async () => {
    const c = client(0);
    const start = await headCursor(t.db);
    await write(c, "a", "a1");
    await write(c, "b", "b1");
    await write(c, "a", "a-old", "backfill");
    await write(c, "a", "a2");

    const a = await settled({ after: start, limit: 10, pipelineIds: ["a"] });
    expect(labels(a.changes)).toEqual(["a1", "a-old", "a2"]);
    const live = await settled({ after: start, limit: 10, pipelineIds: ["a"], origin: "live" });
    expect(labels(live.changes)).toEqual(["a1", "a2"]);
    expect(live.changes.every((r) => r.origin === "live")).toBe(true);
    const none = await settled({ after: start, limit: 10, pipelineIds: [] });
    expect(none.changes).toEqual([]);
    // Nothing left to read for anyone after the filtered reads' cursors.
    for (const cursor of [a.cursor, live.cursor, none.cursor]) {
      expect((await readChanges(t.db, { after: cursor, limit: 10 })).changes).toEqual([]);
    }
  });

  it("pages in order with a full page's cursor at its last row", async () => {
    const c = client(0);
    const start = await headCursor(t.db);
    for (let i = 0; i < 5; i++) await write(c, "p", `r${i}`);
    const first = await settled({ after: start, limit: 2 });
    expect(labels(first.changes)).toEqual(["r0", "r1"]);
    expect(first.cursor).toEqual(first.changes[1]?.cursor);
    const rest = await readAll(first.cursor, { limit: 2 });
    expect(labels(rest.seen)).toEqual(["r2", "r3", "r4"]);
    expect(labels((await readAll(null)).seen)).toEqual(["r0", "r1", "r2", "r3", "r4"]);
  });

  it("starts a new reader at the head: only changes committed after it", async () => {
    const c = client(0);
    await write(c, "p", "before");
    // Once "before" is readable, the head is past it.
    let head = await headCursor(t.db);
    await until(async () => {
      head = await headCursor(t.db);
      expect(labels((await readChanges(t.db, { after: head, limit: 10 })).changes)).toEqual([]);
    });
    await write(c, "p", "after");
    expect(labels((await readAll(head)).seen)).toEqual(["after"]);
  });
});
