import "server-only";
import type { Db } from "@/lib/server/db/client";
import { consumeChanges } from "@/lib/server/feed/consumer";
import { readChanges, type ChangeRow } from "@/lib/server/feed/read-changes";
import { githubApp } from "@/lib/server/github/app";
import { startWakeableLoop, type WakeableLoop } from "@/lib/server/jobs/wakeable-loop";
import type { Logger } from "@/lib/server/logger";
import { deliverDue, type DeliverOptions } from "./deliver";
import { enqueueWriteback, prepareReports, touchedExecutions, writeReports, type PreparedReports } from "./enqueue";

// The GitHub write-back loops, run beside the sync engine in every process that syncs, as loops of their own: the
// sync engine never waits on GitHub. One reads the change feed's live changes as one durable consumer shared by
// every process (a backfill of history posts nothing); the other sends due jobs, processes splitting the queue row
// by row.
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

/** Executions mapped at once while preparing a batch, each on its own connection. */
const PREPARE_WIDTH = 6;

/** Whether `read` begins with the changes of `early` (it may hold more: they became readable in between). */
const startsWith = (read: readonly ChangeRow[], early: readonly ChangeRow[]) =>
  early.length <= read.length &&
  early.every((c, i) => c.cursor.txid === read[i]!.cursor.txid && c.cursor.id === read[i]!.cursor.id);

/**
 * One batch of the feed. The consumer's transaction holds a transaction id from its first statement (it locks the
 * cursor row), and the feed reads nothing committed after an open transaction began: while it is open every newer
 * change waits. So the batch is first read and mapped outside it, executions side by side, and the transaction only
 * writes the jobs, provided it reads the same changes (otherwise another process moved the cursor, and it maps
 * them itself as before). Mapping early is sound: the changes were committed before their executions were read, and
 * anything stored later comes after them in the feed, so it is mapped again (changes that became readable in
 * between are mapped in the transaction).
 */
async function readBatch(
  options: Pick<WritebackOptions, "db" | "baseUrl">,
  configured: boolean,
): Promise<{ kind: "busy" } | { kind: "read"; count: number; enqueued: number; held: boolean }> {
  const { db } = options;
  let early: { changes: ChangeRow[]; prepared: PreparedReports } | null = null;
  const cursor = configured ? await db.changeConsumer.findUnique({ where: { name: WRITEBACK_CONSUMER } }) : null;
  if (cursor) {
    const peek = await readChanges(db, {
      after: { txid: cursor.cursorTxid, id: cursor.cursorId },
      limit: BATCH,
      origin: "live",
    });
    if (peek.changes.length) {
      const prepared = await prepareReports(db, touchedExecutions(peek.changes), {
        baseUrl: options.baseUrl,
        width: PREPARE_WIDTH,
      });
      early = { changes: peek.changes, prepared };
    }
  }
  let enqueued = 0;
  const read = await consumeChanges(
    db,
    WRITEBACK_CONSUMER,
    async (tx, changes) => {
      if (!configured) return;
      let rest = changes;
      if (early && startsWith(changes, early.changes)) {
        enqueued += await writeReports(tx, early.prepared, new Date());
        rest = changes.slice(early.changes.length);
      }
      if (rest.length) enqueued += await enqueueWriteback(tx, rest, { baseUrl: options.baseUrl });
    },
    // No more than was mapped: changes readable since are the next batch's, mapped early in their turn.
    { limit: early?.changes.length ?? BATCH, origin: "live" },
  );
  return read.kind === "busy" ? read : { kind: "read", count: read.count, enqueued, held: read.held };
}

/** How soon the feed is read again when an open transaction held committed changes back. */
const HELD_RETRY_MS = 50;

/**
 * Reads the feed up to its head (at most 20 batches), turning changes into jobs; how many were queued or updated.
 * `more`: read again at once (batches ran out, or changes were held back by a transaction still open, which may
 * end without a change of its own and so without a signal). `queued` is told after each batch that queued jobs.
 */
