import "server-only";
import { compareCursors, formatCursor, parseCursor } from "@/lib/server/feed/cursor";
import {
  sseComment,
  sseEvent,
  sseRetry,
  toLiveEvent,
  type LiveChange,
  type LiveCursor,
} from "@/lib/server/live/live-event";

// Every open live stream of this process, fed by one subscription to the change feed: a stream holds no
// database connection of its own. Each stream carries the ids of the pipelines its viewer may see in its
// scope, and receives only changes to those. The ids are read again every minute, and at once (before
// the change is delivered) when a change names a pipeline this process has not seen yet, so a new
// pipeline reaches its readers and nobody else. A stream ends with its session: at its expiry, when a
// session row is deleted (sign-out, sign-out everywhere; the database says so on stageboard_session_end),
// or when a refresh finds the session gone.

/** What a stream may see, as of one read; null when its session has ended. */
export type StreamAccess = { visible: ReadonlySet<string>; endsAt: number };

export type LiveStreamInput = {
  tokenHash: string;
  /** Reads the stream's access again (session and visibility): the registry calls it, never per event. */
  loadAccess(): Promise<StreamAccess | null>;
  access: StreamAccess;
  /** Where the stream starts: the client's Last-Event-ID, or headEventId() read as it was asked for. */
  resumeAfter: string;
  write(chunk: string): void;
  /** Ends the HTTP response; the registry has already forgotten the stream. */
  end(): void;
};

export type LiveFeed = {
  subscribe(callback: (changes: LiveChange[]) => void): () => void;
  /** A session ended: its token hash, or none (a polling tick, a reconnect) when any may have. */
  onSessionEnd(callback: (tokenHash: string | undefined) => void): () => void;
  /** Which of these sessions (token hashes) still exist. */
  liveSessions(tokenHashes: string[]): Promise<ReadonlySet<string>>;
  /** Changes after `after` among `pipelineIds`, at most `limit`, in feed order, and where to read on from. */
  readAfter(input: {
    after: LiveCursor;
    limit: number;
    pipelineIds: string[];
  }): Promise<{ changes: LiveChange[]; cursor: LiveCursor | null }>;
  /** How far the subscription has delivered; null before its first read. */
  position(): LiveCursor | null;
  /** The cursor a new reader starts from: past everything readable now. */
  head(): Promise<LiveCursor>;
  /** The latest change pruning has deleted; null when it has deleted none. */
  prunedThrough(): Promise<LiveCursor | null>;
  /** Every pipeline id that exists, to tell a new pipeline from one a stream may not see. */
  pipelineIds(): Promise<ReadonlySet<string>>;
};

export type LiveSettings = {
  heartbeatMs: number;
  refreshMs: number;
  /** A resume with more missed changes than this gets `reset` instead (the client refetches everything). */
  catchUpLimit: number;
  retryMs: number;
};

export const LIVE_SETTINGS: LiveSettings = {
  heartbeatMs: 15_000,
  refreshMs: 60_000,
  catchUpLimit: 500,
  retryMs: 3_000,
};

/** Streams whose access is read again at the same time (each read is three short queries). */
const REFRESH_CONCURRENCY = 3;

// setTimeout's longest delay; a later expiry is checked again when this one fires.
const MAX_TIMER_MS = 2_147_000_000;

type Stream = LiveStreamInput & {
  id: number;
  cursor: LiveCursor | null;
  queue: Promise<void>;
  expiry: ReturnType<typeof setTimeout> | null;
  closed: boolean;
};

export type EndReason = "session-ended" | "shutdown";

export class LiveRegistry {
  private readonly streams = new Map<number, Stream>();
  private nextId = 1;
  private unsubscribe: (() => void)[] = [];
  private heartbeat: ReturnType<typeof setInterval> | null = null;
  private refresher: ReturnType<typeof setInterval> | null = null;
  private known: ReadonlySet<string> = new Set();
  private refreshing: Promise<void> | null = null;

  constructor(
    private readonly feed: LiveFeed,
    private readonly settings: LiveSettings = LIVE_SETTINGS,
    private readonly clock: () => number = Date.now,
  ) {}

  get size(): number {
    return this.streams.size;
  }

