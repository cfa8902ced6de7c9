import "server-only";
import type { Db } from "@/lib/server/db/client";
import { env } from "@/lib/env";
import { logger as appLogger, type Logger } from "@/lib/server/logger";

export type PruneFeedOptions = {
  now: Date;
  /** Rows younger than this stay (CHANGE_FEED_RETENTION_HOURS), whoever has read them. */
  retentionMs?: number;
  /** A consumer that has not read for this long is deleted (CHANGE_FEED_CONSUMER_EXPIRY_HOURS). */
  consumerExpiryMs?: number;
  batchSize: number;
  maxBatches: number;
  logger?: Pick<Logger, "warn">;
};

export type PruneFeedCounts = { changeEvents: number; expiredConsumers: number };

/**
 * Expires idle consumers first (so one that stopped reading cannot hold the log forever), then deletes
 * rows past the retention period that every remaining consumer has passed, in bounded batches that skip
 * rows another process is deleting.
 */
export async function pruneFeed(db: Db, options: PruneFeedOptions): Promise<PruneFeedCounts> {
  const log = options.logger ?? appLogger;
  const hour = 3_600_000;
  const idleBefore = new Date(
    options.now.getTime() - (options.consumerExpiryMs ?? env.CHANGE_FEED_CONSUMER_EXPIRY_HOURS * hour),
  );
  const keptAfter = new Date(options.now.getTime() - (options.retentionMs ?? env.CHANGE_FEED_RETENTION_HOURS * hour));

  // A consumer in the middle of a batch holds its row locked: it is reading, so it is not idle.
  const expired = await db.$queryRaw<{ name: string; lastReadAt: Date }[]>`
    DELETE FROM "ChangeConsumer" WHERE name IN (
      SELECT name FROM "ChangeConsumer" WHERE "lastReadAt" < ${idleBefore} FOR UPDATE SKIP LOCKED)
    RETURNING name, "lastReadAt"`;
  for (const consumer of expired) {
    log.warn(
      { consumer: consumer.name, lastReadAt: consumer.lastReadAt },
      "change feed consumer expired: it had not read for longer than CHANGE_FEED_CONSUMER_EXPIRY_HOURS and starts again at the head",
    );
  }

  let changeEvents = 0;
  for (let i = 0; i < options.maxBatches; i++) {
    // Each batch moves the watermark in its own transaction: a reader never sees rows gone without it.
    const [batch] = await db.$queryRaw<{ count: bigint }[]>`
      WITH deleted AS (
        DELETE FROM "ChangeEvent" WHERE id IN (
          SELECT e.id FROM "ChangeEvent" e
          WHERE e."createdAt" < ${keptAfter}
            AND NOT EXISTS (
              SELECT 1 FROM "ChangeConsumer" c WHERE (c."cursorTxid", c."cursorId") < (e.txid, e.id))
          LIMIT ${options.batchSize} FOR UPDATE SKIP LOCKED)
        RETURNING txid, id),
      latest AS (SELECT txid, id FROM deleted ORDER BY txid DESC, id DESC LIMIT 1),
      moved AS (
        INSERT INTO "ChangeFeedPruned" (id, "cursorTxid", "cursorId", "prunedAt")
        SELECT 1, txid, id, now() FROM latest
        ON CONFLICT (id) DO UPDATE SET "cursorTxid" = EXCLUDED."cursorTxid", "cursorId" = EXCLUDED."cursorId",
          "prunedAt" = EXCLUDED."prunedAt"
        WHERE ("ChangeFeedPruned"."cursorTxid", "ChangeFeedPruned"."cursorId") < (EXCLUDED."cursorTxid", EXCLUDED."cursorId"))
      SELECT count(*) AS count FROM deleted`;
    const count = Number(batch?.count ?? 0);
    changeEvents += count;
    if (count < options.batchSize) break;
  }
  return { changeEvents, expiredConsumers: expired.length };
}
