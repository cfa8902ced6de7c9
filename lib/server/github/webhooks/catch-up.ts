import "server-only";
import type { Db } from "@/lib/server/db/client";
import type { GitHubApp } from "@/lib/server/github/app";
import type { Logger } from "@/lib/server/logger";
import { deliveriesToRedeliver, nextCursor, type LoggedDelivery } from "./catch-up-plan";

// Deliveries GitHub could not hand over (Stageboard down, its database down, a deploy in between) are found in the
// App's delivery log (GET /app/hook/deliveries) and redelivered (POST …/attempts): on start-up, and then every
// CATCH_UP_INTERVAL_MS, by one process at a time. The redelivered ones arrive at the receiver like any other.

/** GitHub keeps deliveries for redelivery for 3 days. */
export const LOG_WINDOW_MS = 3 * 86_400_000;
/** A catch-up reads back to the previous one's start less this margin (deliveries still in flight then). */
const OVERLAP_MS = 10 * 60_000;
const PAGE_SIZE = 100;
const MAX_PAGES = 50;
const MAX_REDELIVERIES = 200;
/** Deliveries younger than this are not judged yet: GitHub may still be sending them. */
export const SETTLE_MS = 30_000;
/** pg_try_advisory_lock key: one catch-up at a time across every process. */
const LOCK_KEY = 7_310_002;

type Item = {
  id: number;
  guid: string;
  delivered_at: string;
  redelivery: boolean;
  status_code: number;
};

export type CatchUpResult =
  { kind: "skipped"; reason: "busy" | "no-app" } | { kind: "done"; read: number; redelivered: number; failed: number };

async function readLog(app: GitHubApp, since: number, until: number): Promise<LoggedDelivery[]> {
  const octokit = app.octokit("background");
  const entries: LoggedDelivery[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < MAX_PAGES; page++) {
    const response = await octokit.request("GET /app/hook/deliveries", {
      per_page: PAGE_SIZE,
      ...(cursor ? { cursor } : {}),
    });
    const items = response.data as Item[];
    for (const item of items) {
      const deliveredAt = new Date(item.delivered_at);
      if (deliveredAt.getTime() > until) continue;
      entries.push({
        id: item.id,
        guid: item.guid,
        deliveredAt,
        redelivery: item.redelivery,
        statusCode: item.status_code,
      });
    }
    const oldest = items.at(-1);
    cursor = nextCursor(response.headers.link);
    if (!cursor || !oldest || new Date(oldest.delivered_at).getTime() < since) break;
  }
  return entries;
}

export async function catchUpDeliveries(options: {
  db: Db;
  logger: Pick<Logger, "warn" | "info">;
  app: GitHubApp | null;
  /** Where the previous catch-up began reading (null: never, so the whole window). */
  previousStart: number | null;
  now?: number;
}): Promise<CatchUpResult> {
  const { db, logger, app } = options;
  if (!app) return { kind: "skipped", reason: "no-app" };
  const now = options.now ?? Date.now();
  // A transaction's advisory lock: held for the whole run, and let go when it ends or its process dies.
  return db.$transaction(
    async (tx) => {
      const [lock] = await tx.$queryRaw<{ locked: boolean }[]>`SELECT pg_try_advisory_xact_lock(${LOCK_KEY}) AS locked`;
      if (!lock?.locked) return { kind: "skipped", reason: "busy" } as const;
      const since = Math.max(now - LOG_WINDOW_MS, (options.previousStart ?? 0) - OVERLAP_MS);
      const log = await readLog(app, since, now - SETTLE_MS);
      const guids = [...new Set(log.map((d) => d.guid))];
      const stored = await tx.gitHubDelivery.findMany({ where: { id: { in: guids } }, select: { id: true } });
      const chosen = deliveriesToRedeliver(log, new Set(stored.map((s) => s.id))).slice(0, MAX_REDELIVERIES);
      let failed = 0;
      for (const id of chosen) {
        try {
          await app.octokit("background").request("POST /app/hook/deliveries/{delivery_id}/attempts", {
            delivery_id: id,
          });
        } catch (err) {
          failed++;
          logger.warn({ err, delivery: id }, "GitHub did not redeliver a missed webhook delivery");
        }
      }
      if (chosen.length > 0)
        logger.info({ redelivered: chosen.length - failed, failed }, "asked GitHub to redeliver missed webhooks");
      return { kind: "done", read: log.length, redelivered: chosen.length - failed, failed } as const;
    },
    { timeout: 120_000, maxWait: 10_000 },
  );
}
