// Incremental refresh of a pipeline whose state moved. Outside PARALLEL mode, progress inside running
// executions is read from the state itself (snapshot-progress.ts); ListPipelineExecutions is called only
// when the state names an execution not stored yet or an open one has left it (started, ended), and an
// execution's action executions are listed once, when it ends. A finished execution whose details are
// stored (completedAt) is never fetched again.
import "server-only";
import type { PipelineStateSnapshot } from "@/lib/pipelines/state-snapshot";
import { listAllActionExecutions } from "@/lib/server/aws/all-pages";
import { AwsCallError } from "@/lib/server/aws/errors";
import type { ExecutionDetailInfo, ExecutionSummaryInfo, PipelineStateInfo } from "@/lib/server/aws/types";
import type { ApprovalDeclarations } from "../decide/approval-declarations";
import { isFinalExecutionStatus } from "../decide/execution-status";
import { actionKey } from "../decide/keys";
import {
  namedExecutionIds,
  planExecutionListing,
  planOpenExecution,
  type OpenExecutionFacts,
} from "../decide/refresh-plan";
import { settleApprovals, upsertPendingApprovals, type PendingApproval } from "../store/approvals";
import { storeExecutionDetails } from "../store/execution-details";
import { deriveStageExecutions, type PipelineContext, upsertExecutionSummaries } from "../store/executions";
import { applySnapshotProgress, type ActionKinds } from "../store/snapshot-progress";
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

async function planListing(ctx: SyncContext, pipeline: RefreshPipeline, state: PipelineStateInfo, openIds: string[]) {
  const named = namedExecutionIds(state.snapshot);
  const namedStored = await ctx.db.execution.count({ where: { pipelineId: pipeline.id, executionId: { in: named } } });
  return planExecutionListing({
    executionMode: pipeline.executionMode,
    openIds,
    snapshot: state.snapshot,
    previous: pipeline.previousState,
    namedStored,
  });
}

interface OpenRow {
  id: string;
  executionId: string;
  status: string;
  startTime: Date;
}

/** Carries out the plans for one open execution; returns whether it is still open and whether anything changed. */
async function followExecution(
  ctx: SyncContext,
  pipeline: RefreshPipeline,
  execution: OpenRow,
  facts: OpenExecutionFacts,
): Promise<{ open: boolean; changed: boolean }> {
  const { db, api } = ctx;
  let plan = planOpenExecution(facts);
  let detail: ExecutionDetailInfo | null = null;
  if (plan.kind === "get-execution") {
    detail = await api.getExecution(pipeline.name, execution.executionId).catch((error: unknown) => {
      if (error instanceof AwsCallError && error.kind === "not-found") return null;
      throw error;
    });
    plan = planOpenExecution({ ...facts, fetched: detail ? { status: detail.status } : null });
  }
  switch (plan.kind) {
    case "keep-open":
      return { open: true, changed: false };
    case "get-execution":
      throw new Error("an execution fetched by id was planned to be fetched again");
    case "mark-gone":
      await db.execution.update({ where: { id: execution.id }, data: { completedAt: new Date(ctx.now()) } });
      return { open: false, changed: false };
    case "list-actions": {
      const actions = await listAllActionExecutions(api, pipeline.name, execution.executionId);
      const rules = plan.listRules
        ? (await api.listRuleExecutions(pipeline.name, { executionId: execution.executionId })).items
        : [];
      let complete = plan.then === "complete";
      if (plan.then === "confirm-final") {
        detail = await api.getExecution(pipeline.name, execution.executionId);
        complete = !detail || isFinalExecutionStatus(detail.status);
      }
      const changed = await storeExecutionDetails(db, pipeline, {
        rowId: execution.id,
        actions,
        rules,
        detail,
        complete,
        now: new Date(ctx.now()),
      });
      return { open: !complete, changed };
    }
  }
}

/** `openIds`: executions stored as open when the state was read (the caller has them already). */
export async function refreshPipeline(
  ctx: SyncContext,
  pipeline: RefreshPipeline,
  state: PipelineStateInfo,
  declarations: ApprovalDeclarations,
  openIds: string[],
): Promise<RefreshResult> {
  const { db } = ctx;
  const listed = (await planListing(ctx, pipeline, state, openIds)).kind === "list-executions";
  const recent = listed ? await fetchRecent(ctx, pipeline) : NOTHING_RECENT;
  let changed = recent.changed;
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
  await deriveStageExecutions(db, progress.touched);
  let stillOpen = 0;
  for (const execution of open) {
    const followed = await followExecution(ctx, pipeline, execution, {
      listed,
      summary: !recent.seen.has(execution.executionId)
        ? "absent"
        : recent.changedIds.has(execution.executionId)
          ? "changed"
          : "unchanged",
      needsListing: progress.needsListing.has(execution.id),
      stateExact,
      status: execution.status,
      hasConditions: pipeline.hasConditions,
      declaresVariables: pipeline.declaresVariables,
    });
    if (followed.open) stillOpen++;
    changed ||= followed.changed;
  }
  await storeState(db, pipeline.id, state.snapshot, {
    sourceActionName: pipeline.sourceActionName,
    now: new Date(ctx.now()),
  });
  await storeApprovals(
    ctx,
    pipeline,
    state,
    declarations,
    open.map((e) => e.id),
  );
  await refreshLatest(db, pipeline.id);
  return { open: stillOpen, changed };
}

async function storeApprovals(
  ctx: SyncContext,
  pipeline: PipelineContext & { executionMode: string | null },
  state: PipelineStateInfo,
  declarations: ApprovalDeclarations,
  openRowIds: string[],
): Promise<void> {
  const declared = (stageName: string, actionName: string) =>
    declarations.get(actionKey(stageName, actionName)) ?? null;
  const pending: PendingApproval[] = state.pendingApprovals.map((p) => ({
    ...p,
    declared: declared(p.stageName, p.actionName),
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
        declared: declared(a.stageName, a.actionName),
      });
    }
  }
  const now = new Date(ctx.now());
  await upsertPendingApprovals(ctx.db, pipeline.id, pending, now);
  await settleApprovals(ctx.db, pipeline.id, new Set(pending.map((p) => p.token)), now);
}
