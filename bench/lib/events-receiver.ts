// The events endpoint as a plain HTTP server (the same handler the Next route uses), for benchmarks that
// let the sandbox deliver EventBridge events over HTTP.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Db } from "@/lib/server/db/client";
import type { Logger } from "@/lib/server/logger";
import { handleCodePipelineEvents } from "@/lib/server/sync/events/handle-events";

export const EVENTS_SECRET = "bench-events-secret-0123456789";
export const EVENTS_HEADER = "x-stageboard-events-secret";

export interface EventsReceiver {
  url: string;
  /** Events received (duplicates included). */
  received: number;
  setTarget(db: Db, now: () => number): void;
  stop(): Promise<void>;
}

export async function startEventsReceiver(logger: Logger): Promise<EventsReceiver> {
  let target: { db: Db; now: () => number } | null = null;
  const state = { received: 0 };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      if (!target) return void res.writeHead(200).end("{}");
      const header = req.headers[EVENTS_HEADER];
      void handleCodePipelineEvents({
        db: target.db,
        logger,
        secret: EVENTS_SECRET,
        presentedSecret: typeof header === "string" ? header : null,
        body,
        now: target.now(),
      })
        .then((r) => {
          const parsed: unknown = JSON.parse(body);
          state.received += Array.isArray(parsed) ? parsed.length : 1;
          res.writeHead(r.status).end(JSON.stringify(r.body));
        })
        .catch(() => res.writeHead(500).end());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return {
    url,
    get received() {
      return state.received;
    },
    setTarget(db, now) {
      target = { db, now };
    },
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
