import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/lib/server/testing/test-database";
import { pruneBookkeeping } from "./prune-bookkeeping";

// Pruning against a real database, table by table: what goes, what stays, in bounded batches, from
// several processes at once, and on a schedule by default in the sync engine.
const DAY = 86_400_000;
const HOUR = 3_600_000;
const MAX_AGE = 30 * DAY;
let t: TestDatabase;
let userId: string;

beforeAll(async () => {
  t = await createTestDatabase();
  userId = (await t.db.user.create({ data: { githubId: 11, login: "ada" } })).id;
});
afterAll(async () => t?.drop());
beforeEach(async () => {
  await t.db.session.deleteMany();
  await t.db.processedEvent.deleteMany();
  await t.db.accessRefresh.deleteMany();
  await t.db.rateLimit.deleteMany();
});

const session = (label: string, createdAt: number, expires: number) =>
  t.db.session.create({
    data: {
      id: label,
      tokenHash: randomBytes(32).toString("hex"),
      userId,
      createdAt: new Date(createdAt),
      expires: new Date(expires),
    },
  });
const ids = async () =>
  (await t.db.session.findMany({ select: { id: true }, orderBy: { id: "asc" } })).map((s) => s.id);

describe("pruning bookkeeping", () => {
  it("deletes sessions past their sliding expiry or their absolute lifetime, and keeps live ones", async () => {
    const now = Date.now();
    await session("expired", now - 10 * DAY, now - 1000);
    await session("past-absolute", now - MAX_AGE - HOUR, now + 5 * DAY);
    await session("live", now - 29 * DAY, now + DAY);
    const counts = await pruneBookkeeping(t.db, { now: new Date(now), sessionMaxAgeMs: MAX_AGE });
    expect(counts.sessions).toBe(2);
    expect(await ids()).toEqual(["live"]);
  });

  it("deletes event ids older than the de-duplication window, keeping those a redelivery may still repeat", async () => {
    const now = Date.now();
    const received = (id: string, ago: number) =>
      t.db.processedEvent.create({ data: { id, receivedAt: new Date(now - ago) } });
    await received("three-days", 3 * DAY);
    // EventBridge redelivers for up to a day; an id that old must still be recognised.
    await received("thirty-hours", 30 * HOUR);
    await received("just-now", 1000);
    const counts = await pruneBookkeeping(t.db, { now: new Date(now), sessionMaxAgeMs: MAX_AGE });
    expect(counts.processedEvents).toBe(1);
    const left = await t.db.processedEvent.findMany({ select: { id: true }, orderBy: { id: "asc" } });
    expect(left.map((e) => e.id)).toEqual(["just-now", "thirty-hours"]);
  });

  it("forgets refresh state idle for a day, keeping a running refresh and a backoff in force", async () => {
    const now = Date.now();
    const users = await Promise.all(
      ["idle", "backing-off", "refreshing"].map((login, i) => t.db.user.create({ data: { githubId: 100 + i, login } })),
    );
    const [idle, backingOff, refreshing] = users.map((u) => u.id);
    await t.db.accessRefresh.createMany({
      data: [
        { userId: idle ?? "", failures: 4, lastFailedAt: new Date(now - 2 * DAY), retryAt: new Date(now - 2 * DAY) },
        { userId: backingOff ?? "", failures: 9, lastFailedAt: new Date(now), retryAt: new Date(now + 60_000) },
        { userId: refreshing ?? "", leaseOwner: "other", leaseUntil: new Date(now + 30_000) },
      ],
    });
    const counts = await pruneBookkeeping(t.db, { now: new Date(now), sessionMaxAgeMs: MAX_AGE });
    expect(counts.accessRefreshes).toBe(1);
    const left = await t.db.accessRefresh.findMany({ select: { userId: true } });
    expect(left.map((r) => r.userId).sort()).toEqual([backingOff, refreshing].sort());
  });

  it("deletes rate-limit counters of windows over for an hour, keeping current and unending ones", async () => {
    const now = Date.now();
    await t.db.rateLimit.createMany({
      data: [
        { key: "user:old", points: 3, expire: BigInt(now - 2 * HOUR) },
        { key: "user:recent", points: 3, expire: BigInt(now - 60_000) },
        { key: "user:current", points: 3, expire: BigInt(now + 60_000) },
        { key: "user:forever", points: 3, expire: null },
      ],
    });
    const counts = await pruneBookkeeping(t.db, { now: new Date(now), sessionMaxAgeMs: MAX_AGE });
    expect(counts.rateLimits).toBe(1);
    expect(
      (await t.db.rateLimit.findMany({ select: { key: true }, orderBy: { key: "asc" } })).map((r) => r.key),
    ).toEqual(["user:current", "user:forever", "user:recent"]);
  });

  it("deletes in bounded batches: one run stops after its last batch, the next carries on", async () => {
    const now = Date.now();
    for (let i = 0; i < 7; i++) await session(`s${i}`, now - DAY, now - 1000);
    const first = await pruneBookkeeping(t.db, {
      now: new Date(now),
      sessionMaxAgeMs: MAX_AGE,
      batchSize: 2,
      maxBatches: 2,
    });
    expect(first.sessions).toBe(4);
    expect(await ids()).toHaveLength(3);
    const second = await pruneBookkeeping(t.db, {
      now: new Date(now),
      sessionMaxAgeMs: MAX_AGE,
      batchSize: 2,
      maxBatches: 2,
    });
    expect(second.sessions).toBe(3);
    expect(await ids()).toEqual([]);
  });

  it("is safe from several processes at once: each row is deleted once and nobody fails", async () => {
    const now = Date.now();
    await t.db.processedEvent.createMany({
      data: Array.from({ length: 500 }, (_, i) => ({ id: `e${i}`, receivedAt: new Date(now - 3 * DAY) })),
    });
    const runs = await Promise.all(
      Array.from({ length: 4 }, () =>
        pruneBookkeeping(t.db, { now: new Date(now), sessionMaxAgeMs: MAX_AGE, batchSize: 50, maxBatches: 100 }),
      ),
    );
    expect(runs.reduce((sum, r) => sum + r.processedEvents, 0)).toBe(500);
    expect(await t.db.processedEvent.count()).toBe(0);
  });

  it("runs by default in the sync engine, leaving execution history alone unless retention is configured", async () => {
    const { startSyncEngine } = await import("@/lib/server/sync/engine");
    const { logger } = await import("@/lib/server/logger");
    const now = Date.now();
    await session("expired", now - 10 * DAY, now - 1000);
    await session("live", now, now + DAY);
    await t.db.processedEvent.create({ data: { id: "old", receivedAt: new Date(now - 3 * DAY) } });
    await t.db.target.create({ data: { id: "t", accountId: "111122223333", region: "us-east-1" } });
    const pipeline = await t.db.pipeline.create({ data: { targetId: "t", name: "p", version: 1 } });
    const ancient = new Date(now - 3650 * DAY);
    await t.db.execution.create({
      data: {
        pipelineId: pipeline.id,
        executionId: "ancient",
        status: "Succeeded",
        startTime: ancient,
        lastUpdateTime: ancient,
        completedAt: ancient,
      },
    });
    const engine = startSyncEngine({ db: t.db, logger, targets: [] });
    try {
      await vi.waitFor(
        async () => {
          expect(await ids()).toEqual(["live"]);
          expect(await t.db.processedEvent.count()).toBe(0);
        },
        { timeout: 15_000, interval: 50 },
      );
    } finally {
      await engine.stop();
    }
    expect(await t.db.execution.count()).toBe(1);
  });
});
