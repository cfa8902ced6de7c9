import "server-only";
import type { Db } from "@/lib/server/db/client";
import { pruneFeed, type PruneFeedCounts } from "@/lib/server/feed/prune-feed";

// Deletes bookkeeping rows that would otherwise pile up forever; Postgres only (never AWS or GitHub).
// It runs on a schedule in every sync process (engine.ts), so deletes are idempotent, in bounded
// batches, and skip rows another process is deleting at the same moment (FOR UPDATE SKIP LOCKED).
// Not here: execution history (its own opt-in retention, SYNC_RETENTION_DAYS, sync/retention.ts) and
// anything kept as a record (audit logs).

/**
 * How long an EventBridge event id is kept for de-duplication. The rule's RetryPolicy (README) gives up
 * after MaximumEventAgeInSeconds = 86400, EventBridge's maximum, so no redelivery comes later than a day
 * after the event; twice that leaves room for clock skew and queueing.
 */
export const EVENT_DEDUP_WINDOW_MS = 2 * 86_400_000;
/** A user's refresh backoff (AccessRefresh) nobody has run into for this long is forgotten. */
export const ACCESS_REFRESH_IDLE_MS = 86_400_000;
/** rate-limiter-flexible's own choice: a counter row is cleared an hour after its window ended. */
export const RATE_LIMIT_GRACE_MS = 3_600_000;

export interface PruneOptions {
  now: Date;
  /** Absolute session lifetime (SESSION_MAX_AGE_DAYS): a session signed in before now minus this is over. */
  sessionMaxAgeMs: number;
  batchSize?: number;
  /** Per table and run; the rest waits for the next run, so one run never holds the database for long. */
  maxBatches?: number;
  /** Change feed retention and consumer expiry; unset: CHANGE_FEED_RETENTION_HOURS, CHANGE_FEED_CONSUMER_EXPIRY_HOURS. */
  feedRetentionMs?: number;
  feedConsumerExpiryMs?: number;
}

export type PruneCounts = {
  sessions: number;
  processedEvents: number;
  accessRefreshes: number;
  rateLimits: number;
} & PruneFeedCounts;

async function inBatches(deleteBatch: () => Promise<number>, batchSize: number, maxBatches: number) {
  let total = 0;
  for (let i = 0; i < maxBatches; i++) {
    const count = await deleteBatch();
    total += count;
    if (count < batchSize) break;
  }
  return total;
}

export async function pruneBookkeeping(db: Db, options: PruneOptions): Promise<PruneCounts> {
  const { now } = options;
  const batch = options.batchSize ?? 1000;
  const batches = options.maxBatches ?? 20;
  const signedInBefore = new Date(now.getTime() - options.sessionMaxAgeMs);
  const eventsBefore = new Date(now.getTime() - EVENT_DEDUP_WINDOW_MS);
  const idleBefore = new Date(now.getTime() - ACCESS_REFRESH_IDLE_MS);
  const countersBefore = BigInt(now.getTime() - RATE_LIMIT_GRACE_MS);

  // Sessions past their sliding expiry or their absolute lifetime: both sign nobody in any more.
  const sessions = await inBatches(
    () => db.$executeRaw`
      DELETE FROM "Session" WHERE id IN (
        SELECT id FROM "Session" WHERE expires < ${now} OR "createdAt" < ${signedInBefore}
        LIMIT ${batch} FOR UPDATE SKIP LOCKED)`,
    batch,
    batches,
  );
  const processedEvents = await inBatches(
    () => db.$executeRaw`
      DELETE FROM "ProcessedEvent" WHERE id IN (
        SELECT id FROM "ProcessedEvent" WHERE "receivedAt" < ${eventsBefore}
        LIMIT ${batch} FOR UPDATE SKIP LOCKED)`,
    batch,
    batches,
  );
  // Neither refreshing nor backing off for a day: the next refresh starts afresh (first backoff 5 s).
  const accessRefreshes = await inBatches(
    () => db.$executeRaw`
      DELETE FROM "AccessRefresh" WHERE "userId" IN (
        SELECT "userId" FROM "AccessRefresh"
        WHERE ("leaseUntil" IS NULL OR "leaseUntil" < ${idleBefore}) AND ("retryAt" IS NULL OR "retryAt" < ${idleBefore})
        LIMIT ${batch} FOR UPDATE SKIP LOCKED)`,
    batch,
    batches,
  );
  // Counters of windows long over (a null expire never ends, as the library reads it).
  const rateLimits = await inBatches(
    () => db.$executeRaw`
      DELETE FROM "RateLimit" WHERE key IN (
        SELECT key FROM "RateLimit" WHERE expire < ${countersBefore}
        LIMIT ${batch} FOR UPDATE SKIP LOCKED)`,
    batch,
    batches,
  );
  const feed = await pruneFeed(db, {
    now,
    retentionMs: options.feedRetentionMs,
    consumerExpiryMs: options.feedConsumerExpiryMs,
    batchSize: batch,
    maxBatches: batches,
  });
  return { sessions, processedEvents, accessRefreshes, rateLimits, ...feed };
}
