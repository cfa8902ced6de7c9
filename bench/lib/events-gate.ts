// Where the sandbox delivers its EventBridge events: closed, they are accepted and dropped (an account
// with no EventBridge rule: the app only polls); once opened, each delivery is passed on unchanged to the
// app's own intake route, POST /api/events/codepipeline, and its answer returned to the sandbox, which
// retries what was not accepted. One sandbox and one app can so be measured without events, then with.
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

export interface EventsGate {
  url: string;
  open(target: string): void;
  /** Deliveries dropped while closed, and passed on (accepted by the app or not) once open, with the app's answer times. */
  readonly counts: { dropped: number; forwarded: number; refused: number; answerMs: number[] };
  stop(): Promise<void>;
}

const FORWARDED = ["content-type"];

function forwardedHeaders(headers: IncomingHttpHeaders, secretHeader: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of [...FORWARDED, secretHeader]) {
    const value = headers[name];
    if (typeof value === "string") out[name] = value;
  }
  return out;
}

export async function startEventsGate(secretHeader: string): Promise<EventsGate> {
  let target: string | null = null;
  const counts = { dropped: 0, forwarded: 0, refused: 0, answerMs: [] as number[] };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      if (!target) {
        counts.dropped++;
        return void res.writeHead(200, { "content-type": "application/json" }).end("{}");
      }
      const t0 = performance.now();
      void fetch(target, {
        method: "POST",
        headers: forwardedHeaders(req.headers, secretHeader.toLowerCase()),
        body: Buffer.concat(chunks),
        signal: AbortSignal.timeout(5_000),
      })
        .then(async (response) => {
          counts.forwarded++;
          if (!response.ok) counts.refused++;
          const text = await response.text();
          counts.answerMs.push(performance.now() - t0);
          res.writeHead(response.status, { "content-type": "application/json" }).end(text);
        })
        .catch(() => {
          counts.refused++;
          res.writeHead(502).end();
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    open(url) {
      target = url;
    },
    counts,
    stop: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
