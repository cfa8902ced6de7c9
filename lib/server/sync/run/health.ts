// Per-target sync freshness for GET /api/health and the UI's "data as of" display, and the one rule
// that says when a target's data is stale.
import "server-only";
import type { Db } from "@/lib/server/db/client";
import { DEFAULT_SETTINGS } from "../config/settings";

/**
 * Longest a healthy engine goes without a successful call to a target: discovery lists its pipelines
 * every discoveryIntervalMs even when every pipeline is idle or events make polling rare.
 */
export const QUIET_TARGET_MS = 2 * DEFAULT_SETTINGS.discoveryIntervalMs + 60_000;

export interface TargetSyncTimes {
  lastSuccessAt: Date | null;
  lastErrorAt: Date | null;
}

/**
 * Stale: never synced; failing (its latest call failed) for longer than `failingAfterMs`; or silent for
 * longer than a healthy engine ever is (the engine itself has stopped).
 */
export function isTargetStale(t: TargetSyncTimes, now: number, failingAfterMs: number): boolean {
  if (!t.lastSuccessAt) return true;
  const age = now - t.lastSuccessAt.getTime();
  const failing = t.lastErrorAt !== null && t.lastErrorAt > t.lastSuccessAt;
  return age > (failing ? failingAfterMs : Math.max(failingAfterMs, QUIET_TARGET_MS));
}

export interface TargetSyncHealth {
  id: string;
  lastSuccessAt: string | null;
  ageMs: number | null;
  stale: boolean;
  lastError: string | null;
  lastErrorAt: string | null;
  throttled: boolean;
  /**
   * Pipelines on a connection whose provider is unknown because the target's connections could not be
   * listed: they stay unmapped (administrators only) until the listing succeeds. 0 while it works.
   */
  pipelinesAwaitingConnections: number;
}

export async function getSyncHealth(
  db: Db,
  now: number = Date.now(),
  staleAfterMs = 60_000,
): Promise<TargetSyncHealth[]> {
  const [targets, awaiting] = await Promise.all([
    db.target.findMany({ orderBy: { id: "asc" } }),
    db.pipeline.groupBy({
      by: ["targetId"],
      where: { deletedAt: null, sourceConnectionArn: { not: null }, sourceConnectionProvider: null },
      _count: { _all: true },
    }),
  ]);
  const awaitingBy = new Map(awaiting.map((a) => [a.targetId, a._count._all]));
  return targets.map((t) => {
    const ageMs = t.lastSuccessAt ? Math.max(0, now - t.lastSuccessAt.getTime()) : null;
    // An error older than the last success is history, not the current state.
    const erroring = t.lastErrorAt !== null && (t.lastSuccessAt === null || t.lastErrorAt > t.lastSuccessAt);
    return {
      id: t.id,
      lastSuccessAt: t.lastSuccessAt?.toISOString() ?? null,
      ageMs,
      stale: isTargetStale(t, now, staleAfterMs),
      lastError: erroring ? t.lastError : null,
      lastErrorAt: t.lastErrorAt?.toISOString() ?? null,
      throttled: t.throttledAt !== null,
      pipelinesAwaitingConnections: t.connectionsError ? (awaitingBy.get(t.id) ?? 0) : 0,
    };
  });
}
