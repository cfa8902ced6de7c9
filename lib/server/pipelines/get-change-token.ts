import "server-only";
import { createHash } from "node:crypto";
import { Prisma } from "@/lib/generated/prisma/client";
import type { ChangeScope } from "@/lib/pipelines/schemas";
import { db as appDb, type Db } from "@/lib/server/db/client";
import { listStaleTargets } from "@/lib/server/pipelines/staleness";
import { repositoryPipelinesSql, visiblePipelinesSql } from "@/lib/server/pipelines/visibility";
import type { Viewer } from "@/lib/server/session";

/**
 * An opaque token that changes whenever what a page shows may have changed: the newest update of
 * the pipelines in scope, of their executions (pipeline and repository scopes), and which targets
 * are stale. Open pages poll it every second and re-render only when it moves, so the poll itself
 * stays one query (plus the stale-target check, usually answered from memory).
 */
export async function getChangeToken(
  viewer: Viewer,
  scope: ChangeScope,
  deps: { db?: Db; now?: Date } = {},
): Promise<string> {
  const db = deps.db ?? appDb;
  const scoped = scope.pipeline
    ? Prisma.sql`p.id = ${scope.pipeline}`
    : scope.repository
      ? repositoryPipelinesSql(viewer, scope.repository)
      : Prisma.sql`TRUE`;
  // The visibility rule in SQL form: the viewer's repository ids travel as one array parameter, which
  // keeps this every-second query cheap for people who can read thousands of repositories.
  const inScope = Prisma.sql`FROM "Pipeline" p LEFT JOIN "Repository" r ON r.id = p."repositoryId" WHERE ${visiblePipelinesSql(viewer)} AND ${scoped}`;
  const executionsMax =
    scope.pipeline || scope.repository
      ? // One index probe per pipeline on (pipelineId, updatedAt).
        Prisma.sql`(SELECT max(x."updatedAt") FROM (SELECT p.id ${inScope} LIMIT 200) s
        CROSS JOIN LATERAL (SELECT e."updatedAt" FROM "Execution" e WHERE e."pipelineId" = s.id ORDER BY e."updatedAt" DESC LIMIT 1) x)`
      : Prisma.sql`NULL::timestamp`;
  const [[pipelines], stale] = await Promise.all([
    db.$queryRaw<
      { count: bigint; max: Date | null; executions: Date | null }[]
    >`SELECT count(*) AS count, max(p."updatedAt") AS max, ${executionsMax} AS executions ${inScope}`,
    listStaleTargets(viewer, deps),
  ]);
  const parts = [
    String(pipelines?.count ?? 0),
    pipelines?.max?.toISOString() ?? "-",
    pipelines?.executions?.toISOString() ?? "-",
    stale.map((t) => t.id).join(","),
  ];
  return createHash("sha256").update(parts.join("|")).digest("base64url").slice(0, 22);
}
