import "server-only";
import { decodeCursor, encodeCursor } from "@/lib/pipelines/cursor";
import type { HistoryFilters } from "@/lib/pipelines/schemas";
import type { Prisma } from "@/lib/generated/prisma/client";
import { db as appDb, type Db } from "@/lib/server/db/client";
import { visiblePipelines } from "@/lib/server/pipelines/visibility";
import type { Viewer } from "@/lib/server/session";

export interface ExecutionListItem {
  id: string;
  pipelineId: string;
  executionId: string;
  status: string;
  statusSummary: string | null;
  triggerType: string | null;
  triggerDetail: string | null;
  commitSha: string | null;
  commitMessage: string | null;
  commitUrl: string | null;
  branch: string | null;
  startTime: Date;
  lastUpdateTime: Date;
  completedAt: Date | null;
}

const SELECT = {
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
} satisfies Prisma.ExecutionSelect;

export const PAGE_SIZE = 50;

export interface ExecutionPage {
  pipeline: { id: string; name: string; repository: string | null };
  items: ExecutionListItem[];
  nextCursor: string | null;
}

/**
 * One page of a pipeline's history, newest first, by keyset: `startTime <= cursor` is an index range
 * on (pipelineId, [status|branch|triggerType,] startTime DESC), so page 10,000 costs what page 1 does.
 * The NOT clause only drops the few rows sharing the cursor's start time that were already shown.
 */
export async function listExecutions(viewer: Viewer, pipelineId: string, filters: HistoryFilters, deps: { db?: Db; limit?: number } = {}): Promise<ExecutionPage | null> {
  const db = deps.db ?? appDb;
  const limit = deps.limit ?? PAGE_SIZE;
  const pipeline = await db.pipeline.findFirst({
    where: { AND: [visiblePipelines(viewer), { id: pipelineId, deletedAt: null }] },
    select: { id: true, name: true, repository: { select: { fullName: true } } },
  });
  if (!pipeline) return null;
  const cursor = decodeCursor(filters.cursor);
  const where: Prisma.ExecutionWhereInput = {
    pipelineId,
    ...(filters.status ? { status: filters.status } : {}),
    ...(filters.branch ? { branch: filters.branch } : {}),
    ...(filters.trigger ? { triggerType: filters.trigger } : {}),
    ...(filters.commit ? { commitSha: { startsWith: filters.commit } } : {}),
    ...(cursor ? { startTime: { lte: cursor.startTime }, NOT: { startTime: cursor.startTime, id: { lte: cursor.id } } } : {}),
  };
  const rows = await db.execution.findMany({ where, select: SELECT, orderBy: [{ startTime: "desc" }, { id: "asc" }], take: limit + 1 });
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return {
    pipeline: { id: pipeline.id, name: pipeline.name, repository: pipeline.repository?.fullName ?? null },
    items,
    nextCursor: rows.length > limit && last ? encodeCursor({ startTime: last.startTime, id: last.id }) : null,
  };
}

/** Newest executions across some pipelines (already checked visible by the caller). */
export async function listRecentExecutions(db: Db, pipelineIds: string[], limit: number): Promise<ExecutionListItem[]> {
  if (pipelineIds.length === 0) return [];
  return db.execution.findMany({ where: { pipelineId: { in: pipelineIds } }, select: SELECT, orderBy: [{ startTime: "desc" }, { id: "asc" }], take: limit });
}

/** Distinct values offered by the history filters (bounded: recent executions only). */
export async function historyFilterOptions(db: Db, pipelineId: string): Promise<{ statuses: string[]; branches: string[]; triggers: string[] }> {
  const recent = await db.execution.findMany({ where: { pipelineId }, select: { status: true, branch: true, triggerType: true }, orderBy: { startTime: "desc" }, take: 500 });
  const distinct = (values: (string | null)[]) => [...new Set(values.filter((v): v is string => Boolean(v)))].sort();
  return { statuses: distinct(recent.map((r) => r.status)), branches: distinct(recent.map((r) => r.branch)), triggers: distinct(recent.map((r) => r.triggerType)) };
}
