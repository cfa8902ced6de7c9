// One sync step for one claimed pipeline: the planner (decide/step-plan.ts) says what to call, this file
// calls it, stores what came back and asks again. Definition when its version changed, backfill pages
// while the backfill runs, otherwise one cheap GetPipelineState and a refresh only when something moved.
import "server-only";
import { createHash } from "node:crypto";
import { activeExecutionIds } from "@/lib/pipelines/state-snapshot";
import { countCalls } from "@/lib/server/aws/count-calls";
import { AwsCallError } from "@/lib/server/aws/errors";
import type { PipelineStateInfo } from "@/lib/server/aws/types";
import { lastChangeAt, onlyWaiting, reviewerAskedAt, runningActions } from "../decide/activity";
import { followUpShortestMs, type DeclaredAction } from "../decide/follow-up";
import { actionKey } from "../decide/keys";
import { mapRepository } from "../decide/repository-mapping";
import { earliestFinish, shortestDurations } from "../decide/schedule";
import { activityOutcome, planAfterState, planStep, type StepFacts, type StepResult } from "../decide/step-plan";
import { readSnapshot } from "../snapshot/stored-state";
import { fillPendingApprovalFacts } from "../store/approvals";
import { storeDefinition } from "../store/definition";
import { learnAccountId } from "./target-runtime";
import { backfillActions, backfillExecutions, backfillRules } from "./backfill";
import type { SyncContext } from "./context";
import { definitionFacts, storedApprovalDeclarations } from "./definition-facts";
import { markDeleted } from "./discovery";
import { refreshPipeline } from "./refresh";
import { targetedSync } from "./targeted";

export type { StepResult };

function hashOf(value: unknown): string {
  return createHash("sha1").update(JSON.stringify(value)).digest("hex");
}

async function loadPipeline(ctx: SyncContext, pipelineId: string) {
  return ctx.db.pipeline.findUnique({
    where: { id: pipelineId },
    include: { repository: { select: { fullName: true } }, sync: true },
  });
}

async function fetchDefinition(ctx: SyncContext, pipelineId: string, name: string): Promise<void> {
  const def = await ctx.api.getPipeline(name);
  if (!def) return;
  await storeDefinition(ctx.db, pipelineId, def);
  await learnAccountId(ctx.db, ctx.targetId, def.arn);
}

export interface EventHints {
  executionIds: string[];
  pipelineEvent: boolean;
}

const NO_HINTS: EventHints = { executionIds: [], pipelineEvent: false };

export interface StepRequest {
  pipelineId: string;
  requested: boolean;
  hints?: EventHints;
  /** The target still backfills and live checks have spent their share of the budget. */
  liveShareSpent: boolean;
  /** Called before every request of a live check (not of a backfill page), to charge the live share. */
  onLiveRequest?: () => void;
}

export async function syncPipelineStep(ctx: SyncContext, request: StepRequest): Promise<StepResult> {
  try {
    return await step(ctx, {
      ...request,
      hints: request.hints ?? NO_HINTS,
      onLiveRequest: request.onLiveRequest ?? (() => {}),
    });
  } catch (error) {
    if (
      error instanceof AwsCallError &&
      error.kind === "not-found" &&
      (error.operation === "GetPipelineState" || error.operation === "GetPipeline")
    ) {
      await markDeleted(ctx.db, [request.pipelineId], new Date(ctx.now()));
      return { outcome: "deleted" };
    }
    throw error;
  }
}

type Loaded = NonNullable<Awaited<ReturnType<typeof loadPipeline>>>;

function factsOf(pipeline: Loaded | null, request: Required<StepRequest>, definitionFetched: boolean): StepFacts {
  return {
    pipeline: pipeline?.sync
      ? {
          deleted: pipeline.deletedAt !== null,
          version: pipeline.version,
          definitionVersion: pipeline.sync.definitionVersion,
          backfillDone: pipeline.sync.backfillDone,
          actionBackfillDone: pipeline.sync.actionBackfillDone,
          ruleBackfillDone: pipeline.sync.ruleBackfillDone,
          executionMode: pipeline.executionMode,
          hasState: pipeline.state !== null,
        }
      : null,
    requested: request.requested,
    hints: request.hints,
    liveShareSpent: request.liveShareSpent,
    definitionFetched,
  };
}

