// npm run worker – a standalone sync process for scale-out. It runs the same engine as the app
// (start the app with SYNC_IN_APP=false to leave syncing to workers); any number of workers and
// apps share the work through row leases in Postgres.
import "dotenv/config";
import { ConfigError } from "@/lib/config/schema";
import { applyMigrations } from "@/lib/server/db/schema-engine";
import { readConfig } from "./start/config";

try {
  const config = readConfig();
  if (!config.DATABASE_URL)
    throw new ConfigError(
      "Invalid configuration: DATABASE_URL is required for a worker, e.g. DATABASE_URL=postgresql://user:password@db:5432/stageboard",
    );
  await applyMigrations(config.DATABASE_URL);
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : `Worker could not start: ${String(error)}`);
  process.exit(1);
}

const [
  { db },
  { logger },
  { startSyncEngine },
  { targetsFromEnv },
  { env },
  { startConfiguredNotifier },
  { startConfiguredWriteback },
  { startWebhookProcessing },
  { startReleaseGate },
  { startInsightRollups },
] = await Promise.all([
  import("@/lib/server/db/client"),
  import("@/lib/server/logger"),
  import("@/lib/server/sync/engine"),
  import("@/lib/server/sync/config/targets"),
  import("@/lib/env"),
  import("@/lib/server/notify/start"),
  import("@/lib/server/writeback/start"),
  import("@/lib/server/github/webhooks/start"),
  import("@/lib/server/gate/start"),
  import("@/lib/server/insight/rollup/start"),
]);
const engine = startSyncEngine({ db, logger, targets: targetsFromEnv(env) });
const notifier = startConfiguredNotifier(db, logger);
const writeback = startConfiguredWriteback(db, logger);
const webhooks = startWebhookProcessing(db, logger);
const gate = startReleaseGate(db, logger);
const insight = startInsightRollups(db, logger);
logger.info("sync worker started");
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    logger.info({ signal }, "worker stopping");
    void Promise.all([engine.stop(), notifier.stop(), writeback.stop(), webhooks.stop(), gate.stop(), insight.stop()])
      .then(() => db.$disconnect())
      .then(() => process.exit(0));
  });
}