  /** Registers a stream and starts it: catch-up (or reset) first, then live changes, in feed order. */
  open(input: LiveStreamInput): { close(): void } {
    if (this.streams.size === 0) this.start();
    const stream: Stream = {
      ...input,
      id: this.nextId++,
      cursor: null,
      queue: Promise.resolve(),
      expiry: null,
      closed: false,
    };
    this.streams.set(stream.id, stream);
    stream.write(sseRetry(this.settings.retryMs));
    this.scheduleExpiry(stream);
    // Registered before catching up, so nothing committed meanwhile is missed; what both deliver is
    // sent once, as delivery skips what is not after the stream's cursor.
    this.enqueue(stream, () => this.catchUp(stream));
    return { close: () => this.forget(stream) };
  }

  /**
   * "Now", for a stream that gives no Last-Event-ID: read before its response is answered, so a change
   * stored after that reaches it even while the subscription is still starting.
   */
  async headEventId(): Promise<string> {
    return formatCursor(await this.feed.head());
  }

  /** Closes every stream (process shutdown); clients reconnect elsewhere. */
  closeAll(): void {
    for (const stream of [...this.streams.values()]) this.end(stream, "shutdown");
  }

  private start(): void {
    this.unsubscribe = [
      this.feed.subscribe((changes) => this.fanOut(changes)),
      this.feed.onSessionEnd((tokenHash) => {
        if (tokenHash === undefined) return void this.checkSessions();
        for (const stream of this.streams.values())
          if (stream.tokenHash === tokenHash) this.end(stream, "session-ended");
      }),
    ];
    this.heartbeat = setInterval(() => {
      for (const stream of this.streams.values()) stream.write(sseComment("heartbeat"));
    }, this.settings.heartbeatMs);
    this.refresher = setInterval(() => void this.refreshAll(), this.settings.refreshMs);
    // Timers must not keep a process alive that is otherwise done.
    this.heartbeat.unref?.();
    this.refresher.unref?.();
    void this.refreshAll();
  }

  private stop(): void {
    for (const off of this.unsubscribe) off();
    this.unsubscribe = [];
    if (this.heartbeat) clearInterval(this.heartbeat);
    if (this.refresher) clearInterval(this.refresher);
    this.heartbeat = this.refresher = null;
  }

  private enqueue(stream: Stream, work: () => Promise<void> | void): void {
    stream.queue = stream.queue
      .then(async () => {
        if (!stream.closed) await work();
      })
      .catch(() => {
        // A stream that cannot be served (its database read failed) ends; the client reconnects and resumes.
        this.end(stream, "shutdown");
      });
  }

  private fanOut(changes: LiveChange[]): void {
    if (changes.length === 0) return;
    const unknown = changes.some((change) => !this.known.has(change.pipelineId));
    const gate = unknown ? this.refreshAll() : null;
    for (const stream of this.streams.values()) {
      this.enqueue(stream, async () => {
        if (gate) await gate;
        this.deliver(stream, changes);
      });
    }
  }

  private deliver(stream: Stream, changes: LiveChange[]): void {
    let chunk = "";
    for (const change of changes) {
      if (stream.cursor && compareCursors(change, stream.cursor) <= 0) continue;
      if (!stream.access.visible.has(change.pipelineId)) continue;
      const data = toLiveEvent(change);
      stream.cursor = { txid: change.txid, id: change.id };
      if (data) chunk += sseEvent({ id: formatCursor(stream.cursor), event: "change", data });
    }
    if (chunk) stream.write(chunk);
  }

