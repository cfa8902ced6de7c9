import "server-only";
import { attentionReasons, type AttentionReason } from "@/lib/pipelines/attention";
import { Prisma } from "@/lib/generated/prisma/client";
import type { Db } from "@/lib/server/db/client";
import { isStale } from "@/lib/server/pipelines/staleness";
import { legacyStateSql, storedPositionSql } from "@/lib/server/sync/snapshot/sql";
import { positionFromColumns } from "@/lib/server/sync/snapshot/stored-state";
import { REPOSITORY_NAME_SQL } from "@/lib/server/pipelines/visibility";

export interface LatestExecution {
  executionId: string;
  status: string;
  commitSha: string | null;
  commitMessage: string | null;
  commitUrl: string | null;
  branch: string | null;
  triggerType: string | null;
  startTime: Date;
  lastUpdateTime: Date;
}

/** One pipeline as the overview and repository pages list it. */
export interface PipelineRow {
  id: string;
  name: string;
  repository: string | null;
  accountId: string;
  region: string;
  latestStatus: string | null;
  latestStartTime: Date | null;
  pendingApprovals: number;
  disabledTransitions: number;
  syncStale: boolean;
  attention: AttentionReason[];
  /** Filled by attachLatest, only for the rows a page shows. */
  currentStage: string | null;
  /** The latest execution waits to enter currentStage (held at its inbound transition, or queued). */
  waitingForStage: boolean;
  latest: LatestExecution | null;
}

/** Column by column, one array per field, in the same order. */
type SummaryColumns = [
  ids: string[],
  names: string[],
  repositories: (string | null)[],
  targetIds: string[],
  failures: (number | null)[],
  latestStatuses: (string | null)[],
  latestStartTimes: (number | null)[],
  pendingApprovals: number[],
  disabledTransitions: number[],
];
type SummaryTarget = [
  id: string,
  accountId: string,
  region: string,
  lastSuccessAt: number | null,
  lastErrorAt: number | null,
];

/** A sync that keeps failing makes the stored state untrustworthy even while its target answers. */
const FAILURES_BEFORE_STALE = 3;
const date = (ms: number | string | null | undefined) => (ms == null ? null : new Date(Number(ms)));

/**
 * Every live pipeline matching `condition` (SQL over `p` and `r` that must include the viewer's
 * visibility, see visiblePipelinesSql), with what ordering and filtering need: status, start time
 * and the attention facts. The facts come from rows the sync engine derives from each state
 * snapshot (Stage transitions, pending Approval rows); reading 2,000 snapshots' JSON would cost
 * ~100 ms alone. The result is one JSON value per column rather than 2,000 rows, which the driver
 * decodes several times faster, and the few targets come once rather than once per pipeline.
 * Times are epoch milliseconds computed in floating point (exact for millisecond timestamps),
 * which Postgres does far faster than numeric arithmetic.
 */
export async function loadPipelineSummaries(db: Db, condition: Prisma.Sql, now: Date): Promise<PipelineRow[]> {
  const [result] = await db.$queryRaw<{ columns: SummaryColumns | null; targets: SummaryTarget[] | null }[]>`
    SELECT (
      SELECT json_build_array(json_agg(p.id), json_agg(p.name), json_agg(${REPOSITORY_NAME_SQL}), json_agg(p."targetId"), json_agg(s."consecutiveFailures"),
                              json_agg(p."latestStatus"), json_agg((date_part('epoch', p."latestStartTime") * 1000)::bigint),
                              json_agg(COALESCE(ap.n, 0)), json_agg(COALESCE(tr.n, 0)))
      FROM "Pipeline" p
      LEFT JOIN "Repository" r ON r.id = p."repositoryId"
      LEFT JOIN "PipelineSync" s ON s."pipelineId" = p.id
      LEFT JOIN (SELECT "pipelineId", count(*) AS n FROM "Stage" WHERE NOT "transitionEnabled" GROUP BY "pipelineId") tr ON tr."pipelineId" = p.id
      LEFT JOIN (SELECT "pipelineId", count(*) AS n FROM "Approval" WHERE status = 'Pending' GROUP BY "pipelineId") ap ON ap."pipelineId" = p.id
      WHERE p."deletedAt" IS NULL AND ${condition}
    ) AS columns, (
      SELECT json_agg(json_build_array(t.id, t."accountId", t.region, (date_part('epoch', t."lastSuccessAt") * 1000)::bigint, (date_part('epoch', t."lastErrorAt") * 1000)::bigint)) FROM "Target" t
    ) AS targets`;
  const [ids, names, repositories, targetIds, failures, statuses, starts, approvals, transitions] =
    result?.columns ?? [];
  if (!ids || !names || !repositories || !targetIds || !failures || !statuses || !starts || !approvals || !transitions)
    return [];
  const targets = new Map(
    (result?.targets ?? []).map(([id, accountId, region, lastSuccessAt, lastErrorAt]) => [
      id,
      {
        accountId,
        region,
        stale: isStale({ lastSuccessAt: date(lastSuccessAt), lastErrorAt: date(lastErrorAt) }, now),
      },
    ]),
  );
  return ids.map((id, i) => {
    const target = targets.get(targetIds[i] ?? "");
    const latestStatus = statuses[i] ?? null;
    const pendingApprovals = Number(approvals[i] ?? 0);
    const disabledTransitions = Number(transitions[i] ?? 0);
    const syncStale = (target?.stale ?? true) || (failures[i] ?? 0) >= FAILURES_BEFORE_STALE;
    return {
      id,
      name: names[i] ?? "",
      repository: repositories[i] ?? null,
      accountId: target?.accountId ?? "",
      region: target?.region ?? "",
      latestStatus,
      latestStartTime: date(starts[i]),
      pendingApprovals,
      disabledTransitions,
      syncStale,
      attention: attentionReasons({ latestStatus, pendingApprovals, disabledTransitions, syncStale }),
      currentStage: null,
      waitingForStage: false,
      latest: null,
    };
  });
}

