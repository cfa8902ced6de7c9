// At-least-once delivery to an HTTP endpoint (as an EventBridge API destination would call it): failed POSTs
// are retried, and on request some events are sent twice or out of order so consumers prove they cope.
import type { PipelineEvent } from "./event-shape";

export interface EventDeliveryOptions {
  url: string;
  headerName?: string;
  secret?: string;
  /** 1 = one event per POST (the default); more = JSON arrays of up to this many events. */
  batchSize?: number;
  /** Share of events (0..1) delivered a second time. */
  duplicateRate?: number;
  /** Deliver each batch in reverse order. */
  reorder?: boolean;
  flushMs?: number;
}

export class EventDelivery {
  private queue: PipelineEvent[] = [];
  private timer: NodeJS.Timeout;
  private sending: Promise<void> | null = null;
  private random = 0.5;
  delivered = 0;
  failedPosts = 0;

  constructor(private readonly options: EventDeliveryOptions) {
    this.timer = setInterval(() => void this.flush(), options.flushMs ?? 100);
    this.timer.unref();
  }

  push(event: PipelineEvent): void {
    this.queue.push(event);
    // A cheap deterministic sequence; duplicates only need to be spread, not unpredictable.
    this.random = (this.random * 9301 + 0.49297) % 1;
    if (this.random < (this.options.duplicateRate ?? 0)) this.queue.push(event);
  }

  get pending(): number {
    return this.queue.length;
  }

  /** Sends what is queued; a flush already under way is joined rather than run twice. */
  flush(): Promise<void> {
    this.sending ??= this.send().finally(() => (this.sending = null));
    return this.sending;
  }

  private async send(): Promise<void> {
    const size = Math.max(1, this.options.batchSize ?? 1);
    while (this.queue.length > 0) {
      const batch = this.queue.slice(0, size);
      if (this.options.reorder) batch.reverse();
      const body = size === 1 ? JSON.stringify(batch[0]) : JSON.stringify(batch);
      const headers: Record<string, string> = { "content-type": "application/json" };
      if (this.options.headerName && this.options.secret !== undefined)
        headers[this.options.headerName] = this.options.secret;
      let ok = false;
      try {
        const res = await fetch(this.options.url, {
          method: "POST",
          headers,
          body,
          signal: AbortSignal.timeout(5_000),
        });
        ok = res.ok;
        await res.arrayBuffer();
      } catch {
        ok = false;
      }
      if (!ok) {
        this.failedPosts++;
        return; // keep the batch queued; the next tick retries it
      }
      this.queue.splice(0, batch.length);
      this.delivered += batch.length;
    }
  }

  /** Stops the timer and delivers what is left: the flush under way first, then anything queued since. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
    await this.flush();
  }
}
