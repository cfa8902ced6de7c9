import "server-only";
import type { Db } from "@/lib/server/db/client";
import { FEED_CHANNEL, onFeedSignal } from "@/lib/server/feed/listener";
import type { Logger } from "@/lib/server/logger";
import { startNotifier, type Notifier } from "@/lib/server/notify/notifier";
import { publicBaseUrl, urlPolicy } from "@/lib/server/notify/settings";

/** The notifications loop as the app and the worker run it: configured from the environment, woken by the feed. */
export function startConfiguredNotifier(db: Db, logger: Logger): Notifier {
  return startNotifier({
    db,
    logger,
    policy: urlPolicy(),
    baseUrl: publicBaseUrl(),
    signals: (wake) => onFeedSignal(FEED_CHANNEL, () => wake()),
  });
}