  private async catchUp(stream: Stream): Promise<void> {
    const after = parseCursor(stream.resumeAfter);
    const head = await this.feed.head();
    // A cursor past the head was not handed out by this database (or is not a cursor at all).
    if (after === null || compareCursors(after, head) > 0) return this.reset(stream, head);
    // From before the latest pruned change (a laptop asleep past the retention period): changes it missed
    // may be gone, so replaying what is left could skip some.
    const pruned = await this.feed.prunedThrough();
    if (pruned && compareCursors(after, pruned) < 0) return this.reset(stream, head);
    // Read until the subscription's position: what it delivered before this stream registered is
    // replayed here, what it delivers from now on waits behind this in the stream's queue.
    let cursor: LiveCursor = after;
    const missed: LiveChange[] = [];
    for (;;) {
      const position = await this.tailPosition();
      if (compareCursors(cursor, position) >= 0) break;
      const page = await this.feed.readAfter({
        after: cursor,
        limit: this.settings.catchUpLimit + 1 - missed.length,
        pipelineIds: [...stream.access.visible],
      });
      missed.push(...page.changes);
      // Too far behind to replay: the page refetches everything it shows, and the stream goes on from here.
      if (missed.length > this.settings.catchUpLimit) return this.reset(stream, head);
      if (!page.cursor || compareCursors(page.cursor, cursor) <= 0) break;
      cursor = page.cursor;
    }
    this.deliver(stream, missed);
    // Past the rows it skipped too (other pipelines'), so the subscription's copies of them are not re-read.
    if (!stream.cursor || compareCursors(cursor, stream.cursor) > 0) stream.cursor = cursor;
  }

  private reset(stream: Stream, head: LiveCursor): void {
    stream.cursor = head;
    stream.write(sseEvent({ id: formatCursor(head), event: "reset", data: {} }));
  }

  /** The subscription's position, once it has one (its first read happens as the first stream opens). */
  private async tailPosition(): Promise<LiveCursor> {
    for (let wait = 5, waited = 0; waited < 10_000; waited += wait, wait = Math.min(wait * 2, 200)) {
      const position = this.feed.position();
      if (position) return position;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
    throw new Error("the change feed subscription has not read yet");
  }

  /** A session-end signal without a payload: the streams whose session row is gone end. */
  private async checkSessions(): Promise<void> {
    // Only the streams asked about: one that opens while the query runs has a session that exists.
    const asked = [...this.streams.values()];
    if (asked.length === 0) return;
    const alive = await this.feed.liveSessions([...new Set(asked.map((stream) => stream.tokenHash))]).catch(() => null);
    if (!alive) return;
    for (const stream of asked) if (!alive.has(stream.tokenHash)) this.end(stream, "session-ended");
  }

  /** Reads every stream's access again (one refresh at a time; callers share the one in flight). */
  private refreshAll(): Promise<void> {
    this.refreshing ??= (async () => {
      try {
        this.known = await this.feed.pipelineIds();
        // A few at a time: every stream's reads at once would queue the pages' requests behind them.
        const queue = [...this.streams.values()];
        const worker = async () => {
          for (let stream = queue.shift(); stream; stream = queue.shift()) await this.refreshStream(stream);
        };
        await Promise.all(Array.from({ length: REFRESH_CONCURRENCY }, worker));
      } finally {
        this.refreshing = null;
      }
    })().catch(() => undefined);
    return this.refreshing;
  }

  private async refreshStream(stream: Stream): Promise<void> {
    const access = await stream.loadAccess().catch(() => stream.access);
    if (stream.closed) return;
    if (access === null) return this.end(stream, "session-ended");
    stream.access = access;
    this.scheduleExpiry(stream);
  }

  private scheduleExpiry(stream: Stream): void {
    if (stream.expiry) clearTimeout(stream.expiry);
    const delay = Math.max(0, stream.access.endsAt - this.clock());
    stream.expiry = setTimeout(
      () => {
        if (this.clock() < stream.access.endsAt) return this.scheduleExpiry(stream);
        // The session may have been extended by another request meanwhile: ask before ending.
        void this.refreshStream(stream).then(() => {
          if (!stream.closed && this.clock() >= stream.access.endsAt) this.end(stream, "session-ended");
        });
      },
      Math.min(delay, MAX_TIMER_MS),
    );
    stream.expiry.unref?.();
  }

  private end(stream: Stream, reason: EndReason): void {
    if (stream.closed) return;
    // A client told its session ended stops reconnecting; after a shutdown it reconnects and resumes.
    if (reason === "session-ended") stream.write(sseEvent({ event: "end", data: { reason } }));
    this.forget(stream);
    stream.end();
  }

  private forget(stream: Stream): void {
    if (stream.closed) return;
    stream.closed = true;
    if (stream.expiry) clearTimeout(stream.expiry);
    this.streams.delete(stream.id);
    if (this.streams.size === 0) this.stop();
  }
}
