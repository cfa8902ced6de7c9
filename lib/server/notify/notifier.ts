import "server-only";
import type { Db } from "@/lib/server/db/client";
import { consumeChanges } from "@/lib/server/feed/consumer";
import { startWakeableLoop, type WakeableLoop } from "@/lib/server/jobs/wakeable-loop";
import type { Logger } from "@/lib/server/logger";
import { deliverDue, type DeliverOptions } from "@/lib/server/notify/deliver";
import { enqueueDeliveries } from "@/lib/server/notify/enqueue";
import type { UrlPolicy } from "@/lib/server/notify/url-policy";

// The notifications loop, run beside the sync engine in every process that syncs (the app with
// SYNC_IN_APP=true, each `npm run worker`): it reads the change feed as one durable consumer shared by all of
// them (its batch runs in one process at a time) and sends due deliveries, several processes splitting the
// queue row by row. It wakes on feed signals and otherwise every tickMs, for retries that come due.

export const NOTIFY_CONSUMER = "notify-webhooks";

export type NotifierOptions = {
  db: Db;
  logger: Pick<Logger, "warn" | "info">;
  policy: UrlPolicy;
  baseUrl: string;
  /** Deliveries sent at once by this process. */
  concurrency?: number;
  tickMs?: number;
  /** Wake-ups from the change feed listener; returns the unsubscribe. */
  signals?: (wake: () => void) => () => void;
  /** Delivered and failed deliveries (and their attempts) older than this are deleted. */
  retentionMs?: number;
  deliver?: Partial<DeliverOptions>;
};

export type Notifier = WakeableLoop;

/** One pass: changes become deliveries (until the feed is read up to the head), then due deliveries are sent. */
export async function notifyOnce(options: NotifierOptions): Promise<{ enqueued: number; attempted: number }> {
  let enqueued = 0;
  for (let round = 0; round < 20; round++) {
    const read = await consumeChanges(
      options.db,
      NOTIFY_CONSUMER,
      async (tx, changes) => {
        enqueued += await enqueueDeliveries(tx, changes, options.baseUrl);
      },
      { limit: 200, origin: "live" },
    );
    if (read.kind === "busy" || read.count < 200) break;
  }
  const attempted = await deliverDue(
    { db: options.db, policy: options.policy, ...options.deliver },
    options.concurrency ?? 4,
  );
  return { enqueued, attempted };
}

export async function pruneDeliveries(db: Db, before: Date): Promise<number> {
  return db.$executeRaw`
    DELETE FROM "NotifyDelivery" WHERE id IN (
      SELECT id FROM "NotifyDelivery" WHERE status <> 'pending' AND "createdAt" < ${before}
      LIMIT 1000 FOR UPDATE SKIP LOCKED)`;
}

export function startNotifier(options: NotifierOptions): Notifier {
  const retentionMs = options.retentionMs ?? 30 * 86_400_000;
  let lastPrune = 0;
  return startWakeableLoop({
    name: "notifications",
    logger: options.logger,
    tickMs: options.tickMs ?? 1_000,
    signals: options.signals,
    async pass() {
      const { attempted } = await notifyOnce(options);
      if (Date.now() - lastPrune > 3_600_000) {
        lastPrune = Date.now();
        await pruneDeliveries(options.db, new Date(Date.now() - retentionMs));
      }
      // A full batch of sends may leave more due: go round again at once.
      return { again: attempted >= (options.concurrency ?? 4) };
    },
  });
}
