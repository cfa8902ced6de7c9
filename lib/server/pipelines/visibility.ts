import "server-only";
import { cache } from "react";
import { Prisma } from "@/lib/generated/prisma/client";
import { db as appDb, type Db } from "@/lib/server/db/client";
import type { Viewer } from "@/lib/server/session";

/**
 * The one rule behind every pipeline query: pipelines of repositories the viewer can read on GitHub,
 * plus unmapped pipelines (no GitHub source) for configured administrators. Repositories are compared by
 * GitHub's numeric id, never by name: a pipeline's repository is the id its name was pinned to
 * (lib/server/identity/repository-pins.ts), the viewer's are the ids their list reports. So a name
 * deleted and registered again by someone else (a new id) shows its readers nothing of the old one's
 * pipelines, while a renamed or transferred repository (same id) keeps its readers. It fails closed: a
 * repository whose id is not pinned yet, or a cached list without ids, matches nobody; and a mapped
 * pipeline is never an administrator's "unmapped" one. In SQL form, over `p` ("Pipeline") left-joined to
 * `r` ("Repository") on p."repositoryId"; the ids travel as one array parameter rather than one parameter
 * each. findVisiblePipeline applies the same rule to one row.
 */
export function visiblePipelinesSql(viewer: Viewer): Prisma.Sql {
  return Prisma.sql`(r."githubId" = ANY(${viewerIds(viewer)}::bigint[]) OR (${viewer.isAdmin}::boolean AND p."repositoryId" IS NULL))`;
}

/** The viewer's repository ids as decimal strings (the driver's safe carrier for 64-bit integers). */
function viewerIds(viewer: Viewer): string[] {
  return [...viewer.repositoryIds.values()].map(String);
}

/**
 * Pipelines of the repository the viewer's list calls `fullName` (a repository page): by that list's id
 * for the name, so pipelines whose sources still use an earlier name of the same repository are included.
 */
export function repositoryPipelinesSql(viewer: Viewer, fullName: string): Prisma.Sql {
  const id = viewer.repositoryIds.get(fullName.toLowerCase());
  return id === undefined ? Prisma.sql`FALSE` : Prisma.sql`r."githubId" = ${String(id)}::bigint`;
}

/** The name a repository is shown by: GitHub's current name for its id (renames followed), else its sources'. */
export const REPOSITORY_NAME_SQL = Prisma.sql`COALESCE(r."githubFullName", r."fullName")`;

export function canSeeRepository(viewer: Viewer, fullName: string): boolean {
  return viewer.repositoryIds.has(fullName.toLowerCase());
}

export interface VisiblePipeline {
  id: string;
  name: string;
  repository: string | null;
  deleted: boolean;
}

type AccessRow = {
  id: string;
  name: string;
  repositoryId: string | null;
  githubId: string | null;
  repository: string | null;
  deletedAt: Date | null;
};

/**
 * One pipeline (deleted ones included, callers decide) when the viewer may see it, else null: the
 * rule of visiblePipelinesSql applied to the row read by primary key, one short query. Memoised per request,
 * so a layout's access check and its page's data share that query.
 */
export const findVisiblePipeline = cache(
  async (db: Db, viewer: Viewer, id: string): Promise<VisiblePipeline | null> => {
    const [row] = await db.$queryRaw<AccessRow[]>`
    SELECT p.id, p.name, p."repositoryId", r."githubId"::text AS "githubId", ${REPOSITORY_NAME_SQL} AS repository,
           p."deletedAt"
    FROM "Pipeline" p LEFT JOIN "Repository" r ON r.id = p."repositoryId"
    WHERE p.id = ${id}`;
    if (!row) return null;
    const visible =
      row.repositoryId !== null ? row.githubId !== null && viewerIds(viewer).includes(row.githubId) : viewer.isAdmin;
    return visible ? { id: row.id, name: row.name, repository: row.repository, deleted: row.deletedAt !== null } : null;
  },
);

/** Whether the pipeline exists and the viewer may see it; both cases look the same from outside. */
export async function isPipelineVisible(viewer: Viewer, id: string): Promise<boolean> {
  return (await findVisiblePipeline(appDb, viewer, id)) !== null;
}
