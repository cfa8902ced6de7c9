import "server-only";
import pg from "pg";
import { env } from "@/lib/env";
import { logger as appLogger, type Logger } from "@/lib/server/logger";

/** The channel the change feed's triggers notify (migration change_feed). */
export const FEED_CHANNEL = "stageboard_changes";

/**
 * `payload` is the notification's text; polling ticks and the catch-up after a reconnect carry none,
 * so a subscriber that needs a payload (a session id) must also re-check on a signal without one.
 */
export type FeedSignalCallback = (payload?: string) => void;

export type FeedListenerOptions = {
  connectionString: string | undefined;
  /** false: never LISTEN, only poll (PgBouncer transaction pooling, RDS Proxy). */
  listen: boolean;
  pollMs: number;
  logger?: Pick<Logger, "info" | "warn" | "error">;
  /** Reconnect delays grow from this to maxBackoffMs, with full jitter. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  random?: () => number;
};

export type ListenerState = "stopped" | "polling" | "connecting" | "listening";

/** Names the connection in pg_stat_activity. */
export const LISTENER_APPLICATION_NAME = "stageboard-feed-listener";

const CHANNEL = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * One LISTEN connection for the whole process, shared by every subscriber (live streams, the feed tail,
 * session ends). It never throws into the process: a connection that fails or drops is logged, replaced
 * with jittered backoff, and meanwhile (and after it returns, once) every channel is signalled on the
 * polling interval, so readers catch up on what the gap hid.
 */
export class FeedListener {
  private readonly subscribers = new Map<string, Set<FeedSignalCallback>>();
  private readonly log: Pick<Logger, "info" | "warn" | "error">;
  private client: pg.Client | null = null;
  private pollTimer: ReturnType<typeof setInterval> | null = null;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private failures = 0;
  private running = false;
  private connecting = false;
  private stateValue: ListenerState = "stopped";

  constructor(private readonly options: FeedListenerOptions) {
    this.log = options.logger ?? appLogger;
  }

  get state(): ListenerState {
    return this.stateValue;
  }

  on(channel: string, callback: FeedSignalCallback): () => void {
    if (!CHANNEL.test(channel)) throw new Error(`not a channel name: ${JSON.stringify(channel)}`);
    let set = this.subscribers.get(channel);
    if (!set) {
      set = new Set();
      this.subscribers.set(channel, set);
      if (this.client && this.stateValue === "listening") void this.command(`LISTEN "${channel}"`);
    }
    set.add(callback);
    this.start();
    return () => {
      const current = this.subscribers.get(channel);
      if (!current?.delete(callback) || current.size > 0) return;
      this.subscribers.delete(channel);
      if (this.client && this.stateValue === "listening") void this.command(`UNLISTEN "${channel}"`);
      if (this.subscribers.size === 0) void this.stop();
    };
  }

  /** Closes the connection and timers; the next subscriber starts it again. */
  async stop(): Promise<void> {
    this.running = false;
    this.stateValue = "stopped";
    this.stopPolling();
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private start(): void {
    if (this.running) return;
    this.running = true;
    this.failures = 0;
    if (!this.options.listen || !this.options.connectionString) {
      this.stateValue = "polling";
      this.startPolling();
      return;
    }
    // Until the first connection listens, readers are woken by the clock.
    this.startPolling();
    void this.connect();
  }

  private async connect(): Promise<void> {
    if (!this.running || this.connecting || !this.options.connectionString) return;
    this.connecting = true;
    this.stateValue = "connecting";
    const client = new pg.Client({
      connectionString: this.options.connectionString,
      keepAlive: true,
      application_name: LISTENER_APPLICATION_NAME,
      connectionTimeoutMillis: 10_000,
    });
    // Registered before connect: an error event without a listener would crash the process.
    client.on("error", (error) => this.lost(client, error));
    client.on("end", () => this.lost(client, null));
    client.on("notification", (message) => this.emit(message.channel, message.payload ?? undefined));
    try {
      await client.connect();
      const listened = new Set<string>();
      // Channels subscribed while these LISTENs run are picked up by the next pass.
      while ([...this.subscribers.keys()].some((channel) => !listened.has(channel))) {
        for (const channel of [...this.subscribers.keys()].filter((c) => !listened.has(c))) {
          await client.query(`LISTEN "${channel}"`);
          listened.add(channel);
        }
      }
      if (!this.running) {
        await client.end().catch(() => undefined);
        return;
      }
      this.client = client;
      this.stateValue = "listening";
      if (this.failures > 0) this.log.info("change feed listener reconnected");
      this.failures = 0;
      this.stopPolling();
      // Whatever was notified while nobody listened is found by one read.
      this.emitAll();
    } catch (error) {
      client.removeAllListeners("end");
      await client.end().catch(() => undefined);
      this.lost(client, error);
    } finally {
      this.connecting = false;
    }
  }

  private lost(client: pg.Client, error: unknown): void {
    if (this.client && this.client !== client) return;
    const wasListening = this.client === client;
    this.client = null;
    if (!this.running) return;
    if (this.reconnectTimer) return;
    this.failures++;
    if (wasListening || this.failures === 1) {
      this.log.warn({ err: error ?? undefined }, "change feed listener lost its connection; polling until it is back");
    }
    this.stateValue = "polling";
    this.startPolling();
    const min = this.options.minBackoffMs ?? 250;
    const max = this.options.maxBackoffMs ?? 30_000;
    const ceiling = Math.min(max, min * 2 ** Math.min(this.failures - 1, 20));
    const delay = min + (this.options.random ?? Math.random)() * (ceiling - min);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      void this.connect();
    }, delay);
    this.reconnectTimer.unref?.();
  }

  private async command(sql: string): Promise<void> {
    try {
      await this.client?.query(sql);
    } catch (error) {
      // The connection is failing; its error handler reconnects, and a reconnect listens to every channel.
      this.log.warn({ err: error }, "change feed listener command failed");
    }
  }

  private startPolling(): void {
    if (this.pollTimer) return;
    this.pollTimer = setInterval(() => this.emitAll(), this.options.pollMs);
    this.pollTimer.unref?.();
  }

  private stopPolling(): void {
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.pollTimer = null;
  }

  private emitAll(): void {
    for (const channel of [...this.subscribers.keys()]) this.emit(channel, undefined);
  }

  private emit(channel: string, payload: string | undefined): void {
    for (const callback of [...(this.subscribers.get(channel) ?? [])]) {
      try {
        callback(payload);
      } catch (error) {
        this.log.error({ err: error, channel }, "change feed subscriber failed");
      }
    }
  }
}

const global = globalThis as typeof globalThis & { stageboardFeedListener?: FeedListener };

/** This process's listener, from the app's DATABASE_URL and CHANGE_FEED_* settings (kept across dev reloads). */
export function feedListener(): FeedListener {
  global.stageboardFeedListener ??= new FeedListener({
    connectionString: env.DATABASE_URL,
    listen: env.CHANGE_FEED_LISTEN,
    pollMs: env.CHANGE_FEED_POLL_MS,
  });
  return global.stageboardFeedListener;
}

/** Calls `callback` on every notification on `channel` (or polling tick); returns the unsubscribe. */
export function onFeedSignal(channel: string, callback: FeedSignalCallback): () => void {
  return feedListener().on(channel, callback);
}
