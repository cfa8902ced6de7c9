import "server-only";
import { compareByAttention } from "@/lib/pipelines/attention";
import { Prisma } from "@/lib/generated/prisma/client";
import { db as appDb, type Db } from "@/lib/server/db/client";
import { listRecentExecutions, type ExecutionListItem } from "@/lib/server/pipelines/list-executions";
import { attachLatest, loadPipelineSummaries, type PipelineRow } from "@/lib/server/pipelines/load-pipeline-rows";
import { canSeeRepository, repositoryPipelinesSql, visiblePipelinesSql } from "@/lib/server/pipelines/visibility";
import type { Viewer } from "@/lib/server/session";

export interface Deployment {
  pipelineId: string;
  pipelineName: string;
  stageName: string;
  executionId: string;
  commitSha: string | null;
  commitMessage: string | null;
  commitUrl: string | null;
  branch: string | null;
  startTime: Date;
  endTime: Date | null;
}

export interface RepositoryOverview {
  fullName: string;
  pipelines: PipelineRow[];
  deployments: Deployment[];
  recent: ExecutionListItem[];
}

const DEPLOY_NAME = /deploy|prod|stag|release|live|canary/i;

/** Deploy-like stages: those with a Deploy action, or named like an environment. */
async function deployStages(
  db: Db,
  pipelineIds: string[],
): Promise<{ pipelineId: string; name: string; position: number }[]> {
  const stages = await db.stage.findMany({
    where: { pipelineId: { in: pipelineIds } },
    select: { pipelineId: true, name: true, position: true, actions: { select: { category: true } } },
  });
  return stages.filter((s) => s.actions.some((a) => a.category === "Deploy") || DEPLOY_NAME.test(s.name));
}

type DeploymentRow = Omit<Deployment, "pipelineName">;

/** For each stage: the most recent execution that got through it, found by walking that pipeline's executions newest first. */
async function latestSuccesses(db: Db, stages: { pipelineId: string; name: string }[]): Promise<DeploymentRow[]> {
  if (stages.length === 0) return [];
  return db.$queryRaw<DeploymentRow[]>`
    SELECT d.pid AS "pipelineId", d.sname AS "stageName", x."executionId", x."commitSha", x."commitMessage", x."commitUrl",
           x."branch", x."startTime", x."endTime"
    FROM unnest(${stages.map((s) => s.pipelineId)}::text[], ${stages.map((s) => s.name)}::text[]) AS d(pid, sname)
    CROSS JOIN LATERAL (
      SELECT e."executionId", e."commitSha", e."commitMessage", e."commitUrl", e."branch", e."startTime", se."endTime"
      FROM "Execution" e
      JOIN "StageExecution" se ON se."executionId" = e."id" AND se."stageName" = d.sname AND se."status" = 'Succeeded'
      WHERE e."pipelineId" = d.pid
      ORDER BY e."startTime" DESC
      LIMIT 1
    ) x`;
}

/** A repository's page, or null when the viewer cannot see it (the page answers 404 either way). */
export async function getRepositoryOverview(
  viewer: Viewer,
  fullName: string,
  deps: { db?: Db; now?: Date } = {},
): Promise<RepositoryOverview | null> {
  const db = deps.db ?? appDb;
  const key = fullName.toLowerCase();
  if (!canSeeRepository(viewer, key)) return null;
  const pipelines = await loadPipelineSummaries(
    db,
    Prisma.sql`${visiblePipelinesSql(viewer)} AND ${repositoryPipelinesSql(viewer, key)}`,
    deps.now ?? new Date(),
  );
  if (pipelines.length === 0) return { fullName: key, pipelines, deployments: [], recent: [] };
  await attachLatest(db, pipelines);
  pipelines.sort(compareByAttention);
  const ids = pipelines.map((p) => p.id);
  const names = new Map(pipelines.map((p) => [p.id, p.name]));
  const stages = await deployStages(db, ids);
  const position = new Map(stages.map((s) => [`${s.pipelineId}/${s.name}`, s.position]));
  const [deployments, recent] = await Promise.all([latestSuccesses(db, stages), listRecentExecutions(db, ids, 20)]);
  deployments.sort(
    (a, b) =>
      (names.get(a.pipelineId) ?? "").localeCompare(names.get(b.pipelineId) ?? "") ||
      (position.get(`${a.pipelineId}/${a.stageName}`) ?? 0) - (position.get(`${b.pipelineId}/${b.stageName}`) ?? 0),
  );
  return {
    fullName: key,
    pipelines,
    deployments: deployments.map((d) => ({ ...d, pipelineName: names.get(d.pipelineId) ?? "" })),
    recent,
  };
}
