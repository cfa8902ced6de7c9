import "server-only";
import type { Db } from "@/lib/server/db/client";
import { consumeChanges } from "@/lib/server/feed/consumer";
import { githubApp } from "@/lib/server/github/app";
import { startWakeableLoop, type WakeableLoop } from "@/lib/server/jobs/wakeable-loop";
import type { Logger } from "@/lib/server/logger";
import { deliverDue, type DeliverOptions } from "./deliver";
import { enqueueWriteback } from "./enqueue";

// The GitHub write-back loop, run beside the sync engine in every process that syncs, as its own loop: the sync
// engine never waits on GitHub. It reads the change feed's live changes as one durable consumer shared by every
// process (a backfill of history posts nothing) and sends due jobs, processes splitting the queue row by row.
// While no GitHub App is configured the feed is read all the same and nothing is queued, so configuring one later
// does not post what happened before.

export const WRITEBACK_CONSUMER = "github-writeback";
const BATCH = 200;

export type WritebackOptions = {
  db: Db;
  logger: Pick<Logger, "warn" | "info">;
  baseUrl: string;
  tickMs?: number;
  signals?: (wake: () => void) => () => void;
  /** Whether a GitHub App is configured (default: ask lib/server/github/app). */
  appConfigured?: () => Promise<boolean>;
  /** Finished jobs untouched for this long are deleted. */
  retentionMs?: number;
  deliver?: Partial<DeliverOptions>;
};

/** Rounds of sending per pass: a job sent may let the next one of its commit and pipeline go in the next round. */
const DELIVERY_ROUNDS = 10;

/**
 * One pass: changes become jobs (until the feed is read up to the head), then due jobs are sent, round after round
 * until none is due; `drained` is false when rounds ran out first.
 */
export async function writebackOnce(
  options: WritebackOptions,
): Promise<{ enqueued: number; attempted: number; drained: boolean }> {
  const configured = await (options.appConfigured ?? (async () => (await githubApp()) !== null))();
  let enqueued = 0;
  for (let round = 0; round < 20; round++) {
    const read = await consumeChanges(
      options.db,
      WRITEBACK_CONSUMER,
      async (tx, changes) => {
        if (configured) enqueued += await enqueueWriteback(tx, changes, { baseUrl: options.baseUrl });
      },
      { limit: BATCH, origin: "live" },
    );
    if (read.kind === "busy" || read.count < BATCH) break;
  }
  let attempted = 0;
  for (let round = 0; round < DELIVERY_ROUNDS; round++) {
    const sent = await deliverDue({ db: options.db, logger: options.logger, ...options.deliver });
    attempted += sent;
    if (sent === 0) return { enqueued, attempted, drained: true };
  }
  return { enqueued, attempted, drained: false };
}

export async function pruneJobs(db: Db, before: Date): Promise<number> {
  return db.$executeRaw`
    DELETE FROM "WritebackJob" WHERE id IN (
      SELECT id FROM "WritebackJob" WHERE state <> 'pending' AND "updatedAt" < ${before}
      LIMIT 1000 FOR UPDATE SKIP LOCKED)`;
}

export function startWriteback(options: WritebackOptions): WakeableLoop {
  const retentionMs = options.retentionMs ?? 30 * 86_400_000;
  let lastPrune = 0;
  return startWakeableLoop({
    name: "GitHub write-back",
    logger: options.logger,
    tickMs: options.tickMs ?? 1_000,
    signals: options.signals,
    async pass() {
      const { drained } = await writebackOnce(options);
      if (Date.now() - lastPrune > 3_600_000) {
        lastPrune = Date.now();
        await pruneJobs(options.db, new Date(Date.now() - retentionMs));
      }
      return { again: !drained };
    },
  });
}
