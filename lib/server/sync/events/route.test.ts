import { createServer, request as httpRequest, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { TestDatabase } from "@/lib/server/testing/test-database";

// The Next route over real HTTP, its request built the way Next builds it (the Node request handed to
// `new Request` as a lazily read body), so chunked uploads, early answers and cancelled reads behave
// as in production.
const SECRET = "route-events-secret-0123456789";
const HEADER = "x-stageboard-events-secret";

let database: TestDatabase;
let server: Server;
let port: number;

beforeAll(async () => {
  vi.stubEnv("EVENTS_SECRET", SECRET);
  const { createTestDatabase } = await import("@/lib/server/testing/test-database");
  database = await createTestDatabase();
  // The route's module graph afresh, on this file's database (the app's client is kept on globalThis).
  vi.resetModules();
  (globalThis as { stageboardDb?: unknown }).stageboardDb = database.db;
  const { POST } = await import("@/app/api/events/codepipeline/route");
  server = createServer((req, res) => {
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
    const request = new Request(`http://127.0.0.1${req.url}`, {
      method: req.method,
      headers,
      body: req as unknown as ReadableStream<Uint8Array>,
      duplex: "half",
    } as RequestInit);
    void POST(request).then(async (response) => {
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  await database?.drop();
  vi.unstubAllEnvs();
});

type Answer = { status: number; body: string };

/**
 * Sends the headers, then the body chunk by chunk from `chunks` (which may never end), stopping once
 * the answer is in. `chunks` only runs while the server reads, as a socket's backpressure allows.
 */
function send(headers: Record<string, string>, chunks: () => Iterator<Buffer> | null): Promise<Answer> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = httpRequest(
      { host: "127.0.0.1", port, method: "POST", path: "/api/events/codepipeline", headers },
      (res: IncomingMessage) => {
        answered = true;
        const parts: Buffer[] = [];
        res.on("data", (c: Buffer) => parts.push(c));
        res.on("end", () => {
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts).toString("utf8") });
          req.destroy();
        });
      },
    );
    req.on("error", (err) => {
      if (!answered) reject(err);
    });
    req.flushHeaders();
    const source = chunks();
    if (!source) return;
    const pump = () => {
      while (!answered) {
        const next = source.next();
        if (next.done) return void req.end();
        if (!req.write(next.value)) return void req.once("drain", pump);
      }
    };
    pump();
  });
}

function* forever(size: number): Iterator<Buffer> {
  const chunk = Buffer.alloc(size, 0x20);
  for (;;) yield chunk;
}

const event = (id: string) =>
  JSON.stringify({
    version: "0",
    id,
    "detail-type": "CodePipeline Pipeline Execution State Change",
    source: "aws.codepipeline",
    account: "111122223333",
    region: "us-east-1",
    detail: { pipeline: "web", "execution-id": "exec-1", state: "STARTED" },
  });

describe("POST /api/events/codepipeline over HTTP", () => {
  it("answers 401 to a wrong or missing secret while the body has not even started to arrive", async () => {
    const chunked = { "transfer-encoding": "chunked", "content-type": "application/json" };
    // No chunk is ever sent: an answer can only come from the headers alone.
    expect(await send({ ...chunked, [HEADER]: "wrong-secret-0123456789" }, () => null)).toMatchObject({
      status: 401,
    });
    expect(await send(chunked, () => null)).toMatchObject({ status: 401 });
    // Nor does a body that never ends delay it.
    expect((await send(chunked, () => forever(64 * 1024))).status).toBe(401);
  });

  it("answers 413 to a chunked body that never ends, and to a content-length over the cap before any byte", async () => {
    const endless = await send({ [HEADER]: SECRET, "transfer-encoding": "chunked" }, () => forever(64 * 1024));
    expect(endless).toMatchObject({ status: 413 });
    expect(JSON.parse(endless.body)).toMatchObject({ error: "too_large" });
    const declared = await send({ [HEADER]: SECRET, "content-length": String(10 * 1024 * 1024) }, () => null);
    expect(declared.status).toBe(413);
  });

  it("records a chunked delivery with the right secret", async () => {
    await database.db.target.create({ data: { id: "t1", accountId: "111122223333", region: "us-east-1" } });
    const body = Buffer.from(event("e-http-1"));
    const half = body.length >> 1;
    const answer = await send({ [HEADER]: SECRET, "transfer-encoding": "chunked" }, () =>
      [body.subarray(0, half), body.subarray(half)][Symbol.iterator](),
    );
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ accepted: 1, unknown: 1 });
    expect(await database.db.processedEvent.count({ where: { id: "e-http-1" } })).toBe(1);
    // A malformed body is a 4xx with a reason, never a 5xx.
    const bad = await send({ [HEADER]: SECRET, "content-type": "application/json" }, () =>
      [Buffer.from("{not json")][Symbol.iterator](),
    );
    expect(bad.status).toBe(400);
  });
});
