import "server-only";
import { compareByAttention } from "@/lib/pipelines/attention";
import { OVERVIEW_RENDER_LIMIT, type OverviewFilters } from "@/lib/pipelines/schemas";
import { db as appDb, type Db } from "@/lib/server/db/client";
import { attachLatest, loadPipelineSummaries, type PipelineRow } from "@/lib/server/pipelines/load-pipeline-rows";
import { visiblePipelinesSql } from "@/lib/server/pipelines/visibility";
import type { Viewer } from "@/lib/server/session";

export interface RepositoryGroup {
  /** Null groups the pipelines without a GitHub source (administrators only). */
  fullName: string | null;
  needsAttention: boolean;
  pipelines: PipelineRow[];
}

export interface Overview {
  attention: RepositoryGroup[];
  rest: RepositoryGroup[];
  /** Pipelines the viewer can see, before filtering: tells "nothing matches" from "nothing yet". */
  total: number;
  /** Pipelines matching the filters, over all pages. */
  shown: number;
  /** Rows on this page (at most OVERVIEW_RENDER_LIMIT unless `all`). */
  rendered: number;
  /** This page (from 1) and how many there are; the rows on it start at `firstRow` (from 1). */
  page: number;
  pageCount: number;
  firstRow: number;
}

/**
 * The rows from `offset` to `offset + limit` of the groups in order, a group cut where the page starts or ends:
 * the attention section and the rest are paged as one list, so page 2 continues where page 1 stopped.
 */
export function pageGroups(
  sections: RepositoryGroup[][],
  offset: number,
  limit: number,
): { sections: RepositoryGroup[][]; rendered: number } {
  let skip = offset;
  let left = limit;
  let rendered = 0;
  const out = sections.map((groups) => {
    const kept: RepositoryGroup[] = [];
    for (const group of groups) {
      if (left <= 0) break;
      const n = group.pipelines.length;
      if (skip >= n) {
        skip -= n;
        continue;
      }
      const pipelines = group.pipelines.slice(skip, skip + left);
      skip = 0;
      left -= pipelines.length;
      rendered += pipelines.length;
      kept.push(pipelines.length === n ? group : { ...group, pipelines });
    }
    return kept;
  });
  return { sections: out, rendered };
}

export function matchesFilters(row: PipelineRow, filters: OverviewFilters): boolean {
  if (filters.q) {
    const q = filters.q.toLowerCase();
    if (!row.name.toLowerCase().includes(q) && !(row.repository ?? "").toLowerCase().includes(q)) return false;
  }
  switch (filters.status) {
    case undefined:
      return true;
    case "attention":
      return row.attention.length > 0;
    case "failed":
      return row.latestStatus === "Failed";
    case "running":
      return row.latestStatus === "InProgress" || row.latestStatus === "Stopping";
    case "succeeded":
      return row.latestStatus === "Succeeded";
    case "approval":
      return row.pendingApprovals > 0;
    case "stopped":
      return row.latestStatus === "Stopped" || row.latestStatus === "Superseded" || row.latestStatus === "Cancelled";
    case "none":
      return row.latestStatus === null;
  }
}

/** Groups rows by repository; groups needing attention come first, each group's rows in attention order. */
export function groupRows(rows: PipelineRow[]): { attention: RepositoryGroup[]; rest: RepositoryGroup[] } {
  const groups = new Map<string | null, PipelineRow[]>();
  for (const row of rows) {
    const group = groups.get(row.repository);
    if (group) group.push(row);
    else groups.set(row.repository, [row]);
  }
  const all = [...groups].map(([fullName, pipelines]) => {
    pipelines.sort(compareByAttention);
    return { fullName, needsAttention: pipelines.some((p) => p.attention.length > 0), pipelines };
  });
  const lead = (g: RepositoryGroup) => g.pipelines[0];
  const attention = all
    .filter((g) => g.needsAttention)
    .sort((a, b) => {
      const [x, y] = [lead(a), lead(b)];
      return x && y ? compareByAttention(x, y) : 0;
    });
  const rest = all
    .filter((g) => !g.needsAttention)
    .sort((a, b) => (a.fullName ?? "\uffff").localeCompare(b.fullName ?? "\uffff"));
  return { attention, rest };
}

/**
 * The home page: visible pipelines grouped by repository, "needs attention" first. Ordering and
 * filtering use a light summary of every pipeline; commits and current stages are read only for the
 * rows of the page shown (OVERVIEW_RENDER_LIMIT of them unless `all`).
 */
export async function getOverview(
  viewer: Viewer,
  filters: OverviewFilters,
  deps: { db?: Db; now?: Date } = {},
): Promise<Overview> {
  const db = deps.db ?? appDb;
  const rows = await loadPipelineSummaries(db, visiblePipelinesSql(viewer), deps.now ?? new Date());
  const shownRows = rows.filter((row) => matchesFilters(row, filters));
  const grouped = groupRows(shownRows);
  const pageCount = filters.all ? 1 : Math.max(1, Math.ceil(shownRows.length / OVERVIEW_RENDER_LIMIT));
  const page = Math.min(filters.page ?? 1, pageCount);
  const offset = (page - 1) * OVERVIEW_RENDER_LIMIT;
  const {
    sections: [attention = [], rest = []],
  } = pageGroups([grouped.attention, grouped.rest], offset, filters.all ? Infinity : OVERVIEW_RENDER_LIMIT);
  const rendered = [...attention, ...rest].flatMap((g) => g.pipelines);
  await attachLatest(db, rendered);
  return {
    attention,
    rest,
    total: rows.length,
    shown: shownRows.length,
    rendered: rendered.length,
    page,
    pageCount,
    firstRow: offset + 1,
  };
}
