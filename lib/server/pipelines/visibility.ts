import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import { db } from "@/lib/server/db/client";
import type { Viewer } from "@/lib/server/session";

/**
 * The one filter behind every pipeline query: pipelines of repositories the viewer can read on
 * GitHub, plus unmapped pipelines (no GitHub source) for configured administrators.
 */
export function visiblePipelines(viewer: Viewer): Prisma.PipelineWhereInput {
  const repositories = [...viewer.repositories.keys()];
  const scopes: Prisma.PipelineWhereInput[] = [{ repository: { fullName: { in: repositories } } }];
  if (viewer.isAdmin) scopes.push({ repositoryId: null });
  return { OR: scopes };
}

export function canSeeRepository(viewer: Viewer, fullName: string): boolean {
  return viewer.repositories.has(fullName.toLowerCase());
}

/** Whether the pipeline exists and the viewer may see it; both cases look the same from outside. */
export async function isPipelineVisible(viewer: Viewer, id: string): Promise<boolean> {
  const count = await db.pipeline.count({ where: { AND: [{ id }, visiblePipelines(viewer)] } });
  return count > 0;
}
