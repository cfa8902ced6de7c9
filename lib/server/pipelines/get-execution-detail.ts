import "server-only";
import { buildTimeline, type TimelineRow } from "@/lib/pipelines/timeline";
import { db as appDb, type Db } from "@/lib/server/db/client";
import { findVisiblePipeline } from "@/lib/server/pipelines/visibility";
import { maskValue } from "@/lib/server/secrets/mask";
import type { Viewer } from "@/lib/server/session";

export interface SourceRevision {
  actionName: string | null;
  revisionId: string | null;
  revisionSummary: string | null;
  revisionUrl: string | null;
}

export interface ExecutionDetail {
  pipeline: { id: string; name: string; repository: string | null };
  executionId: string;
  status: string;
  statusSummary: string | null;
  triggerType: string | null;
  triggerDetail: string | null;
  executionMode: string | null;
  executionType: string | null;
  rollbackTargetExecutionId: string | null;
  stopReason: string | null;
  pipelineVersion: number | null;
  startTime: Date;
  lastUpdateTime: Date;
  finished: boolean;
  commitSha: string | null;
  commitMessage: string | null;
  commitUrl: string | null;
  branch: string | null;
  variables: { name: string; value: string | null }[];
  revisions: SourceRevision[];
  timeline: { totalMs: number; rows: TimelineRow[] };
  /** The GitHub login of whoever started it from Stageboard. */
  startedBy: string | null;
  /** The commit of the execution started before it, for a compare view. */
  previousCommitSha: string | null;
  /** The provider of the pipeline's source connection, to name a connection trigger. */
  connectionProvider: string | null;
}

const str = (value: unknown) => (typeof value === "string" ? value : null);

/** Stored JSON is ours, but older rows may predate a field: read it defensively. */
function readRevisions(json: unknown): SourceRevision[] {
  if (!Array.isArray(json)) return [];
  return json.flatMap((r: unknown) => {
    if (!r || typeof r !== "object") return [];
    const o = r as Record<string, unknown>;
    return [
      {
        actionName: str(o.actionName),
        revisionId: str(o.revisionId),
        revisionSummary: str(o.revisionSummary),
        revisionUrl: str(o.revisionUrl),
      },
    ];
  });
}

/**
 * Resolved variables, masked again on the way out: the sync engine masks before storing, and this
 * also covers rows stored before that, or under rules (SECRET_NAME_PATTERNS) since widened.
 */
function readVariables(json: unknown): { name: string; value: string | null }[] {
  if (!Array.isArray(json)) return [];
  return json.flatMap((v: unknown) => {
    if (!v || typeof v !== "object") return [];
    const o = v as Record<string, unknown>;
    const name = str(o.name);
    return name ? [{ name, value: maskValue(name, str(o.resolvedValue) ?? str(o.value) ?? str(o.defaultValue)) }] : [];
  });
}

/** One execution with its commits and Gantt timeline; null means 404 (unknown or not visible). */
export async function getExecutionDetail(
  viewer: Viewer,
  pipelineId: string,
  executionId: string,
  deps: { db?: Db; now?: Date } = {},
): Promise<ExecutionDetail | null> {
  const db = deps.db ?? appDb;
  // Access first, by primary key (shared with the segment layout's check within a request).
  const visible = await findVisiblePipeline(db, viewer, pipelineId);
  if (!visible || visible.deleted) return null;
  const pipeline = await db.pipeline.findUnique({
    where: { id: pipelineId },
    select: {
      id: true,
      name: true,
      repository: { select: { fullName: true, githubFullName: true } },
      sourceConnectionProvider: true,
      stages: { select: { name: true, position: true }, orderBy: { position: "asc" } },
    },
  });
  if (!pipeline) return null;
  const execution = await db.execution.findUnique({
    where: { pipelineId_executionId: { pipelineId, executionId } },
    include: { stageExecutions: true, actionExecutions: true, ruleExecutions: true },
  });
  if (!execution) return null;
  const [starter, previous] = await Promise.all([
    db.executionStarter.findUnique({
      where: { pipelineId_executionId: { pipelineId, executionId } },
      select: { login: true },
    }),
    db.execution.findFirst({
      where: { pipelineId, startTime: { lt: execution.startTime }, commitSha: { not: null } },
      orderBy: { startTime: "desc" },
      select: { commitSha: true },
    }),
  ]);
  const finished =
    execution.completedAt !== null ||
    ["Succeeded", "Failed", "Stopped", "Superseded", "Cancelled"].includes(execution.status);
  const timeline = buildTimeline({
    start: execution.startTime,
    end: finished ? execution.lastUpdateTime : null,
    now: deps.now ?? new Date(),
    stageOrder: pipeline.stages.map((s) => s.name),
    stages: execution.stageExecutions.map((s) => ({
      stageName: s.stageName,
      name: s.stageName,
      status: s.status,
      startTime: s.startTime,
      endTime: s.endTime,
    })),
    actions: execution.actionExecutions.map((a) => ({
      stageName: a.stageName,
      name: a.actionName,
      status: a.status,
      startTime: a.startTime,
      endTime: a.status === "InProgress" ? null : a.lastUpdateTime,
      errorMessage: a.errorMessage,
      summary: a.externalExecutionSummary,
    })),
    rules: execution.ruleExecutions.map((r) => ({
      stageName: r.stageName,
      name: r.ruleName,
      status: r.status,
      startTime: r.startTime,
      endTime: r.status === "InProgress" ? null : r.lastUpdateTime,
      errorMessage: r.errorMessage,
      summary: r.summary,
    })),
  });
  return {
    pipeline: {
      id: pipeline.id,
      name: pipeline.name,
      repository: pipeline.repository?.githubFullName ?? pipeline.repository?.fullName ?? null,
    },
    executionId: execution.executionId,
    status: execution.status,
    statusSummary: execution.statusSummary,
    triggerType: execution.triggerType,
    triggerDetail: execution.triggerDetail,
    executionMode: execution.executionMode,
    executionType: execution.executionType,
    rollbackTargetExecutionId: execution.rollbackTargetExecutionId,
    stopReason: execution.stopReason,
    pipelineVersion: execution.pipelineVersion,
    startTime: execution.startTime,
    lastUpdateTime: execution.lastUpdateTime,
    finished,
    commitSha: execution.commitSha,
    commitMessage: execution.commitMessage,
    commitUrl: execution.commitUrl,
    branch: execution.branch,
    variables: readVariables(execution.variables),
    revisions: readRevisions(execution.sourceRevisions),
    timeline,
    startedBy: starter?.login ?? null,
    previousCommitSha: previous?.commitSha ?? null,
    connectionProvider: pipeline.sourceConnectionProvider,
  };
}
