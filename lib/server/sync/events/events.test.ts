import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { syncOnce } from "../run/engine";
import { createFixture, TEST_SETTINGS, type Fixture } from "../testing/fixture";
import { handleCodePipelineEvents, MAX_EVENT_BODY_BYTES } from "./handle-events";

const SECRET = "events-secret-0123456789";
const HEADER = "x-stageboard-events-secret";

function event(id: string, pipeline: string, state = "STARTED", over: Record<string, unknown> = {}) {
  return {
    version: "0",
    id,
    "detail-type": "CodePipeline Pipeline Execution State Change",
    source: "aws.codepipeline",
    account: "111122223333",
    time: "2026-11-26T10:00:00Z",
    region: "us-east-1",
    resources: [`arn:aws:codepipeline:us-east-1:111122223333:${pipeline}`],
    detail: { pipeline, "execution-id": "12345678-1234-5678-abcd-12345678abcd", state, version: 1 },
    ...over,
  };
}

/** A body whose reads are counted; `stall` never delivers a byte, otherwise it yields `chunk` forever. */
function countedBody(chunk: Uint8Array | "stall") {
  const seen = { pulls: 0, bytes: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        seen.pulls++;
        if (chunk === "stall") return new Promise<void>(() => {});
        seen.bytes += chunk.byteLength;
        controller.enqueue(chunk);
      },
      cancel() {
        seen.cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, seen };
}

function bodyOf(text: string) {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      // Split in two chunks so the reader has to put the body back together.
      const bytes = new TextEncoder().encode(text);
      controller.enqueue(bytes.slice(0, bytes.length >> 1));
      controller.enqueue(bytes.slice(bytes.length >> 1));
      controller.close();
    },
  });
}

