// Per-target sync freshness for GET /api/health and the UI's "data as of" display.
import type { Db } from "@/lib/server/db/client";

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
      stale: ageMs === null || ageMs > staleAfterMs,
      lastError: erroring ? t.lastError : null,
      lastErrorAt: t.lastErrorAt?.toISOString() ?? null,
      throttled: t.throttledAt !== null,
    };
  });
}
