// Per-target sync freshness for GET /api/health and the UI's "data as of" display, and the one rule
// that says when a target's data is stale.
import type { Db } from "@/lib/server/db/client";
import { DEFAULT_SETTINGS } from "./settings";

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
}

export async function getSyncHealth(db: Db, now: number = Date.now(), staleAfterMs = 60_000): Promise<TargetSyncHealth[]> {
  const targets = await db.target.findMany({ orderBy: { id: "asc" } });
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
    };
  });
}
