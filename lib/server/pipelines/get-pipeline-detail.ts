import "server-only";
import { buildStageGraph, snapshotExecutionIds, type GraphStage } from "@/lib/pipelines/graph";
import { db as appDb, type Db } from "@/lib/server/db/client";
import { listRecentExecutions, type ExecutionListItem } from "@/lib/server/pipelines/list-executions";
import { readSnapshot } from "@/lib/server/pipelines/read-snapshot";
import { isStale } from "@/lib/server/pipelines/staleness";
import { findVisiblePipeline } from "@/lib/server/pipelines/visibility";
import { maskValue } from "@/lib/server/secrets/mask";
import type { Viewer } from "@/lib/server/session";

export interface PipelineDetail {
  id: string;
  name: string;
  arn: string | null;
  repository: string | null;
  sourceBranch: string | null;
  sourceProvider: string | null;
  sourceConnectionArn: string | null;
  sourceConnectionProvider: string | null;
  pipelineType: string | null;
  executionMode: string | null;
  version: number;
  variables: DeclaredVariable[];
  triggers: unknown;
  accountId: string;
  region: string;
  latestExecutionId: string | null;
  stateFetchedAt: Date | null;
  targetLastSuccessAt: Date | null;
  stale: boolean;
  /** The execution drawn, when an older one was picked; null for the live view. */
  selected: ExecutionListItem | null;
  graph: GraphStage[];
  recent: ExecutionListItem[];
}

export interface DeclaredVariable {
  name: string;
  defaultValue: string | null;
  description: string | null;
}

const str = (value: unknown) => (typeof value === "string" ? value : null);

/**
 * Declared variables with their defaults masked again on the way out (the sync engine masks before
 * storing; this covers rows stored before that, or under rules since widened). Only the fields the
 * page shows are passed on, so nothing else stored in the JSON reaches the browser.
 */
function readDeclaredVariables(json: unknown): DeclaredVariable[] {
  if (!Array.isArray(json)) return [];
  return json.flatMap((v: unknown) => {
    if (!v || typeof v !== "object") return [];
    const o = v as Record<string, unknown>;
    const name = str(o.name);
    return name
      ? [
          {
            name,
            defaultValue: maskValue(name, str(o.defaultValue)),
            description: maskValue("description", str(o.description)),
          },
        ]
      : [];
  });
}

const ACTION_RUN_SELECT = {
  stageName: true,
  actionName: true,
  status: true,
  startTime: true,
  lastUpdateTime: true,
  externalExecutionId: true,
  externalExecutionUrl: true,
  externalExecutionSummary: true,
  errorMessage: true,
  execution: { select: { executionId: true } },
} as const;

/** The pipeline page: its graph now (or as `executionId` ran), its facts and its recent executions; null means 404. */
export async function getPipelineDetail(
  viewer: Viewer,
  id: string,
  executionId: string | null,
  deps: { db?: Db; now?: Date } = {},
): Promise<PipelineDetail | null> {
  const db = deps.db ?? appDb;
  // Access first, by primary key (shared with the segment layout's check within a request).
  const visible = await findVisiblePipeline(db, viewer, id);
  if (!visible || visible.deleted) return null;
  const pipeline = await db.pipeline.findUnique({
    where: { id: id },
    include: {
      repository: { select: { fullName: true, githubFullName: true } },
      target: { select: { accountId: true, region: true, lastSuccessAt: true, lastErrorAt: true } },
      stages: { include: { actions: { select: { name: true, category: true, provider: true, runOrder: true } } } },
    },
  });
  if (!pipeline) return null;
  const snapshot = readSnapshot(pipeline.state);
  const [recent, selectedRow] = await Promise.all([
    listRecentExecutions(db, [pipeline.id], 20),
    executionId
      ? db.execution.findUnique({
          where: { pipelineId_executionId: { pipelineId: pipeline.id, executionId } },
          select: { id: true },
        })
      : null,
  ]);
  const selected = selectedRow
    ? await db.execution.findUnique({
        where: { id: selectedRow.id },
        select: {
          id: true,
          pipelineId: true,
          executionId: true,
          status: true,
          statusSummary: true,
          triggerType: true,
          triggerDetail: true,
          commitSha: true,
          commitMessage: true,
          commitUrl: true,
          branch: true,
          startTime: true,
          lastUpdateTime: true,
          completedAt: true,
          stageExecutions: { select: { stageName: true, status: true } },
        },
      })
    : null;
  const runIds = selected ? [selected.executionId] : snapshotExecutionIds(snapshot);
  const actionRuns =
    runIds.length === 0
      ? []
      : await db.actionExecution.findMany({
          where: { execution: { pipelineId: pipeline.id, executionId: { in: runIds } } },
          select: ACTION_RUN_SELECT,
        });
  const graph = buildStageGraph({
    stages: pipeline.stages,
    snapshot,
    execution: selected ? { executionId: selected.executionId, stageRuns: selected.stageExecutions } : null,
    actionRuns: actionRuns.map(({ execution, ...run }) => ({ ...run, executionId: execution.executionId })),
  });
  const now = deps.now ?? new Date();
  const selectedItem = selected ? (({ stageExecutions: _, ...item }) => item)(selected) : null;
  return {
    id: pipeline.id,
    name: pipeline.name,
    arn: pipeline.arn,
    repository: pipeline.repository?.githubFullName ?? pipeline.repository?.fullName ?? null,
    sourceBranch: pipeline.sourceBranch,
    sourceProvider: pipeline.sourceProvider,
    sourceConnectionArn: pipeline.sourceConnectionArn,
    sourceConnectionProvider: pipeline.sourceConnectionProvider,
    pipelineType: pipeline.pipelineType,
    executionMode: pipeline.executionMode,
    version: pipeline.version,
    variables: readDeclaredVariables(pipeline.variables),
    triggers: pipeline.triggers,
    accountId: pipeline.target.accountId,
    region: pipeline.target.region,
    latestExecutionId: pipeline.latestExecutionId,
    stateFetchedAt: pipeline.stateFetchedAt,
    targetLastSuccessAt: pipeline.target.lastSuccessAt,
    stale: isStale(pipeline.target, now),
    selected: selectedItem,
    graph,
    recent,
  };
}
