import "server-only";
import { cache } from "react";
import { Prisma } from "@/lib/generated/prisma/client";
import { db as appDb, type Db } from "@/lib/server/db/client";
import type { Viewer } from "@/lib/server/session";

/**
 * The one rule behind every pipeline query: pipelines of repositories the viewer can read on GitHub,
 * plus unmapped pipelines (no GitHub source) for configured administrators. In SQL form, over `p`
 * ("Pipeline") left-joined to `r` ("Repository") on p."repositoryId"; the names travel as one array
 * parameter rather than one parameter each. findVisiblePipeline applies the same rule to one row.
 */
export function visiblePipelinesSql(viewer: Viewer): Prisma.Sql {
  return Prisma.sql`(r."fullName" = ANY(${[...viewer.repositories.keys()]}::text[]) OR (${viewer.isAdmin}::boolean AND p."repositoryId" IS NULL))`;
}

export function canSeeRepository(viewer: Viewer, fullName: string): boolean {
  return viewer.repositories.has(fullName.toLowerCase());
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
    SELECT p.id, p.name, p."repositoryId", r."fullName" AS repository, p."deletedAt"
    FROM "Pipeline" p LEFT JOIN "Repository" r ON r.id = p."repositoryId"
    WHERE p.id = ${id}`;
    if (!row) return null;
    const visible =
      row.repository !== null ? viewer.repositories.has(row.repository) : viewer.isAdmin && row.repositoryId === null;
    return visible ? { id: row.id, name: row.name, repository: row.repository, deleted: row.deletedAt !== null } : null;
  },
);

/** Whether the pipeline exists and the viewer may see it; both cases look the same from outside. */
export async function isPipelineVisible(viewer: Viewer, id: string): Promise<boolean> {
  return (await findVisiblePipeline(appDb, viewer, id)) !== null;
}
