// A minimal server-sent events client for GET /api/stream: records when each `change` event arrives, by
// its id ("<txid>-<id>", the feed cursor), and reconnects with Last-Event-ID when the stream ends.
export interface SseClient {
  /** Arrival time (Date.now()) per change row id. */
  readonly arrivals: Map<bigint, number>;
  stop(): void;
}

export function openSseClient(url: string, cookie: string): SseClient {
  const arrivals = new Map<bigint, number>();
  const abort = new AbortController();
  let lastEventId: string | null = null;
  const run = async () => {
    while (!abort.signal.aborted) {
      try {
        const res = await fetch(url, {
          headers: { cookie, accept: "text/event-stream", ...(lastEventId ? { "last-event-id": lastEventId } : {}) },
          signal: abort.signal,
        });
        if (!res.ok || !res.body) throw new Error(`GET /api/stream answered ${res.status}`);
        const decoder = new TextDecoder();
        let buffer = "";
        const reader = res.body.getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          const at = Date.now();
          buffer += decoder.decode(value, { stream: true });
          let end: number;
          while ((end = buffer.indexOf("\n\n")) >= 0) {
            const frame = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const fields = new Map(
              frame.split("\n").flatMap((line) => {
                const colon = line.indexOf(":");
                return colon > 0 ? [[line.slice(0, colon), line.slice(colon + 1).trim()] as const] : [];
              }),
            );
            const id = fields.get("id");
            if (id) lastEventId = id;
            const rowId = id?.split("-")[1];
            if (fields.get("event") === "change" && rowId && !arrivals.has(BigInt(rowId)))
              arrivals.set(BigInt(rowId), at);
          }
        }
      } catch (error) {
        if (abort.signal.aborted) return;
        console.error("sse client:", error instanceof Error ? error.message : error);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  void run();
  return { arrivals, stop: () => abort.abort() };
}
