import "server-only";
import type { Db } from "@/lib/server/db/client";
import { onFeedSignal } from "@/lib/server/feed/listener";
import { startWakeableLoop, type WakeableLoop } from "@/lib/server/jobs/wakeable-loop";
import type { Logger } from "@/lib/server/logger";
import { publicBaseUrl } from "@/lib/server/notify/settings";
import { REQUESTED_ACTION_CHANNEL } from "./handle-check-run";
import { processClicks } from "./requested-actions";

const TICK_MS = 2_000;

/** The loop that answers clicks on GitHub, woken the moment one is recorded, and every TICK_MS for the rest. */
export function startClickProcessing(db: Db, logger: Logger, baseUrl = publicBaseUrl()): WakeableLoop {
  return startWakeableLoop({
    name: "GitHub check run clicks",
    logger,
    tickMs: TICK_MS,
    signals: (wake) => onFeedSignal(REQUESTED_ACTION_CHANNEL, () => wake()),
    pass: () => processClicks({ db, logger, baseUrl }),
  });
}
