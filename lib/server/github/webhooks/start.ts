import "server-only";
import type { Db } from "@/lib/server/db/client";
import { onFeedSignal } from "@/lib/server/feed/listener";
import { githubApp } from "@/lib/server/github/app";
import { startWakeableLoop, type WakeableLoop } from "@/lib/server/jobs/wakeable-loop";
import type { Logger } from "@/lib/server/logger";
import { SETTLE_MS, catchUpDeliveries } from "./catch-up";
import { processDeliveries, pruneDeliveries } from "./process-deliveries";
import { DELIVERY_CHANNEL } from "./receive";
import { startClickProcessing } from "./requested-actions-loop";

const TICK_MS = 2_000;
const PRUNE_EVERY_MS = 3_600_000;
/** How often GitHub's delivery log is read for what did not arrive (and once, soon after start-up). */
export const CATCH_UP_INTERVAL_MS = 10 * 60_000;
const FIRST_CATCH_UP_MS = 5_000;
/**
 * The second look after start-up: the first leaves out deliveries younger than catch-up.ts's settling time, and
 * those are exactly the ones GitHub failed to hand over while this process was down just before it started.
 */
export const SECOND_CATCH_UP_MS = FIRST_CATCH_UP_MS + SETTLE_MS;
const CATCH_UP_RETRY_MS = 60_000;

/**
 * The webhook deliveries' loop, as the app and the worker run it beside the sync engine, with the loop that answers
 * the clicks on GitHub those deliveries record (stopped with it).
 */
export function startWebhookProcessing(db: Db, logger: Logger): WakeableLoop {
  const deliveries = startDeliveryProcessing(db, logger);
  const clicks = startClickProcessing(db, logger);
  return {
    wake: () => deliveries.wake(),
    stop: async () => {
      await Promise.all([deliveries.stop(), clicks.stop()]);
    },
  };
}

function startDeliveryProcessing(db: Db, logger: Logger): WakeableLoop {
  const started = Date.now();
  let prunedAt = 0;
  let caughtUpAt: number | null = null;
  let nextCatchUp = started + FIRST_CATCH_UP_MS;
  let afterStart = true;
  return startWakeableLoop({
    name: "GitHub webhook deliveries",
    logger,
    tickMs: TICK_MS,
    signals: (wake) => onFeedSignal(DELIVERY_CHANNEL, () => wake()),
    pass: async () => {
      // The App's own check runs come back as webhooks too; handlers must know them from others'.
      const app = await githubApp();
      const { again } = await processDeliveries({ db, logger, context: { ownAppId: app?.appId ?? null } });
      const now = Date.now();
      if (now >= nextCatchUp) {
        nextCatchUp = afterStart ? started + SECOND_CATCH_UP_MS : now + CATCH_UP_INTERVAL_MS;
        afterStart = false;
        try {
          const result = await catchUpDeliveries({ db, logger, app, previousStart: caughtUpAt });
          if (result.kind === "done") caughtUpAt = now;
        } catch (err) {
          // GitHub (or the database) is down: look again sooner, without holding up the deliveries stored meanwhile.
          nextCatchUp = now + CATCH_UP_RETRY_MS;
          logger.warn({ err }, "could not read the GitHub App's delivery log; trying again in a minute");
        }
      }
      if (now - prunedAt > PRUNE_EVERY_MS) {
        prunedAt = now;
        await pruneDeliveries(db, new Date(now));
      }
      return { again };
    },
  });
}
