import "server-only";
import { STALE_AFTER_MS } from "@/lib/server/constants";
import { db as appDb, type Db } from "@/lib/server/db/client";
import { visiblePipelinesSql } from "@/lib/server/pipelines/visibility";
import { isTargetStale, type TargetSyncTimes } from "@/lib/server/sync/run/health";
import type { Viewer } from "@/lib/server/session";

export interface StaleTarget {
  id: string;
  accountId: string;
  region: string;
  lastSuccessAt: Date | null;
  lastErrorAt: Date | null;
}

/** The sync engine's staleness rule (lib/server/sync/health.ts) with the configured failure allowance. */
export function isStale(target: TargetSyncTimes, now: Date): boolean {
  return isTargetStale(target, now.getTime(), STALE_AFTER_MS);
}

/**
 * Every page and every change poll asks which targets are stale. The target table is a handful of
 * rows, the same for everyone, and staleness is judged in minutes (STALE_AFTER_MS is at least 60 s),
 * so it is read at most once a second per process: a banner appearing or clearing a second later
 * changes nothing. No per-person data is kept; who may see which target is asked afresh each time.
 */
const TARGETS_MAX_AGE_MS = 1000;
const targetReads = new WeakMap<Db, { at: number; rows: Promise<StaleTarget[]> }>();

function readTargets(db: Db): Promise<StaleTarget[]> {
  const now = performance.now();
  const cached = targetReads.get(db);
  if (cached && now - cached.at < TARGETS_MAX_AGE_MS) return cached.rows;
  const rows = db.target.findMany({
    select: { id: true, accountId: true, region: true, lastSuccessAt: true, lastErrorAt: true },
    orderBy: { id: "asc" },
  });
  targetReads.set(db, { at: now, rows });
  // A failed read is not kept: the next request asks again.
  rows.catch(() => targetReads.get(db)?.rows === rows && targetReads.delete(db));
  return rows;
}

/** Targets holding pipelines the viewer can see whose data is stale. */
export async function listStaleTargets(viewer: Viewer, deps: { db?: Db; now?: Date } = {}): Promise<StaleTarget[]> {
  const db = deps.db ?? appDb;
  const now = deps.now ?? new Date();
  // Targets are few and usually fresh: find the stale ones first, and only then ask whether the
  // viewer sees any of their pipelines, so the common case costs no query at all.
  const stale = (await readTargets(db)).filter((t) => isStale(t, now));
  if (stale.length === 0) return [];
  return db.$queryRaw<StaleTarget[]>`
    SELECT t.id, t."accountId", t.region, t."lastSuccessAt", t."lastErrorAt" FROM "Target" t
    WHERE t.id = ANY(${stale.map((t) => t.id)}::text[]) AND EXISTS (
      SELECT 1 FROM "Pipeline" p LEFT JOIN "Repository" r ON r.id = p."repositoryId"
      WHERE p."targetId" = t.id AND p."deletedAt" IS NULL AND ${visiblePipelinesSql(viewer)})
    ORDER BY t.id`;
}
