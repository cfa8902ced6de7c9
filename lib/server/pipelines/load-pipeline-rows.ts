import "server-only";
import { attentionReasons, type AttentionReason } from "@/lib/pipelines/attention";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { Db } from "@/lib/server/db/client";
import { isStale } from "@/lib/server/pipelines/staleness";

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
  latest: LatestExecution | null;
}

type SummaryRow = {
  id: string;
  name: string;
  repository: string | null;
  accountId: string;
  region: string;
  targetLastSuccessAt: number | null;
  failures: number | null;
  latestStatus: string | null;
  latestStartTime: number | null;
  pendingApprovals: number;
  disabledTransitions: number;
};

/** A sync that keeps failing makes the stored state untrustworthy even while its target answers. */
const FAILURES_BEFORE_STALE = 3;
const date = (ms: number | string | null) => (ms === null ? null : new Date(Number(ms)));

/**
 * Every pipeline matching `where` (which must include the viewer's visibility filter), with what
 * ordering and filtering need: status, start time and the attention facts. The facts come from rows
 * the sync engine derives from each state snapshot (Stage transitions, pending Approval rows);
 * reading 2,000 snapshots' JSON would cost ~100 ms alone. The result is one JSON value rather than
 * 2,000 rows × 11 columns, which the driver decodes several times faster.
 */
export async function loadPipelineSummaries(db: Db, where: Prisma.PipelineWhereInput, now: Date): Promise<PipelineRow[]> {
  const visible = await db.pipeline.findMany({ where: { AND: [where, { deletedAt: null }] }, select: { id: true } });
  if (visible.length === 0) return [];
  const [result] = await db.$queryRaw<{ rows: SummaryRow[] | null }[]>`
    SELECT json_agg(q) AS rows FROM (
      SELECT p.id, p.name, r."fullName" AS repository, t."accountId", t.region,
             (extract(epoch FROM t."lastSuccessAt") * 1000)::bigint AS "targetLastSuccessAt", s."consecutiveFailures" AS failures,
             p."latestStatus", (extract(epoch FROM p."latestStartTime") * 1000)::bigint AS "latestStartTime",
             COALESCE(ap.n, 0)::int AS "pendingApprovals", COALESCE(tr.n, 0)::int AS "disabledTransitions"
      FROM "Pipeline" p
      JOIN "Target" t ON t.id = p."targetId"
      LEFT JOIN "Repository" r ON r.id = p."repositoryId"
      LEFT JOIN "PipelineSync" s ON s."pipelineId" = p.id
      LEFT JOIN (SELECT "pipelineId", count(*) AS n FROM "Stage" WHERE NOT "transitionEnabled" GROUP BY "pipelineId") tr ON tr."pipelineId" = p.id
      LEFT JOIN (SELECT "pipelineId", count(*) AS n FROM "Approval" WHERE status = 'Pending' GROUP BY "pipelineId") ap ON ap."pipelineId" = p.id
      WHERE p.id = ANY(${visible.map((v) => v.id)}::text[])
    ) q`;
  return (result?.rows ?? []).map((row) => {
    const syncStale = isStale(date(row.targetLastSuccessAt), now) || (row.failures ?? 0) >= FAILURES_BEFORE_STALE;
    return {
      id: row.id,
      name: row.name,
      repository: row.repository,
      accountId: row.accountId,
      region: row.region,
      latestStatus: row.latestStatus,
      latestStartTime: date(row.latestStartTime),
      pendingApprovals: row.pendingApprovals,
      disabledTransitions: row.disabledTransitions,
      syncStale,
      attention: attentionReasons({ latestStatus: row.latestStatus, pendingApprovals: row.pendingApprovals, disabledTransitions: row.disabledTransitions, syncStale }),
      currentStage: null,
      latest: null,
    };
  });
}

type LatestRow = Omit<LatestExecution, "startTime" | "lastUpdateTime"> & { pipelineId: string; startTime: number; lastUpdateTime: number; currentStage: string | null };

/**
 * Adds the latest execution (commit, branch, trigger, duration) and the stage it is in, for the rows
 * a page actually shows. The current stage is where it runs, else the last stage it reached.
 */
export async function attachLatest(db: Db, rows: PipelineRow[]): Promise<void> {
  if (rows.length === 0) return;
  const [result] = await db.$queryRaw<{ rows: LatestRow[] | null }[]>`
    SELECT json_agg(q) AS rows FROM (
      SELECT p.id AS "pipelineId", e."executionId", e.status, e."commitSha", left(split_part(e."commitMessage", E'\\n', 1), 200) AS "commitMessage",
             e."commitUrl", e.branch, e."triggerType", (extract(epoch FROM e."startTime") * 1000)::bigint AS "startTime",
             (extract(epoch FROM e."lastUpdateTime") * 1000)::bigint AS "lastUpdateTime", cur."stageName" AS "currentStage"
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
    const { pipelineId: _, currentStage, startTime, lastUpdateTime, ...latest } = found;
    row.currentStage = currentStage;
    row.latest = { ...latest, startTime: new Date(Number(startTime)), lastUpdateTime: new Date(Number(lastUpdateTime)) };
  }
}
