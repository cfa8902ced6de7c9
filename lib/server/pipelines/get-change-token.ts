import "server-only";
import { createHash } from "node:crypto";
import type { ChangeScope } from "@/lib/pipelines/schemas";
import { db as appDb, type Db } from "@/lib/server/db/client";
import { listStaleTargets } from "@/lib/server/pipelines/staleness";
import { visiblePipelines } from "@/lib/server/pipelines/visibility";
import type { Viewer } from "@/lib/server/session";

/**
 * An opaque token that changes whenever what a page shows may have changed: the newest update of
 * the pipelines in scope, of their executions (pipeline and repository scopes), and which targets
 * are stale. Open pages poll it every second and re-render only when it moves, so the poll itself
 * stays a couple of index lookups.
 */
export async function getChangeToken(viewer: Viewer, scope: ChangeScope, deps: { db?: Db; now?: Date } = {}): Promise<string> {
  const db = deps.db ?? appDb;
  const scoped = scope.pipeline ? { id: scope.pipeline } : scope.repository ? { repository: { fullName: scope.repository.toLowerCase() } } : {};
  const where = { AND: [visiblePipelines(viewer), scoped] };
  const [pipelines, stale] = await Promise.all([
    db.pipeline.aggregate({ where, _max: { updatedAt: true }, _count: { _all: true } }),
    listStaleTargets(viewer, deps),
  ]);
  let executionsMax: Date | null = null;
  if (scope.pipeline || scope.repository) {
    const ids = (await db.pipeline.findMany({ where, select: { id: true }, take: 200 })).map((p) => p.id);
    // One index probe per pipeline on (pipelineId, updatedAt).
    const rows = ids.length === 0 ? [] : await db.$queryRaw<{ max: Date | null }[]>`
      SELECT max(x."updatedAt") AS max FROM unnest(${ids}::text[]) AS p(id)
      CROSS JOIN LATERAL (SELECT e."updatedAt" FROM "Execution" e WHERE e."pipelineId" = p.id ORDER BY e."updatedAt" DESC LIMIT 1) x`;
    executionsMax = rows[0]?.max ?? null;
  }
  const parts = [pipelines._count._all, pipelines._max.updatedAt?.toISOString() ?? "-", executionsMax?.toISOString() ?? "-", stale.map((t) => t.id).join(",")];
  return createHash("sha256").update(parts.join("|")).digest("base64url").slice(0, 22);
}
