import "server-only";
import { db as appDb, type Db } from "@/lib/server/db/client";
import { onFeedSignal } from "@/lib/server/feed/listener";
import { headCursor, prunedThrough, readChanges, type ChangeRow } from "@/lib/server/feed/read-changes";
import { feedTailPosition, subscribeToFeed, type FeedTail } from "@/lib/server/feed/tail";
import type { LiveChange } from "@/lib/server/live/live-event";
import { LiveRegistry, type LiveFeed } from "@/lib/server/live/registry";

/** The session trigger's channel (migration session_end_notify): its payload is the ended session's token hash. */
export const SESSION_END_CHANNEL = "stageboard_session_end";

const toLive = (row: ChangeRow): LiveChange => ({
  txid: row.cursor.txid,
  id: row.cursor.id,
  pipelineId: row.pipelineId,
  executionId: row.executionId,
  entity: row.entity,
  name: row.name,
  after: row.after,
});

/** The change feed as live streams read it: the process-wide tail and listener, and a few short reads. */
export function appLiveFeed(
  deps: {
    db?: Db;
    tail?: Pick<FeedTail, "subscribe" | "position">;
    signals?: typeof onFeedSignal;
  } = {},
): LiveFeed {
  const { db = appDb, signals = onFeedSignal } = deps;
  const tail = deps.tail ?? {
    subscribe: subscribeToFeed,
    get position() {
      return feedTailPosition();
    },
  };
  return {
    subscribe: (callback) => tail.subscribe((changes) => callback(changes.map(toLive))),
    onSessionEnd: (callback) => signals(SESSION_END_CHANNEL, (payload) => callback(payload || undefined)),
    liveSessions: async (tokenHashes) =>
      new Set(
        (await db.session.findMany({ where: { tokenHash: { in: tokenHashes } }, select: { tokenHash: true } })).map(
          (row) => row.tokenHash,
        ),
      ),
    readAfter: async ({ after, limit, pipelineIds }) => {
      const { changes, cursor } = await readChanges(db, { after, limit, pipelineIds });
      return { changes: changes.map(toLive), cursor };
    },
    position: () => tail.position,
    head: () => headCursor(db),
    prunedThrough: () => prunedThrough(db),
    pipelineIds: async () => new Set((await db.pipeline.findMany({ select: { id: true } })).map((row) => row.id)),
  };
}

const global = globalThis as typeof globalThis & { stageboardLiveRegistry?: LiveRegistry };

/** This process's one registry (kept on globalThis: dev-mode reloads must not open a second subscription). */
export function liveRegistry(): LiveRegistry {
  global.stageboardLiveRegistry ??= new LiveRegistry(appLiveFeed());
  return global.stageboardLiveRegistry;
}
