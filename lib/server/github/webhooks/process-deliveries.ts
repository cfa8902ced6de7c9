import "server-only";
import type { Db } from "@/lib/server/db/client";
import { nextAttempt, type RetrySchedule } from "@/lib/server/jobs/retry-schedule";
import type { Logger } from "@/lib/server/logger";
import { gateDue } from "@/lib/server/gate/wake";
import { signalSyncRequested } from "@/lib/server/sync/wake";
import { handleDelivery, type DeliveryRow, type HandlerContext } from "./handlers";

// Stored webhook deliveries are processed here, after GitHub has had its answer, by every process that syncs:
// each claims due rows with SKIP LOCKED, so processes share the queue row by row. A claim pushes the row's next
// attempt CLAIM_MS ahead, so a delivery whose process was killed mid-way is taken up again by another afterwards.
// A handler that fails is retried on the shared schedule, then kept as "failed" with its error.

export const CLAIM_MS = 60_000;
export const DELIVERY_RETRIES: RetrySchedule = { delaysMs: [5_000, 30_000, 120_000, 600_000, 3_600_000] };
const BATCH = 50;
const ERROR_MAX = 500;

export type ProcessOptions = {
  db: Db;
  logger: Pick<Logger, "warn" | "info">;
  now?: () => Date;
  context?: HandlerContext;
};

type Effects = { syncs: boolean; gateDue: boolean };

async function claim(db: Db, now: Date): Promise<DeliveryRow[]> {
  return db.$queryRaw<DeliveryRow[]>`
    UPDATE "GitHubDelivery" SET attempts = attempts + 1, "nextAttemptAt" = ${new Date(now.getTime() + CLAIM_MS)}
     WHERE id IN (SELECT id FROM "GitHubDelivery" WHERE state = 'pending' AND "nextAttemptAt" <= ${now}
                   ORDER BY "receivedAt", id LIMIT ${BATCH} FOR UPDATE SKIP LOCKED)
    RETURNING id, event, action, payload, attempts`;
}

async function processOne(options: ProcessOptions, delivery: DeliveryRow, now: Date): Promise<Effects> {
  const { db, logger } = options;
  try {
    return await db.$transaction(async (tx) => {
      const outcome = await handleDelivery(tx, delivery, now, options.context ?? { ownAppId: null });
      await tx.gitHubDelivery.update({
        where: { id: delivery.id },
        data: {
          state: outcome.kind,
          processedAt: now,
          lastError: outcome.kind === "ignored" ? outcome.reason.slice(0, ERROR_MAX) : null,
        },
      });
      const done = outcome.kind === "done" ? outcome : null;
      return { syncs: done?.syncsRequested === true, gateDue: done?.gateDue === true };
    });
  } catch (err) {
    const decision = nextAttempt(DELIVERY_RETRIES, { attempts: delivery.attempts, now });
    const message = (err instanceof Error ? err.message : String(err)).slice(0, ERROR_MAX);
    logger.warn({ err, delivery: delivery.id, event: delivery.event }, "a GitHub webhook delivery failed");
    await db.gitHubDelivery
      .update({
        where: { id: delivery.id },
        data:
          decision.kind === "retry"
            ? { lastError: message, nextAttemptAt: decision.at }
            : { lastError: message, state: "failed", processedAt: now },
      })
      .catch(() => {}); // the claim's own expiry brings it back
    return { syncs: false, gateDue: false };
  }
}

/**
 * One pass over the due deliveries; `again` when a full batch was claimed (more may be due), `gateDue` when a
 * release gate has a commit to look at now.
 */
export async function processDeliveries(
  options: ProcessOptions,
): Promise<{ processed: number; again: boolean; gateDue: boolean }> {
  const now = (options.now ?? (() => new Date()))();
  const claimed = await claim(options.db, now);
  const effects: Effects = { syncs: false, gateDue: false };
  for (const delivery of claimed) {
    const one = await processOne(options, delivery, now);
    effects.syncs ||= one.syncs;
    effects.gateDue ||= one.gateDue;
  }
  if (effects.syncs) signalSyncRequested();
  if (effects.gateDue) gateDue.signal();
  return { processed: claimed.length, again: claimed.length === BATCH, gateDue: effects.gateDue };
}

/** Processed deliveries older than this are deleted: GitHub itself offers redelivery for 3 days. */
export const DELIVERY_RETENTION_MS = 7 * 86_400_000;

export async function pruneDeliveries(db: Db, now: Date): Promise<number> {
  const before = new Date(now.getTime() - DELIVERY_RETENTION_MS);
  return db.$executeRaw`
    DELETE FROM "GitHubDelivery" WHERE id IN (
      SELECT id FROM "GitHubDelivery" WHERE state <> 'pending' AND "receivedAt" < ${before}
      LIMIT 1000 FOR UPDATE SKIP LOCKED)`;
}
