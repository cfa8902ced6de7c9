// Incremental refresh of a pipeline whose state moved. Outside PARALLEL mode, progress inside running
// executions is read from the state itself (snapshot-progress.ts); ListPipelineExecutions is called only
// when the state names an execution not stored yet or an open one has left it (started, ended), and an
// execution's action executions are listed once, when it ends. A finished execution whose details are
// stored (completedAt) is never fetched again.
import "server-only";
import { activeExecutionIds, type PipelineStateSnapshot } from "@/lib/pipelines/state-snapshot";
import type { ExecutionSummaryInfo, PipelineStateInfo } from "@/lib/server/aws/types";
import { isFinalExecutionStatus } from "../decide/execution-status";
import { applySnapshotProgress, type ActionKinds } from "../store/snapshot-progress";
import { settleApprovals, upsertPendingApprovals, type PendingApproval } from "../store/approvals";
import {
  applyExecutionDetail,
  deriveStageExecutions,
  type PipelineContext,
  upsertActionExecutions,
  upsertExecutionSummaries,
  upsertRuleExecutions,
} from "../store/executions";
import { refreshLatest, storeState } from "../store/state";
import type { SyncContext } from "./context";

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

export interface RefreshPipeline extends PipelineContext {
  executionMode: string | null;
  hasConditions: boolean;
  /** Resolved variables exist only for pipelines that declare some; only then is GetPipelineExecution worth a call. */
  declaresVariables: boolean;
  kinds: ActionKinds;
  /** The state stored by the previous check. */
  previousState: PipelineStateSnapshot | null;
}

const NOTHING_RECENT = { seen: new Map<string, ExecutionSummaryInfo>(), changedIds: new Set<string>(), changed: false };

/** Whether the state alone cannot tell what happened: an execution it names is not stored, an open one left it or is newly held. */
async function needsExecutionList(
  ctx: SyncContext,
  pipeline: RefreshPipeline,
  state: PipelineStateInfo,
  openIds: string[],
): Promise<boolean> {
  if (openIds.length === 0 || (pipeline.executionMode === "PARALLEL" && openIds.length > 1)) return true;
  const active = new Set(activeExecutionIds(state.snapshot));
  if (openIds.some((id) => !active.has(id))) return true;
  // An execution newly held before a stage changed (AWS records the moment) without any action moving.
  const held = (snapshot: PipelineStateSnapshot | null) =>
    new Set(snapshot?.stages.flatMap((s) => s.inboundExecutions.map((e) => e.executionId)) ?? []);
  const heldBefore = held(pipeline.previousState);
  if ([...held(state.snapshot)].some((id) => !heldBefore.has(id))) return true;
  const named = new Set([
    ...active,
    ...state.snapshot.stages.flatMap((s) => (s.latestExecution ? [s.latestExecution.executionId] : [])),
  ]);
  const stored = await ctx.db.execution.count({ where: { pipelineId: pipeline.id, executionId: { in: [...named] } } });
  return stored < named.size;
}

/** `openIds`: executions stored as open when the state was read (the caller has them already). */
export async function refreshPipeline(
  ctx: SyncContext,
  pipeline: RefreshPipeline,
  state: PipelineStateInfo,
  timeouts: Map<string, number>,
  openIds: string[],
): Promise<RefreshResult> {
  const { db, api } = ctx;
  const now = () => new Date(ctx.now());
  const listed = await needsExecutionList(ctx, pipeline, state, openIds);
  const {
    seen: recent,
    changedIds,
    changed: executionsChanged,
  } = listed ? await fetchRecent(ctx, pipeline) : NOTHING_RECENT;
  let changed = executionsChanged;
  const open = await db.execution.findMany({
    where: { pipelineId: pipeline.id, completedAt: null },
    select: { id: true, executionId: true, status: true, startTime: true },
    orderBy: { startTime: "desc" },
  });
  // The state shows each stage's latest execution only: exact unless several PARALLEL executions run at once.
  const stateExact = pipeline.executionMode !== "PARALLEL" || open.length <= 1;
  const progress = stateExact
    ? await applySnapshotProgress(db, pipeline.id, state.snapshot, open, pipeline.kinds)
    : { touched: new Set<string>(), needsListing: new Set<string>() };
  changed ||= progress.touched.size > 0;
  let stillOpen = 0;
  const touched = new Set<string>(progress.touched);
  for (const execution of open) {
    let status = execution.status;
    if (!listed) {
      // Still running, as the state shows: its action rows came from the state.
      if (!progress.needsListing.has(execution.id)) {
        stillOpen++;
        continue;
      }
    } else if (!recent.has(execution.executionId)) {
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
    // An execution whose summary (status, last update) did not move has no new action executions either;
    // when the state is exact, a running one's progress came from it.
    const fromState = stateExact && !progress.needsListing.has(execution.id);
    if (
      recent.has(execution.executionId) &&
      (!changedIds.has(execution.executionId) || fromState) &&
      !isFinalExecutionStatus(status)
    ) {
      stillOpen++;
      continue;
    }
    let token: string | null = null;
    do {
      const page = await api.listActionExecutions(pipeline.name, {
        executionId: execution.executionId,
        nextToken: token,
      });
      for (const id of (await upsertActionExecutions(db, pipeline.id, page.items)).changed) {
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
      if (recent.has(execution.executionId) && pipeline.declaresVariables) {
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
  await storeApprovals(
    ctx,
    pipeline,
    state,
    timeouts,
    open.map((e) => e.id),
  );
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
  const pending: PendingApproval[] = state.pendingApprovals.map((p) => ({
    ...p,
    timeoutMinutes: timeouts.get(`${p.stageName}/${p.actionName}`) ?? null,
  }));
  if (pipeline.executionMode === "PARALLEL" && openRowIds.length) {
    // PARALLEL pipelines show no token in the state: the approval action's externalExecutionId is the token.
    const running = await ctx.db.actionExecution.findMany({
      where: {
        executionId: { in: openRowIds },
        category: "Approval",
        status: "InProgress",
        externalExecutionId: { not: null },
      },
      select: {
        stageName: true,
        actionName: true,
        externalExecutionId: true,
        actionExecutionId: true,
        startTime: true,
        execution: { select: { executionId: true } },
      },
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