export async function readFeed(
  options: Pick<WritebackOptions, "db" | "baseUrl">,
  configured: boolean,
  queued?: () => void,
): Promise<{ enqueued: number; more: boolean }> {
  let enqueued = 0;
  for (let round = 0; round < 20; round++) {
    const read = await readBatch(options, configured);
    if (read.kind === "busy") return { enqueued, more: false };
    enqueued += read.enqueued;
    if (read.enqueued > 0) queued?.();
    if (read.count === 0) {
      if (!read.held) return { enqueued, more: false };
      await new Promise((resolve) => setTimeout(resolve, HELD_RETRY_MS));
      return { enqueued, more: true };
    }
  }
  return { enqueued, more: true };
}

const isConfigured = (options: WritebackOptions) =>
  (options.appConfigured ?? (async () => (await githubApp()) !== null))();

/** One pass, as tests drive it: changes become jobs (the feed read up to its head), then due jobs are sent until none is. */
export async function writebackOnce(
  options: WritebackOptions,
): Promise<{ enqueued: number; attempted: number; drained: boolean }> {
  const { enqueued } = await readFeed(options, await isConfigured(options));
  const attempted = await deliverDue({ db: options.db, logger: options.logger, ...options.deliver });
  return { enqueued, attempted, drained: true };
}

export async function pruneJobs(db: Db, before: Date): Promise<number> {
  return db.$executeRaw`
    DELETE FROM "WritebackJob" WHERE id IN (
      SELECT id FROM "WritebackJob" WHERE state <> 'pending' AND "updatedAt" < ${before}
      LIMIT 1000 FOR UPDATE SKIP LOCKED)`;
}

/**
 * Two loops: one reads the feed whenever it signals (or every tick), the other sends due jobs. Reading never
 * waits for GitHub, so a change is queued within moments even while a backlog is being sent; each read that queued
 * something nudges the sender, which takes the new jobs as soon as it has room.
 */
export function startWriteback(options: WritebackOptions): WakeableLoop {
  const retentionMs = options.retentionMs ?? 30 * 86_400_000;
  let lastPrune = 0;
  let stopping = false;
  const queued = inProcessNudge();
  const sending = startWakeableLoop({
    name: "GitHub write-back",
    logger: options.logger,
    tickMs: options.tickMs ?? 1_000,
    signals: (wake) => queued.on(wake),
    async pass() {
      await deliverDue({
        db: options.db,
        logger: options.logger,
        ...options.deliver,
        nudged: () => queued.next(),
        stopping: () => stopping,
      });
      if (Date.now() - lastPrune > 3_600_000) {
        lastPrune = Date.now();
        await pruneJobs(options.db, new Date(Date.now() - retentionMs));
      }
      return { again: false };
    },
  });
  const reading = startWakeableLoop({
    name: "GitHub write-back feed",
    logger: options.logger,
    tickMs: options.tickMs ?? 1_000,
    signals: options.signals,
    async pass() {
      const { more } = await readFeed(options, await isConfigured(options), () => queued.nudge());
      return { again: more };
    },
  });
  return {
    wake() {
      reading.wake();
      sending.wake();
    },
    async stop() {
      stopping = true;
      await Promise.all([reading.stop(), sending.stop()]);
    },
  };
}

/** Within this process: the feed reader tells the sender that jobs were queued (a wake-up and a promise to race). */
function inProcessNudge() {
  const wakers = new Set<() => void>();
  let waiting: { promise: Promise<void>; resolve: () => void } | null = null;
  return {
    on(wake: () => void) {
      wakers.add(wake);
      return () => wakers.delete(wake);
    },
    next(): Promise<void> {
      if (!waiting) {
        let resolve = () => {};
        const promise = new Promise<void>((r) => (resolve = r));
        waiting = { promise, resolve };
      }
      return waiting.promise;
    },
    nudge() {
      const current = waiting;
      waiting = null;
      current?.resolve();
      for (const wake of wakers) wake();
    },
  };
}
