import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
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
