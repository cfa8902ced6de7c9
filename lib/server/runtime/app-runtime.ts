import "server-only";
import { env } from "@/lib/env";
import { db } from "@/lib/server/db/client";
import { startReleaseGate } from "@/lib/server/gate/start";
import { startInsightRollups } from "@/lib/server/insight/rollup/start";
import { startWebhookProcessing } from "@/lib/server/github/webhooks/start";
import { logger } from "@/lib/server/logger";
import { startConfiguredNotifier } from "@/lib/server/notify/start";
import { startSyncEngine } from "@/lib/server/sync/engine";
import { targetsFromEnv } from "@/lib/server/sync/config/targets";
import { startConfiguredWriteback } from "@/lib/server/writeback/start";

type Runtime = { stop(): Promise<void> };
// `register()` runs again on every hot reload in development; one engine per process is enough.
const globalForRuntime = globalThis as unknown as { stageboardRuntime?: Runtime };

export function startAppRuntime(): void {
  if (globalForRuntime.stageboardRuntime) return;
  let engine: { stop(): Promise<void> } | undefined;
  let notifier: { stop(): Promise<void> } | undefined;
  let writeback: { stop(): Promise<void> } | undefined;
  let webhooks: { stop(): Promise<void> } | undefined;
  let gate: { stop(): Promise<void> } | undefined;
  let insight: { stop(): Promise<void> } | undefined;
  if (env.SYNC_IN_APP) {
    try {
      engine = startSyncEngine({ db, logger, targets: targetsFromEnv(env) });
      // Notification webhooks are sent by the processes that sync (README "Notifications").
      notifier = startConfiguredNotifier(db, logger);
      // So is GitHub write-back, in a loop of its own: GitHub never slows the sync engine (README "GitHub write-back").
      writeback = startConfiguredWriteback(db, logger);
      // And the GitHub App's webhook deliveries, stored by whichever process received them.
      webhooks = startWebhookProcessing(db, logger);
      // Release gates start pipelines for the commits those deliveries bring, once their checks pass.
      gate = startReleaseGate(db, logger);
      // The insight rollups follow the change feed as executions finish.
      insight = startInsightRollups(db, logger);
    } catch (err) {
      logger.error({ err }, "sync engine did not start; retrying in 10 s");
      setTimeout(() => {
        delete globalForRuntime.stageboardRuntime;
        void startAppRuntime();
      }, 10_000).unref();
    }
  }
  const runtime: Runtime = {
    async stop() {
      await Promise.all([
        engine?.stop(),
        notifier?.stop(),
        writeback?.stop(),
        webhooks?.stop(),
        gate?.stop(),
        insight?.stop(),
      ]);
      await db.$disconnect();
    },
  };
  globalForRuntime.stageboardRuntime = runtime;
  installShutdown(runtime);
}

function installShutdown(runtime: Runtime) {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down: stopping the sync engine and closing the database pool");
    const force = setTimeout(() => process.exit(1), 15_000);
    runtime.stop().then(
      () => {
        clearTimeout(force);
        process.exit(0);
      },
      (err: unknown) => {
        logger.error({ err }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.once("SIGTERM", () => stop("SIGTERM"));
  process.once("SIGINT", () => stop("SIGINT"));
}
