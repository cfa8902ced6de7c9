import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { consumeChanges } from "@/lib/server/feed/consumer";
import { pruneFeed } from "@/lib/server/feed/prune-feed";
import { prunedThrough } from "@/lib/server/feed/read-changes";
import { pruneBookkeeping } from "@/lib/server/housekeeping/prune-bookkeeping";
import { createTestDatabase, type TestDatabase } from "@/lib/server/testing/test-database";

// Feed pruning: rows go once past retention and passed by every consumer; a consumer that stopped reading
// expires (with a warning) instead of holding the log; deletes run in bounded batches.
const HOUR = 3_600_000;
let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => t?.drop());
beforeEach(async () => {
  await t.db.$executeRaw`DELETE FROM "ChangeEvent"`;
  await t.db.$executeRaw`DELETE FROM "ChangeConsumer"`;
  await t.db.$executeRaw`DELETE FROM "ChangeFeedPruned"`;
});

const write = (label: string, ageMs: number) =>
  t.db.$executeRaw`
    INSERT INTO "ChangeEvent" ("pipelineId", entity, after, "createdAt")
    VALUES ('p', 'pipeline', ${JSON.stringify({ status: label })}::jsonb, ${new Date(Date.now() - ageMs)})`;
const left = async () =>
  (
    await t.db.$queryRaw<{ label: string }[]>`SELECT after->>'status' AS label FROM "ChangeEvent" ORDER BY txid, id`
  ).map((r) => r.label);
/** Reads everything committed, waiting out rows held behind a transaction open elsewhere on the server. */
async function consume(name: string) {
  for (;;) {
    const result = await consumeChanges(t.db, name, () => Promise.resolve(), { limit: 100, from: "start" });
    if (result.kind === "read" && !result.held) return;
  }
}
const warnings: unknown[] = [];
const logger = { warn: (obj: unknown) => void warnings.push(obj) };
const prune = (options: Partial<Parameters<typeof pruneFeed>[1]> = {}) =>
  pruneFeed(t.db, {
    now: new Date(),
    retentionMs: 24 * HOUR,
    consumerExpiryMs: 168 * HOUR,
    batchSize: 100,
    maxBatches: 10,
    logger,
    ...options,
  });

describe("pruning the change feed", () => {
  it("deletes rows past retention when no consumer exists, keeping younger ones", async () => {
    await write("old", 25 * HOUR);
    await write("young", HOUR);
    expect(await prune()).toEqual({ changeEvents: 1, expiredConsumers: 0 });
    expect(await left()).toEqual(["young"]);
  });

  it("remembers the latest pruned change, never moving it back", async () => {
    expect(await prunedThrough(t.db)).toBeNull();
    await write("old", 30 * HOUR);
    await write("older-but-later", 40 * HOUR);
    await write("young", HOUR);
    const rows = await t.db.$queryRaw<
      { txid: bigint; id: bigint }[]
    >`SELECT txid, id FROM "ChangeEvent" ORDER BY txid, id`;
    await prune();
    // The second row is later in feed order, whatever its age: the watermark is the later of the two.
    expect(await prunedThrough(t.db)).toEqual(rows[1]);
    // Nothing pruned this time: the watermark stays.
    await prune();
    expect(await prunedThrough(t.db)).toEqual(rows[1]);
  });

  it("keeps old rows a live consumer has not passed yet", async () => {
    await write("read", 30 * HOUR);
    await consume("slow");
    await write("unread", 26 * HOUR);
    expect((await prune()).changeEvents).toBe(1);
    expect(await left()).toEqual(["unread"]);
    await consume("slow");
    expect((await prune()).changeEvents).toBe(1);
    expect(await left()).toEqual([]);
  });

  it("expires a consumer idle past the expiry with a warning, so it no longer holds the log", async () => {
    await consume("gone");
    await consume("active");
    await t.db
      .$executeRaw`UPDATE "ChangeConsumer" SET "lastReadAt" = ${new Date(Date.now() - 200 * HOUR)} WHERE name = 'gone'`;
    await write("old", 30 * HOUR);
    await consume("active");
    warnings.length = 0;
    expect(await prune()).toEqual({ changeEvents: 1, expiredConsumers: 1 });
    expect((await t.db.changeConsumer.findMany()).map((c) => c.name)).toEqual(["active"]);
    expect(warnings).toEqual([expect.objectContaining({ consumer: "gone" })]);
  });

  it("deletes in bounded batches, leaving the rest for the next run", async () => {
    for (let i = 0; i < 25; i++) await write(`r${i}`, 48 * HOUR);
    expect((await prune({ batchSize: 10, maxBatches: 2 })).changeEvents).toBe(20);
    expect(await left()).toHaveLength(5);
  });

  it("runs with the housekeeping pruner, which reports its counts", async () => {
    await write("old", 48 * HOUR);
    const counts = await pruneBookkeeping(t.db, {
      now: new Date(),
      sessionMaxAgeMs: 30 * 24 * HOUR,
      feedRetentionMs: 24 * HOUR,
    });
    expect(counts).toMatchObject({ changeEvents: 1, expiredConsumers: 0 });
    expect(await left()).toEqual([]);
  });
});