describe("CodePipeline events", () => {
  let f: Fixture;
  let server: Server;
  let url: string;
  const post = (body: unknown, secret: string | null = SECRET, declaredLength: string | null = null) =>
    handleCodePipelineEvents({
      db: f.database.db,
      logger: f.logger,
      secret: SECRET,
      presentedSecret: secret,
      body: typeof body === "string" || body instanceof ReadableStream ? body : JSON.stringify(body),
      declaredLength,
      now: f.now(),
    });

  beforeAll(async () => {
    // The sandbox delivers to a real HTTP endpoint wrapping the same handler as the Next route.
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        // Events from the sandbox's warm-up arrive before the database exists: nothing to apply them to yet.
        if (!f) return void res.writeHead(200).end("{}");
        const header = req.headers[HEADER];
        void post(Buffer.concat(chunks).toString("utf8"), typeof header === "string" ? header : null).then((r) =>
          res.writeHead(r.status).end(JSON.stringify(r.body)),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    f = await createFixture({
      pipelines: 4,
      historyDays: 1,
      events: { url, headerName: HEADER, secret: SECRET, batchSize: 4, duplicateRate: 0.5, reorder: true, flushMs: 20 },
    });
    await f.drain();
  });
  afterAll(async () => {
    await f?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  it("answers 404 when no secret is configured, 401 without the right secret, with no effect", async () => {
    const none = await handleCodePipelineEvents({
      db: f.database.db,
      logger: f.logger,
      secret: undefined,
      presentedSecret: SECRET,
      body: "{}",
      now: f.now(),
    });
    expect(none.status).toBe(404);
    expect((await post(event("e-unauth", "web-app-prod"), null)).status).toBe(401);
    expect((await post(event("e-unauth", "web-app-prod"), `${SECRET}x`)).status).toBe(401);
    expect(await f.database.db.processedEvent.count({ where: { id: "e-unauth" } })).toBe(0);
  });

  it("answers 401 without reading a byte of the body, even one that never arrives", async () => {
    const { stream, seen } = countedBody("stall");
    const res = await handleCodePipelineEvents({
      db: f.database.db,
      logger: f.logger,
      secret: SECRET,
      presentedSecret: "wrong-secret-0123456789",
      body: stream,
      declaredLength: null,
      now: f.now(),
    });
    expect(res.status).toBe(401);
    expect(seen.pulls).toBe(0);
    const none = await handleCodePipelineEvents({
      db: f.database.db,
      logger: f.logger,
      secret: SECRET,
      presentedSecret: null,
      body: countedBody("stall").stream,
      now: f.now(),
    });
    expect(none.status).toBe(401);
  });

  it("answers 413 past the cap on a chunked body (no content-length) or a lying one, and stops reading", async () => {
    for (const declaredLength of [null, "100"]) {
      const { stream, seen } = countedBody(new Uint8Array(64 * 1024).fill(0x20));
      const res = await post(stream, SECRET, declaredLength);
      expect(res.status).toBe(413);
      expect(seen.cancelled).toBe(true);
      expect(seen.bytes).toBeLessThanOrEqual(MAX_EVENT_BODY_BYTES + 64 * 1024);
    }
    // A declared length over the cap is refused before anything is read.
    const { stream, seen } = countedBody(new Uint8Array(1024));
    expect((await post(stream, SECRET, String(MAX_EVENT_BODY_BYTES + 1))).status).toBe(413);
    expect(seen.pulls).toBe(0);
    expect(seen.cancelled).toBe(true);
  });

  it("reads a streamed body within the cap; refuses one that is not UTF-8 (400)", async () => {
    const res = await post(bodyOf(JSON.stringify(event("e-stream", "web-app-prod"))));
    expect(res).toMatchObject({ status: 200, body: { accepted: 1 } });
    const invalid = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]));
        controller.close();
      },
    });
    expect((await post(invalid)).status).toBe(400);
  });

  it("records an event only with the sync it asks for: a failure in between records neither, and the redelivery is processed", async () => {
    // The transaction's last write (the target's lastEventAt) fails once, after the event id and the
    // sync request were written.
    await f.database.db.$executeRawUnsafe(`
      CREATE FUNCTION fail_event_write() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'injected failure'; END $$`);
    await f.database.db.$executeRawUnsafe(
      `CREATE TRIGGER fail_event_write BEFORE UPDATE OF "lastEventAt" ON "Target" FOR EACH ROW EXECUTE FUNCTION fail_event_write()`,
    );
    await f.database.db.pipelineSync.updateMany({
      where: { pipeline: { name: "legacy-batch-jobs" } },
      data: { requestedAt: null, nextSyncAt: new Date(f.now() + 3_600_000) },
    });
    const delivery = event("e-retried", "legacy-batch-jobs");
    try {
      const failed = await post(delivery);
      expect(failed).toMatchObject({ status: 503, body: { error: "unavailable" } });
      expect(JSON.stringify(failed.body)).not.toContain("injected");
    } finally {
      await f.database.db.$executeRawUnsafe(`DROP TRIGGER fail_event_write ON "Target"`);
      await f.database.db.$executeRawUnsafe(`DROP FUNCTION fail_event_write()`);
    }
    expect(await f.database.db.processedEvent.count({ where: { id: "e-retried" } })).toBe(0);
    const untouched = await f.database.db.pipelineSync.findFirstOrThrow({
      where: { pipeline: { name: "legacy-batch-jobs" } },
    });
    expect(untouched.requestedAt).toBeNull();

    const redelivered = await post(delivery);
    expect(redelivered).toMatchObject({ status: 200, body: { accepted: 1, duplicates: 0, pipelines: 1 } });
    const requested = await f.database.db.pipelineSync.findFirstOrThrow({
      where: { pipeline: { name: "legacy-batch-jobs" } },
    });
    expect(requested.requestedAt?.getTime()).toBe(f.now());
    expect(requested.nextSyncAt.getTime()).toBeLessThanOrEqual(f.now() + TEST_SETTINGS.eventCoalesceMs);
  });

  it("rejects malformed bodies (400) and invalid events (422) without recording anything", async () => {
    expect((await post("{not json")).status).toBe(400);
    expect((await post(event("e-bad", "bad name!"))).status).toBe(422);
    expect((await post(event("e-bad", "web-app-prod", "STARTED", { source: "aws.s3" }))).status).toBe(422);
    expect((await post([])).status).toBe(422);
    expect(await f.database.db.processedEvent.count({ where: { id: "e-bad" } })).toBe(0);
  });

  it("de-duplicates repeated and reordered deliveries and requests one sync per pipeline", async () => {
    const first = await post([
      event("e-1", "web-app-staging"),
      event("e-2", "web-app-staging", "SUCCEEDED"),
      event("e-1", "web-app-staging"),
    ]);
    expect(first).toMatchObject({ status: 200, body: { accepted: 2, duplicates: 1, pipelines: 1 } });
    const again = await post([event("e-2", "web-app-staging", "SUCCEEDED"), event("e-1", "web-app-staging")]);
    expect(again.body).toMatchObject({ accepted: 0, duplicates: 2 });
    const sync = await f.database.db.pipelineSync.findFirstOrThrow({
      where: { pipeline: { name: "web-app-staging" } },
    });
    expect(sync.requestedAt?.getTime()).toBe(f.now());
    expect(sync.nextSyncAt.getTime()).toBeLessThanOrEqual(f.now() + TEST_SETTINGS.eventCoalesceMs);
    const target = await f.database.db.target.findUniqueOrThrow({ where: { id: "sandbox" } });
    expect(target.accountId).toBe("111122223333");
    expect(target.lastEventAt?.getTime()).toBe(f.now());
  });

  it("an unknown pipeline in an event makes discovery due at once", async () => {
    await f.database.db.target.update({
      where: { id: "sandbox" },
      data: { nextDiscoveryAt: new Date(f.now() + 3_600_000) },
    });
    const res = await post(event("e-new", "not-yet-discovered"));
    expect(res.body).toMatchObject({ accepted: 1, unknown: 1 });
    const target = await f.database.db.target.findUniqueOrThrow({ where: { id: "sandbox" } });
    expect(target.nextDiscoveryAt.getTime()).toBe(f.now());
  });

  it("follows the sandbox's own (duplicated, reordered) deliveries to a fresh row, then polls idle pipelines rarely", async () => {
    const started = (await f.control("activity", { pipelines: ["web-app-staging"] })) as {
      started: { pipelineExecutionId: string }[];
    };
    const executionId = started.started[0]!.pipelineExecutionId;
    f.sandbox.advance(1_000);
    // Delivery runs on real timers: wait for the events to land, then sync what they asked for.
    await vi.waitFor(async () => expect(await f.database.db.processedEvent.count()).toBeGreaterThanOrEqual(6), {
      timeout: 15_000,
      interval: 20,
    });
    f.sandbox.advance(TEST_SETTINGS.eventCoalesceMs);
    const round = await syncOnce(f.options());
    const pipeline = await f.database.db.pipeline.findFirstOrThrow({ where: { name: "web-app-staging" } });
    expect(round.steps.map((s) => s.pipelineId)).toContain(pipeline.id);
    const row = await f.database.db.execution.findFirst({ where: { executionId } });
    expect(row).not.toBeNull();
    // With events flowing, an idle pipeline's next check is a reconcile, not an idle poll (at most 20 minutes).
    const idle = await f.database.db.pipelineSync.findFirstOrThrow({
      where: { pipeline: { name: "legacy-batch-jobs" } },
    });
    f.sandbox.advance(TEST_SETTINGS.maxIdleIntervalMs);
    await syncOnce(f.options());
    const after = await f.database.db.pipelineSync.findFirstOrThrow({
      where: { pipeline: { name: "legacy-batch-jobs" } },
    });
    expect(after.nextSyncAt.getTime() - (after.lastSyncAt?.getTime() ?? 0)).toBe(TEST_SETTINGS.reconcileIntervalMs);
    expect(idle.pipelineId).toBe(after.pipelineId);
  });
});
