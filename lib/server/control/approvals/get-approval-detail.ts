import "server-only";
import type { ApprovalDetail } from "@/lib/control/contract";
import { Prisma } from "@/lib/generated/prisma/client";
import { db as appDb, type Db } from "@/lib/server/db/client";
import type { Viewer } from "@/lib/server/session";
import { resolveChange } from "./commit-authors";
import { approvalRowsSql, approvalView, type ApprovalRow } from "./list-inbox";

// The approval panel: what is being approved. The change's commits are resolved from GitHub's compare the
// first time anyone looks (with that viewer's token) and kept, so the decision after it costs no compare.

/** The approval with its context, or null when it does not exist or the viewer cannot see its pipeline. */
export async function getApprovalDetail(
  viewer: Viewer,
  id: string,
  deps: { db?: Db; now?: Date } = {},
): Promise<ApprovalDetail | null> {
  const db = deps.db ?? appDb;
  const now = deps.now ?? new Date();
  const [row] = await db.$queryRaw<ApprovalRow[]>(approvalRowsSql(viewer, Prisma.sql`a.id = ${id}`));
  if (!row) return null;
  const scope = row.executionId
    ? { pipelineId: row.pipelineId, executionId: row.executionId, stageName: row.stageName }
    : null;
  const [change, starter, execution, stages] = await Promise.all([
    scope && row.repository ? resolveChange(db, scope, row.repository, viewer.userId) : null,
    scope
      ? db.executionStarter.findUnique({
          where: { pipelineId_executionId: { pipelineId: scope.pipelineId, executionId: scope.executionId } },
        })
      : null,
    scope
      ? db.execution.findUnique({
          where: { pipelineId_executionId: { pipelineId: scope.pipelineId, executionId: scope.executionId } },
          select: { id: true, triggerType: true, triggerDetail: true },
        })
      : null,
    db.stage.findMany({ where: { pipelineId: row.pipelineId }, orderBy: { position: "asc" }, select: { name: true } }),
  ]);
  // The view after the change is resolved, so its advisory rights see the authors.
  const view = await approvalView(db, viewer, row, now);
  const before = stages.slice(
    0,
    stages.findIndex((s) => s.name === row.stageName),
  );
  const runs = execution
    ? await db.stageExecution.findMany({
        where: { executionId: execution.id },
        select: { stageName: true, status: true },
      })
    : [];
  const trigger = execution?.triggerType
    ? `${execution.triggerType}${execution.triggerDetail ? ` (${execution.triggerDetail.slice(0, 200)})` : ""}`
    : null;
  return {
    ...view,
    commits: (change?.commits ?? []).map(({ authorGithubId: _id, ...commit }) => commit),
    totalCommits: change?.totalCommits ?? 0,
    compareUrl: change?.compareUrl ?? null,
    startedBy: starter ? `@${starter.login} via Stageboard` : trigger,
    previousStages: before.map((s) => ({
      name: s.name,
      status: runs.find((r) => r.stageName === s.name)?.status ?? "NotRun",
    })),
  };
}
