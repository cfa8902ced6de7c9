// Incremental refresh of a pipeline whose state moved or that has open executions: new executions from the
// first page(s) of ListPipelineExecutions, then action executions of the open ones only. A finished execution
// whose details are stored (completedAt) is never fetched again.
import type { ExecutionSummaryInfo, PipelineStateInfo } from "@/lib/server/aws/types";
import { isFinalExecutionStatus } from "./execution-status";
import { settleApprovals, upsertPendingApprovals, type PendingApproval } from "./store-approvals";
import {
  applyExecutionDetail,
  deriveStageExecutions,
  type PipelineContext,
  upsertActionExecutions,
  upsertExecutionSummaries,
  upsertRuleExecutions,
} from "./store-executions";
import { refreshLatest, storeState } from "./store-state";
import type { SyncContext } from "./sync-context";

const RECENT_PAGE = 20;
const MAX_RECENT_PAGES = 5;

export interface RefreshResult {
  /** Executions still running after this refresh. */
  open: number;
  /** Whether anything new was stored. */
  changed: boolean;
}

async function fetchRecent(
  ctx: SyncContext,
  pipeline: PipelineContext,
): Promise<{ seen: Map<string, ExecutionSummaryInfo>; changedIds: Set<string>; changed: boolean }> {
  const seen = new Map<string, ExecutionSummaryInfo>();
  const changedIds = new Set<string>();
  let changed = false;
  let token: string | null = null;
  for (let page = 0; page < MAX_RECENT_PAGES; page++) {
    const result = await ctx.api.listExecutions(pipeline.name, RECENT_PAGE, token);
    const stored = await upsertExecutionSummaries(ctx.db, pipeline, result.items, new Date(ctx.now()));
    for (const item of result.items) seen.set(item.executionId, item);
    changed ||= stored.some((s) => s.changed);
    for (const s of stored) if (s.changed || s.isNew) changedIds.add(s.executionId);
    token = result.nextToken;
    // Keep paging only while a whole page was new: past that point everything is already stored.
    if (!token || stored.some((s) => !s.isNew)) break;
  }
  return { seen, changedIds, changed };
}

export async function refreshPipeline(
  ctx: SyncContext,
  pipeline: PipelineContext & { executionMode: string | null; hasConditions: boolean },
  state: PipelineStateInfo,
  timeouts: Map<string, number>,
): Promise<RefreshResult> {
  const { db, api } = ctx;
  const now = () => new Date(ctx.now());
  const { seen: recent, changedIds, changed: executionsChanged } = await fetchRecent(ctx, pipeline);
  let changed = executionsChanged;
  const open = await db.execution.findMany({
    where: { pipelineId: pipeline.id, completedAt: null },
    select: { id: true, executionId: true, status: true },
    orderBy: { startTime: "desc" },
  });
  let stillOpen = 0;
  const touched = new Set<string>();
  for (const execution of open) {
    let status = execution.status;
    if (!recent.has(execution.executionId)) {
      // Too old for the first page but not finished when last seen: ask for it by id.
      const detail = await api.getExecution(pipeline.name, execution.executionId).catch((error: unknown) => {
        if (error instanceof Error && "kind" in error && error.kind === "not-found") return null;
        throw error;
      });
      if (!detail) {
        await db.execution.update({ where: { id: execution.id }, data: { completedAt: now() } });
        continue;
      }
      await applyExecutionDetail(db, pipeline, execution.id, detail);
      status = detail.status;
    }
    // An execution whose summary (status, last update) did not move has no new action executions either.
    if (recent.has(execution.executionId) && !changedIds.has(execution.executionId) && !isFinalExecutionStatus(status)) {
      stillOpen++;
      continue;
    }
    let token: string | null = null;
    do {
      const page = await api.listActionExecutions(pipeline.name, { executionId: execution.executionId, nextToken: token });
      for (const id of await upsertActionExecutions(db, pipeline.id, page.items)) {
        touched.add(id);
        changed = true;
      }
      token = page.nextToken;
    } while (token);
    touched.add(execution.id);
    if (pipeline.hasConditions) {
      const rules = await api.listRuleExecutions(pipeline.name, { executionId: execution.executionId });
      await upsertRuleExecutions(db, pipeline.id, rules.items);
    }
    if (isFinalExecutionStatus(status)) {
      if (recent.has(execution.executionId)) {
        const detail = await api.getExecution(pipeline.name, execution.executionId);
        if (detail) await applyExecutionDetail(db, pipeline, execution.id, detail);
        if (detail && !isFinalExecutionStatus(detail.status)) {
          stillOpen++;
          continue;
        }
      }
      await db.execution.update({ where: { id: execution.id }, data: { completedAt: now() } });
    } else {
      stillOpen++;
    }
  }
  await deriveStageExecutions(db, touched);
  await storeState(db, pipeline.id, state.snapshot, now());
  await storeApprovals(ctx, pipeline, state, timeouts, open.map((e) => e.id));
  await refreshLatest(db, pipeline.id);
  return { open: stillOpen, changed };
}

async function storeApprovals(
  ctx: SyncContext,
  pipeline: PipelineContext & { executionMode: string | null },
  state: PipelineStateInfo,
  timeouts: Map<string, number>,
  openRowIds: string[],
): Promise<void> {
  const pending: PendingApproval[] = state.pendingApprovals.map((p) => ({ ...p, timeoutMinutes: timeouts.get(`${p.stageName}/${p.actionName}`) ?? null }));
  if (pipeline.executionMode === "PARALLEL" && openRowIds.length) {
    // PARALLEL pipelines show no token in the state: the approval action's externalExecutionId is the token.
    const running = await ctx.db.actionExecution.findMany({
      where: { executionId: { in: openRowIds }, category: "Approval", status: "InProgress", externalExecutionId: { not: null } },
      select: { stageName: true, actionName: true, externalExecutionId: true, actionExecutionId: true, startTime: true, execution: { select: { executionId: true } } },
    });
    for (const a of running) {
      if (!a.externalExecutionId) continue;
      pending.push({
        stageName: a.stageName,
        actionName: a.actionName,
        token: a.externalExecutionId,
        executionId: a.execution.executionId,
        actionExecutionId: a.actionExecutionId,
        since: a.startTime,
        timeoutMinutes: timeouts.get(`${a.stageName}/${a.actionName}`) ?? null,
      });
    }
  }
  const now = new Date(ctx.now());
  await upsertPendingApprovals(ctx.db, pipeline.id, pending, now);
  await settleApprovals(ctx.db, pipeline.id, new Set(pending.map((p) => p.token)), now);
}