const NOTHING: StepResult = { outcome: "idle", changed: false, stateHash: null, quietSince: null };

async function step(ctx: SyncContext, request: Required<StepRequest>): Promise<StepResult> {
  const { pipelineId } = request;
  let pipeline = await loadPipeline(ctx, pipelineId);
  let plan = planStep(factsOf(pipeline, request, false));
  if (plan.kind === "get-definition" && pipeline) {
    await fetchDefinition(ctx, pipelineId, pipeline.name);
    pipeline = await loadPipeline(ctx, pipelineId);
    plan = planStep(factsOf(pipeline, request, true));
  }
  if (!pipeline?.sync || plan.kind === "skip" || plan.kind === "get-definition") return NOTHING;
  const sync = pipeline.sync;
  const declared = await ctx.db.action.findMany({
    where: { pipelineId },
    select: {
      stageName: true,
      name: true,
      category: true,
      owner: true,
      provider: true,
      runOrder: true,
      configuration: true,
    },
  });
  const context = pipelineContext(ctx, pipeline, declared);
  switch (plan.kind) {
    case "backfill":
      if (plan.pass === "executions") {
        await backfillExecutions(ctx, context, sync.backfillToken);
        await ctx.db.pipelineSync.update({ where: { pipelineId }, data: { lastActivityAt: new Date(ctx.now()) } });
      } else if (plan.pass === "actions") await backfillActions(ctx, context, sync.actionBackfillToken);
      else await backfillRules(ctx, context, sync.ruleBackfillToken);
      return { outcome: "backfill" };
    case "defer":
      return { outcome: "deferred" };
    case "list-actions-of": {
      const live = { ...ctx, api: countCalls(ctx.api, request.onLiveRequest) };
      const snapshot = readSnapshot(pipeline.state);
      if (!snapshot) return checkState(live, pipeline, declared, context, request);
      if (await targetedSync(live, context, new Set(plan.executionIds), snapshot))
        return { outcome: "active", changed: true, stateHash: null, earliestChangeAt: null };
      // Not enough (an approval runs, whose token only the state has): check the state after all.
      return checkState(live, pipeline, declared, context, request);
    }
    case "check-state":
      return checkState(
        { ...ctx, api: countCalls(ctx.api, request.onLiveRequest) },
        pipeline,
        declared,
        context,
        request,
      );
  }
}

function pipelineContext(ctx: SyncContext, pipeline: Loaded, declared: DeclaredRow[]) {
  const mapping = mapRepository({
    stages: [
      {
        name: "",
        conditions: null,
        actions: declared.map((a) => ({
          ...a,
          providerVersion: "1",
          region: null,
          namespace: null,
          timeoutInMinutes: null,
          configuration: (a.configuration ?? null) as Record<string, string> | null,
        })),
      },
    ],
  });
  return {
    id: pipeline.id,
    name: pipeline.name,
    repositoryFullName: pipeline.repository?.fullName ?? null,
    sourceBranch: pipeline.sourceBranch,
    sourceActionName: mapping.sourceActionName,
    githubUrl: ctx.settings.githubUrl,
  };
}

type DeclaredRow = DeclaredAction & {
  stageName: string;
  name: string;
  category: string;
  provider: string;
  owner: string;
  configuration: unknown;
};

