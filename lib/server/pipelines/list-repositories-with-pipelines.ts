import "server-only";
import { db } from "@/lib/server/db/client";
import { visiblePipelines } from "@/lib/server/pipelines/visibility";
import type { Viewer } from "@/lib/server/session";

export type RepositoryGroup = {
  fullName: string | null;
  pipelines: { id: string; name: string; latestStatus: string | null; latestStartTime: Date | null; region: string; accountId: string }[];
};

/** The viewer's repositories with their pipelines and each one's latest status, repositories A–Z. */
export async function listRepositoriesWithPipelines(viewer: Viewer): Promise<RepositoryGroup[]> {
  const pipelines = await db.pipeline.findMany({
    where: { AND: [visiblePipelines(viewer), { deletedAt: null }] },
    select: {
      id: true,
      name: true,
      latestStatus: true,
      latestStartTime: true,
      repository: { select: { fullName: true } },
      target: { select: { region: true, accountId: true } },
    },
    orderBy: { name: "asc" },
  });
  const groups = new Map<string | null, RepositoryGroup>();
  for (const p of pipelines) {
    const key = p.repository?.fullName ?? null;
    const group = groups.get(key) ?? { fullName: key, pipelines: [] };
    group.pipelines.push({ id: p.id, name: p.name, latestStatus: p.latestStatus, latestStartTime: p.latestStartTime, region: p.target.region, accountId: p.target.accountId });
    groups.set(key, group);
  }
  return [...groups.values()].sort((a, b) => (a.fullName ?? "~").localeCompare(b.fullName ?? "~"));
}
