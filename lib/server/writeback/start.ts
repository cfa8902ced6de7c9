import "server-only";
import type { Db } from "@/lib/server/db/client";
import { FEED_CHANNEL, onFeedSignal } from "@/lib/server/feed/listener";
import type { WakeableLoop } from "@/lib/server/jobs/wakeable-loop";
import type { Logger } from "@/lib/server/logger";
import { publicBaseUrl } from "@/lib/server/notify/settings";
import { startWriteback } from "./writeback-loop";

/** The write-back loop as the app and the worker run it: links to this Stageboard's public address, woken by the feed. */
export function startConfiguredWriteback(db: Db, logger: Logger): WakeableLoop {
  return startWriteback({
    db,
    logger,
    baseUrl: publicBaseUrl(),
    signals: (wake) => onFeedSignal(FEED_CHANNEL, () => wake()),
  });
}
