import "server-only";
import { STALE_AFTER_MS } from "@/lib/server/constants";
import { db as appDb, type Db } from "@/lib/server/db/client";
import { visiblePipelines } from "@/lib/server/pipelines/visibility";
import type { Viewer } from "@/lib/server/session";

export interface StaleTarget {
  id: string;
  accountId: string;
  region: string;
  lastSuccessAt: Date | null;
}

/** A target never synced, or not synced successfully for STALE_AFTER_MS, has stale data. */
export function isStale(lastSuccessAt: Date | null, now: Date, staleAfterMs = STALE_AFTER_MS): boolean {
  return !lastSuccessAt || now.getTime() - lastSuccessAt.getTime() > staleAfterMs;
}

/** Targets holding pipelines the viewer can see whose data is stale. */
export async function listStaleTargets(viewer: Viewer, deps: { db?: Db; now?: Date } = {}): Promise<StaleTarget[]> {
  const db = deps.db ?? appDb;
  const now = deps.now ?? new Date();
  // Targets are few and usually fresh: find the stale ones first (a tiny table), and only then ask
  // whether the viewer sees any of their pipelines, so the common case costs one cheap query per page.
  const select = { id: true, accountId: true, region: true, lastSuccessAt: true } as const;
  const stale = (await db.target.findMany({ select, orderBy: { id: "asc" } })).filter((t) => isStale(t.lastSuccessAt, now));
  if (stale.length === 0) return [];
  return db.target.findMany({
    where: { id: { in: stale.map((t) => t.id) }, pipelines: { some: { AND: [visiblePipelines(viewer), { deletedAt: null }] } } },
    select,
    orderBy: { id: "asc" },
  });
}
