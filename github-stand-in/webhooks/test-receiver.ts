// A real HTTP receiver for tests: it checks every delivery's signature with @octokit/webhooks (as Stageboard's
// receiver does) and keeps what arrived. Its answer can be changed, or held back until a test lets it go.
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhooks } from "@octokit/webhooks";

export interface Received {
  headers: Record<string, string>;
  body: string;
  payload: Record<string, unknown>;
  event: string;
  guid: string;
  /** What `Webhooks.verify` said of X-Hub-Signature-256 over the raw body. */
  verified: boolean;
}

export interface TestReceiver {
  url: string;
  received: Received[];
  /** The status every delivery is answered with from now on (default 202). */
  answer(status: number): void;
  /** Holds every answer until the returned function is called. */
  hold(): () => void;
  /** Resolves once at least `count` deliveries (optionally of one event) have arrived; fails after `limitMs`. */
  waitFor(count: number, filter?: (r: Received) => boolean, limitMs?: number): Promise<Received[]>;
  stop(): Promise<void>;
}

export async function startReceiver(secret: string): Promise<TestReceiver> {
  const webhooks = new Webhooks({ secret });
  const received: Received[] = [];
  let status = 202;
  let gate: Promise<void> | null = null;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      void (async () => {
        const body = Buffer.concat(chunks).toString("utf8");
        const headers = Object.fromEntries(
          Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(", ") : (v ?? "")]),
        );
        const signature = headers["x-hub-signature-256"] ?? "";
        const verified = signature !== "" && (await webhooks.verify(body, signature).catch(() => false));
        received.push({
          headers,
          body,
          payload: JSON.parse(body) as Record<string, unknown>,
          event: headers["x-github-event"] ?? "",
          guid: headers["x-github-delivery"] ?? "",
          verified,
        });
        if (gate) await gate;
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify({ ok: status < 300 }));
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/github/webhooks`;
  return {
    url,
    received,
    answer: (next) => void (status = next),
    hold: () => {
      let release = () => {};
      gate = new Promise<void>((resolve) => (release = resolve));
      return () => {
        gate = null;
        release();
      };
    },
    waitFor: async (count, filter = () => true, limitMs = 5_000) => {
      const deadline = Date.now() + limitMs;
      while (received.filter(filter).length < count) {
        if (Date.now() > deadline) throw new Error(`only ${received.filter(filter).length} of ${count} deliveries`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      return received.filter(filter);
    },
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
