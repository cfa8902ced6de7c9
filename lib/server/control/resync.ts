import "server-only";
import type { Db } from "@/lib/server/db/client";
import { signalSyncRequested } from "@/lib/server/sync/wake";

/**
 * Makes the pipeline due for a sync now, with a fresh GetPipelineState (pipeline-level, as an event that
 * names the whole pipeline would): the sync engine's loop in this process is woken to claim it at once, one
 * in a worker process at its next tick, so a command's effect shows within about a second instead of after
 * the idle interval.
 */
export async function requestResync(db: Pick<Db, "pipelineSync">, pipelineId: string, now = new Date()): Promise<void> {
  await db.pipelineSync.updateMany({
    where: { pipelineId },
    data: { requestedAt: now, nextSyncAt: now, pipelineEventPending: true },
  });
  signalSyncRequested();
}
