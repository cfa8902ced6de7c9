import "server-only";
import { decodeCursor, encodeCursor } from "@/lib/pipelines/cursor";
import type { HistoryFilters } from "@/lib/pipelines/schemas";
import type { Prisma } from "@/lib/generated/prisma/client";
import { db as appDb, type Db } from "@/lib/server/db/client";
import { findVisiblePipeline } from "@/lib/server/pipelines/visibility";
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
export async function listExecutions(
  viewer: Viewer,
  pipelineId: string,
  filters: HistoryFilters,
  deps: { db?: Db; limit?: number } = {},
): Promise<ExecutionPage | null> {
  const db = deps.db ?? appDb;
  const limit = deps.limit ?? PAGE_SIZE;
  const pipeline = await findVisiblePipeline(db, viewer, pipelineId);
  if (!pipeline || pipeline.deleted) return null;
  const cursor = decodeCursor(filters.cursor);
  const where: Prisma.ExecutionWhereInput = {
    pipelineId,
    ...(filters.status ? { status: filters.status } : {}),
    ...(filters.branch ? { branch: filters.branch } : {}),
    ...(filters.trigger ? { triggerType: filters.trigger } : {}),
    ...(filters.commit ? { commitSha: { startsWith: filters.commit } } : {}),
    ...(cursor
      ? { startTime: { lte: cursor.startTime }, NOT: { startTime: cursor.startTime, id: { lte: cursor.id } } }
      : {}),
  };
  const rows = await db.execution.findMany({
    where,
    select: SELECT,
    orderBy: [{ startTime: "desc" }, { id: "asc" }],
    take: limit + 1,
  });
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return {
    pipeline: { id: pipeline.id, name: pipeline.name, repository: pipeline.repository },
    items,
    nextCursor: rows.length > limit && last ? encodeCursor({ startTime: last.startTime, id: last.id }) : null,
  };
}

/** Newest executions across some pipelines (already checked visible by the caller). */
export async function listRecentExecutions(db: Db, pipelineIds: string[], limit: number): Promise<ExecutionListItem[]> {
  if (pipelineIds.length === 0) return [];
  return db.execution.findMany({
    where: { pipelineId: { in: pipelineIds } },
    select: SELECT,
    orderBy: [{ startTime: "desc" }, { id: "asc" }],
    take: limit,
  });
}

type FilterOptionsRow = { statuses: string[] | null; branches: string[] | null; triggers: string[] | null };

/** Distinct values offered by the history filters (bounded: recent executions only). */
export async function historyFilterOptions(
  db: Db,
  pipelineId: string,
): Promise<{ statuses: string[]; branches: string[]; triggers: string[] }> {
  // Postgres reduces the 500 rows to the few distinct values, so only those cross the wire.
  const [row] = await db.$queryRaw<FilterOptionsRow[]>`
    SELECT array_agg(DISTINCT status) FILTER (WHERE status <> '') AS statuses,
           array_agg(DISTINCT branch) FILTER (WHERE branch <> '') AS branches,
           array_agg(DISTINCT "triggerType") FILTER (WHERE "triggerType" <> '') AS triggers
    FROM (SELECT status, branch, "triggerType" FROM "Execution" WHERE "pipelineId" = ${pipelineId} ORDER BY "startTime" DESC LIMIT 500) recent`;
  // Sorted here, as before, by code unit rather than by the database's collation.
  const sorted = (values: string[] | null | undefined) => (values ?? []).sort();
  return { statuses: sorted(row?.statuses), branches: sorted(row?.branches), triggers: sorted(row?.triggers) };
}
