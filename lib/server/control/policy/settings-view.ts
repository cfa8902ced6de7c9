import "server-only";
import type { z } from "zod";
import type { policySettingsQuerySchema } from "@/lib/control/policy-form";
import { explainPolicy, type PolicyLevel } from "@/lib/control/policy-sources";
import { env } from "@/lib/env";
import { db as appDb, type Db } from "@/lib/server/db/client";
import { getRepositoryOverview } from "@/lib/server/pipelines/get-repository-overview";
import { canSeeRepository } from "@/lib/server/pipelines/visibility";
import type { Viewer } from "@/lib/server/session";
import { DEFAULT_POLICY, instanceLevels } from "./policy";
import { listOverrides } from "./stored";

// What the repository's settings page shows: the policy at the chosen level with each value's source, the
// overrides stored at that level, and whether this viewer may change them (the repository's admins as the
// cached list says, and Stageboard administrators; the PUT route asks GitHub again before it writes).

export async function loadPolicySettings(
  viewer: Viewer,
  fullName: string,
  query: z.infer<typeof policySettingsQuerySchema>,
  deps: { db?: Db } = {},
) {
  const db = deps.db ?? appDb;
  const key = fullName.toLowerCase();
  if (!canSeeRepository(viewer, key)) return null;
  const overview = await getRepositoryOverview(viewer, key, { db });
  if (!overview) return null;
  const ids = overview.pipelines.map((p) => p.id);
  const stages = await db.stage.findMany({
    where: { pipelineId: { in: ids } },
    select: { pipelineId: true, name: true, position: true },
    orderBy: { position: "asc" },
  });
  const pipelines = overview.pipelines.map((p) => ({
    id: p.id,
    name: p.name,
    stages: stages.filter((s) => s.pipelineId === p.id).map((s) => s.name),
  }));
  const pipeline = pipelines.find((p) => p.id === query.pipeline) ?? null;
  const stageName = pipeline && query.stage && pipeline.stages.includes(query.stage) ? query.stage : null;
  const githubId = viewer.repositoryIds.get(key) ?? null;
  const stored = githubId === null ? [] : await listOverrides(db, githubId);
  const at = (pipelineId: string, stage: string) =>
    stored.find((o) => o.pipelineId === pipelineId && o.stageName === stage)?.override ?? null;
  const [top, entry] = instanceLevels(env.STAGEBOARD_POLICY, key);
  const levels: PolicyLevel[] = [
    { source: "instance", override: top },
    { source: "instance-repository", override: entry },
    { source: "repository", override: at("", "") },
    ...(pipeline ? [{ source: "pipeline" as const, override: at(pipeline.id, "") }] : []),
    ...(pipeline && stageName ? [{ source: "stage" as const, override: at(pipeline.id, stageName) }] : []),
  ];
  return {
    repository: key,
    pipelines,
    scope: {
      pipelineId: pipeline?.id ?? null,
      stageName,
      label: stageName && pipeline ? `stage ${stageName} of ${pipeline.name}` : pipeline ? pipeline.name : key,
    },
    explained: explainPolicy(DEFAULT_POLICY, levels),
    current: levels[levels.length - 1]?.override ?? null,
    canEdit: viewer.isAdmin || viewer.repositories.get(key) === "admin",
  };
}
