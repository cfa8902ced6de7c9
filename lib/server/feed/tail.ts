import "server-only";
import { db as appDb, type Db } from "@/lib/server/db/client";
import type { FeedCursor } from "@/lib/server/feed/cursor";
import { FEED_CHANNEL, onFeedSignal, type FeedSignalCallback } from "@/lib/server/feed/listener";
import { headCursor, readChanges, type ChangeRow } from "@/lib/server/feed/read-changes";
import { logger as appLogger, type Logger } from "@/lib/server/logger";

export type FeedSubscriber = (changes: ChangeRow[]) => void;

export type FeedTailOptions = {
  db: Pick<Db, "$queryRaw">;
  /** Subscribes to wake-ups (the listener's feed channel); returns the unsubscribe. */
  signals: (callback: FeedSignalCallback) => () => void;
  /** Rows per read; a full page is followed by another read at once. */
  batchSize?: number;
  /**
   * First delay before reading again when committed rows wait behind an older open transaction, which may
   * end without notifying; doubles up to maxHeldRetryMs.
   */
  heldRetryMs?: number;
  maxHeldRetryMs?: number;
  logger?: Pick<Logger, "warn" | "info">;
};

/**
 * Reads the feed once per signal for every subscriber in the process: one in-memory cursor, one query per
 * wake-up however many streams are open, and no connection held between reads. It starts at the head
 * when the first subscriber arrives (a subscriber that needs older rows catches up with readChanges and
 * an explicit cursor) and forgets its cursor when the last one leaves.
 */
export class FeedTail {
  private readonly subscribers = new Set<FeedSubscriber>();
  private readonly log: Pick<Logger, "warn" | "info">;
  private cursor: FeedCursor | null = null;
  private unsubscribeSignals: (() => void) | null = null;
  /** Bumped on every start and stop, so a read that outlives its run delivers nothing. */
  private generation = 0;
  private reading = false;
  private pending = false;
  private heldDelay = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private failing = false;

  constructor(private readonly options: FeedTailOptions) {
    this.log = options.logger ?? appLogger;
  }

  /** The position up to which subscribers have been given every change; null while nobody subscribes. */
  get position(): FeedCursor | null {
    return this.cursor;
  }

  subscribe(callback: FeedSubscriber): () => void {
    this.subscribers.add(callback);
    if (this.subscribers.size === 1 && !this.unsubscribeSignals) this.start();
    return () => {
      if (this.subscribers.delete(callback) && this.subscribers.size === 0) this.stop();
    };
  }

  /** Reads now, or right after the read in progress (signals during a read fold into one more read). */
  wake(): void {
    this.pending = true;
    if (!this.reading) void this.drain(this.generation);
  }

  private start(): void {
    this.generation++;
    this.cursor = null;
    this.unsubscribeSignals = this.options.signals(() => this.wake());
    this.wake();
  }

  private stop(): void {
    this.generation++;
    this.unsubscribeSignals?.();
    this.unsubscribeSignals = null;
    this.cursor = null;
    this.pending = false;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  private async drain(generation: number): Promise<void> {
    this.reading = true;
    try {
      while (this.pending && generation === this.generation) {
        this.pending = false;
        await this.readOnce(generation);
      }
    } finally {
      this.reading = false;
    }
    // A stop and a new start while this read ran: the new run's first read was folded in here.
    if (this.pending && generation !== this.generation) void this.drain(this.generation);
  }

  private async readOnce(generation: number): Promise<void> {
    const { db } = this.options;
    const limit = this.options.batchSize ?? 500;
    try {
      this.cursor ??= await headCursor(db);
      if (generation !== this.generation) return;
      const result = await readChanges(db, { after: this.cursor, limit });
      if (generation !== this.generation) return;
      this.cursor = result.cursor;
      if (this.failing) this.log.info("change feed tail reads again");
      this.failing = false;
      if (result.changes.length === limit) this.pending = true;
      if (result.changes.length) {
        // Progress: a transaction that was holding rows back ended, so the next wait starts short again.
        this.heldDelay = 0;
        this.fanOut(result.changes);
      }
      this.scheduleHeld(result.held && result.changes.length < limit);
    } catch (error) {
      // Tried again shortly (and on the next signal); logged once per outage.
      if (!this.failing) this.log.warn({ err: error }, "change feed tail read failed; retrying");
      this.failing = true;
      if (!this.retryTimer && generation === this.generation) {
        this.retryTimer = setTimeout(() => {
          this.retryTimer = null;
          this.wake();
        }, 500);
        this.retryTimer.unref?.();
      }
    }
  }

  private scheduleHeld(held: boolean): void {
    if (!held) {
      this.heldDelay = 0;
      return;
    }
    if (this.retryTimer) return;
    const first = this.options.heldRetryMs ?? 10;
    this.heldDelay = Math.min(this.options.maxHeldRetryMs ?? 100, this.heldDelay ? this.heldDelay * 2 : first);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.wake();
    }, this.heldDelay);
    this.retryTimer.unref?.();
  }

  private fanOut(changes: ChangeRow[]): void {
    for (const subscriber of [...this.subscribers]) {
      try {
        subscriber(changes);
      } catch (error) {
        this.log.warn({ err: error }, "change feed subscriber failed");
      }
    }
  }
}

const global = globalThis as typeof globalThis & { stageboardFeedTail?: FeedTail };

function feedTail(): FeedTail {
  global.stageboardFeedTail ??= new FeedTail({
    db: appDb,
    signals: (callback) => onFeedSignal(FEED_CHANNEL, callback),
  });
  return global.stageboardFeedTail;
}

/** Every change stored from now on, in (txid, id) order, in batches; returns the unsubscribe. */
export function subscribeToFeed(callback: FeedSubscriber): () => void {
  return feedTail().subscribe(callback);
}

/** How far the process-wide tail has delivered (null before its first read), for handing over from a catch-up. */
export function feedTailPosition(): FeedCursor | null {
  return feedTail().position;
}
