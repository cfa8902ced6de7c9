import "server-only";
import type { Db } from "@/lib/server/db/client";
import { FEED_CHANNEL, onFeedSignal } from "@/lib/server/feed/listener";
import { startWakeableLoop, type WakeableLoop } from "@/lib/server/jobs/wakeable-loop";
import type { Logger } from "@/lib/server/logger";
import { insightOnce } from "./consumer";

/** The insight rollups' loop, run beside the sync engine: woken by the feed, and every few seconds regardless. */
export function startInsightRollups(db: Db, logger: Logger): WakeableLoop {
  return startWakeableLoop({
    name: "insight rollups",
    logger,
    tickMs: 5_000,
    signals: (wake) => onFeedSignal(FEED_CHANNEL, () => wake()),
    async pass() {
      const read = await insightOnce(db);
      return { again: read >= 10_000 };
    },
  });
}