type LatestRow = Omit<LatestExecution, "startTime" | "lastUpdateTime"> & {
  pipelineId: string;
  startTime: number;
  lastUpdateTime: number;
  /** Where the stored state places the execution (see lib/server/sync/snapshot). */
  position: unknown;
  legacyState: unknown;
  stageFromRows: string | null;
};

/**
 * Adds the latest execution (commit, branch, trigger, duration) and where it is, for the rows a page
 * actually shows. Where it is comes from the stored state snapshot, which alone knows an execution
 * held before a stage: the stage it runs in, else the stage it waits to enter, else the last stage
 * it reached. When the snapshot does not mention the execution (not synced yet, or a newer one
 * started since), the stage rows of the execution answer instead: where it runs, else the last
 * stage it reached.
 */
export async function attachLatest(db: Db, rows: PipelineRow[]): Promise<void> {
  if (rows.length === 0) return;
  const [result] = await db.$queryRaw<{ rows: LatestRow[] | null }[]>`
    SELECT json_agg(q) AS rows FROM (
      SELECT p.id AS "pipelineId", e."executionId", e.status, e."commitSha", left(split_part(e."commitMessage", E'\\n', 1), 200) AS "commitMessage",
             e."commitUrl", e.branch, e."triggerType", (date_part('epoch', e."startTime") * 1000)::bigint AS "startTime",
             (date_part('epoch', e."lastUpdateTime") * 1000)::bigint AS "lastUpdateTime",
             ${storedPositionSql(Prisma.raw("p.state"), Prisma.raw('e."executionId"'))} AS "position",
             ${legacyStateSql(Prisma.raw("p.state"))} AS "legacyState", cur."stageName" AS "stageFromRows"
      FROM "Pipeline" p
      JOIN "Execution" e ON e."pipelineId" = p.id AND e."executionId" = p."latestExecutionId"
      LEFT JOIN LATERAL (
        SELECT se."stageName" FROM "StageExecution" se
        LEFT JOIN "Stage" st ON st."pipelineId" = p.id AND st.name = se."stageName"
        WHERE se."executionId" = e.id
        ORDER BY se.status IN ('InProgress', 'Stopping') DESC, st.position DESC NULLS LAST
        LIMIT 1
      ) cur ON true
      WHERE p.id = ANY(${rows.map((r) => r.id)}::text[])
    ) q`;
  const byId = new Map((result?.rows ?? []).map((row) => [row.pipelineId, row]));
  for (const row of rows) {
    const found = byId.get(row.id);
    if (!found) continue;
    const { pipelineId: _, position, legacyState, stageFromRows, startTime, lastUpdateTime, ...latest } = found;
    const placed = positionFromColumns(position, legacyState, found.executionId);
    row.currentStage = placed?.stage ?? stageFromRows;
    row.waitingForStage = placed?.waiting ?? false;
    row.latest = {
      ...latest,
      startTime: new Date(Number(startTime)),
      lastUpdateTime: new Date(Number(lastUpdateTime)),
    };
  }
}
