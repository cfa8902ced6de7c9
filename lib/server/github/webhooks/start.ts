import "server-only";
import type { Db } from "@/lib/server/db/client";
import { onFeedSignal } from "@/lib/server/feed/listener";
import { startWakeableLoop, type WakeableLoop } from "@/lib/server/jobs/wakeable-loop";
import type { Logger } from "@/lib/server/logger";
import { processDeliveries, pruneDeliveries } from "./process-deliveries";
import { DELIVERY_CHANNEL } from "./receive";

const TICK_MS = 2_000;
const PRUNE_EVERY_MS = 3_600_000;

/** The webhook deliveries' loop, as the app and the worker run it beside the sync engine. */
export function startWebhookProcessing(db: Db, logger: Logger): WakeableLoop {
  let prunedAt = 0;
  return startWakeableLoop({
    name: "GitHub webhook deliveries",
    logger,
    tickMs: TICK_MS,
    signals: (wake) => onFeedSignal(DELIVERY_CHANNEL, () => wake()),
    pass: async () => {
      const { again } = await processDeliveries({ db, logger });
      if (Date.now() - prunedAt > PRUNE_EVERY_MS) {
        prunedAt = Date.now();
        await pruneDeliveries(db, new Date());
      }
      return { again };
    },
  });
}
