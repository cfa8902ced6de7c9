// The process that receives GitHub's webhooks in the release gate benchmark, as a child the benchmark can SIGKILL
// and start again: POST /api/github/webhooks answered by the product's receiver (receive.ts, as the Next route
// calls it) on a plain HTTP server, the stored delivery processed right after the answer as the route does, and
// beside it everything `npm run worker` runs (scripts/worker.ts): the sync engine (polling only: no EventBridge
// here), the write-back loop, the webhook deliveries' loop with its catch-up from GitHub's delivery log, and the
// release gate. Its configuration is the product's own environment; GATE_RECEIVER_PORT is where it listens.
import { createServer } from "node:http";
import { Readable } from "node:stream";

export {};
const [
  { db },
  { logger },
  { startSyncEngine },
  { targetsFromEnv },
  { env },
  { startConfiguredWriteback },
  { startWebhookProcessing },
  { startReleaseGate },
  { receiveWebhook },
  { processDeliveries },
  { githubApp },
] = await Promise.all([
  import("@/lib/server/db/client"),
  import("@/lib/server/logger"),
  import("@/lib/server/sync/engine"),
  import("@/lib/server/sync/config/targets"),
  import("@/lib/env"),
  import("@/lib/server/writeback/start"),
  import("@/lib/server/github/webhooks/start"),
  import("@/lib/server/gate/start"),
  import("@/lib/server/github/webhooks/receive"),
  import("@/lib/server/github/webhooks/process-deliveries"),
  import("@/lib/server/github/app"),
]);

const port = Number(process.env.GATE_RECEIVER_PORT);
const server = createServer((req, res) => {
  if (req.method !== "POST" || req.url !== "/api/github/webhooks") return void res.writeHead(404).end();
  void (async () => {
    const app = await githubApp().catch(() => null);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
    const result = await receiveWebhook({
      db,
      logger,
      secret: app?.webhookSecret ?? null,
      headers,
      body: Readable.toWeb(req) as ReadableStream<Uint8Array>,
    });
    res.writeHead(result.status, { "content-type": "application/json", "cache-control": "no-store" });
    res.end(JSON.stringify(result.body));
    if (result.stored)
      await processDeliveries({ db, logger, context: { ownAppId: app?.appId ?? null } }).catch((err: unknown) =>
        logger.warn({ err }, "processing a delivery after its answer failed"),
      );
  })().catch(() => res.destroy());
});
await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));

const engine = startSyncEngine({ db, logger, targets: targetsFromEnv(env) });
const writeback = startConfiguredWriteback(db, logger);
const webhooks = startWebhookProcessing(db, logger);
const gate = startReleaseGate(db, logger);
process.stdout.write("ready\n");
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.once(signal, () => {
    server.close();
    void Promise.all([engine.stop(), writeback.stop(), webhooks.stop(), gate.stop()])
      .then(() => db.$disconnect())
      .then(() => process.exit(0));
  });