async function checkState(
  ctx: SyncContext,
  pipeline: Loaded,
  declared: DeclaredRow[],
  context: ReturnType<typeof pipelineContext>,
  request: Required<StepRequest>,
): Promise<StepResult> {
  const sync = pipeline.sync!;
  const pipelineId = pipeline.id;
  const state = await ctx.api.getPipelineState(pipeline.name);
  const version = state.snapshot.pipelineVersion;
  if (version !== null && version > (sync.definitionVersion ?? 0)) {
    await ctx.db.pipeline.update({ where: { id: pipelineId }, data: { version } });
    await fetchDefinition(ctx, pipelineId, pipeline.name);
  }
  const stateHash = hashOf(state.snapshot);
  const openIds = (
    await ctx.db.execution.findMany({ where: { pipelineId, completedAt: null }, select: { executionId: true } })
  ).map((e) => e.executionId);
  const approvals = new Set(
    declared.filter((a) => a.category === "Approval").map((a) => actionKey(a.stageName, a.name)),
  );
  const waitingOnly = onlyWaiting(state.snapshot, approvals);
  const plan = planAfterState({
    moved: stateHash !== sync.stateHash,
    requested: request.requested,
    executionMode: pipeline.executionMode,
    openIds,
    shownIds: activeExecutionIds(state.snapshot),
    onlyWaiting: waitingOnly,
  });
  if (plan.kind === "settle") {
    // Nothing moves while people are awaited: approvals stored without their declared facts get them now.
    if (plan.outcome === "waiting")
      await fillPendingApprovalFacts(ctx.db, pipelineId, () =>
        storedApprovalDeclarations(ctx.db, pipelineId, sync.definitionVersion),
      );
    return describe(ctx, pipelineId, state, declared, approvals, plan.outcome, { changed: false, stateHash });
  }
  const facts = await definitionFacts(ctx.db, pipelineId, sync.definitionVersion);
  const kinds = new Map(
    declared.map((a) => [actionKey(a.stageName, a.name), { category: a.category, provider: a.provider }]),
  );
  const result = await refreshPipeline(
    ctx,
    {
      ...context,
      executionMode: pipeline.executionMode,
      hasConditions: facts.hasConditions,
      declaresVariables: Array.isArray(pipeline.variables) && pipeline.variables.length > 0,
      kinds,
      previousState: readSnapshot(pipeline.state),
    },
    state,
    facts.declarations,
    openIds,
  );
  const open = result.open > 0 || activeExecutionIds(state.snapshot).length > 0;
  // `changed` restarts an idle pipeline's backoff from the shortest interval.
  return describe(ctx, pipelineId, state, declared, approvals, activityOutcome(open, waitingOnly), {
    changed: plan.reason === "state-moved" || result.changed,
    stateHash,
  });
}

/** The step's result for a pipeline found idle, waiting or active, with what its next check is timed by. */
async function describe(
  ctx: SyncContext,
  pipelineId: string,
  state: PipelineStateInfo,
  declared: DeclaredAction[],
  approvals: Set<string>,
  outcome: "idle" | "waiting" | "active",
  found: { changed: boolean; stateHash: string },
): Promise<StepResult> {
  const snapshot = state.snapshot;
  if (outcome === "idle") return { outcome, ...found, quietSince: lastChangeAt(snapshot) };
  if (outcome === "waiting") {
    const askedAt = reviewerAskedAt(snapshot, approvals);
    const followUpMs =
      askedAt === null
        ? null
        : followUpShortestMs(snapshot, declared, approvals, await shortestFromHistory(ctx, pipelineId));
    return { outcome, ...found, reviewerAskedAt: askedAt, followUpMs };
  }
  const running = runningActions(snapshot, approvals, ctx.now());
  const earliestChangeAt = running ? earliestFinish(running, await shortestFromHistory(ctx, pipelineId)) : null;
  return { outcome, ...found, earliestChangeAt };
}

/** Estimated shortest duration per `stage/action`, from the pipeline's recent finished action executions. */
async function shortestFromHistory(ctx: SyncContext, pipelineId: string): Promise<Map<string, number>> {
  const rows = await ctx.db.actionExecution.findMany({
    where: {
      execution: { pipelineId },
      status: { in: ["Succeeded", "Failed"] },
      startTime: { not: null },
      lastUpdateTime: { not: null },
    },
    orderBy: { startTime: "desc" },
    take: 300,
    select: { stageName: true, actionName: true, startTime: true, lastUpdateTime: true },
  });
  return shortestDurations(
    rows.map((r) => ({
      key: actionKey(r.stageName, r.actionName),
      durationMs: (r.lastUpdateTime?.getTime() ?? 0) - (r.startTime?.getTime() ?? 0),
    })),
  );
}
