// One sync step for one claimed pipeline: definition when its version changed, backfill pages while the
// backfill runs, otherwise one cheap GetPipelineState and a refresh only when something moved.
import "server-only";
import { createHash } from "node:crypto";
import { activeExecutionIds, type PipelineStateSnapshot } from "@/lib/pipelines/state-snapshot";
import { AwsCallError } from "@/lib/server/aws/errors";
import { backfillActions, backfillExecutions, backfillRules } from "./backfill";
import { markDeleted } from "./discovery";
import { followUpShortestMs, type DeclaredAction } from "../decide/follow-up";
import { earliestFinish, planSync, shortestDurations, type RunningAction, type SyncOutcome } from "../decide/schedule";
import { refreshPipeline } from "./refresh";
import { storeDefinition } from "../store/definition";
import { targetedSync } from "./targeted";
import { mapRepository } from "../decide/repository-mapping";
import type { SyncContext } from "./context";
import { learnAccountId } from "../config/target-runtime";

export interface StepResult {
  outcome: SyncOutcome | "deleted";
  /** Active pipelines: nothing running can finish before this (epoch ms), judging by past durations. */
  earliestChangeAt?: number | null;
  /** When the latest pending manual approval was requested (epoch ms), null when none is pending. */
  reviewerAskedAt?: number | null;
  /** Waiting pipelines: shortest time the work following a pending approval takes (see follow-up.ts). */
  followUpMs?: number | null;
  /** Idle pipelines: when anything last happened on them (epoch ms), as the state reports it. */
  quietSince?: number | null;
  stateHash?: string;
  /** True when the state or executions moved in this step. */
  changed: boolean;
}

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

/** Approval timeouts (minutes) and whether any stage declares conditions, from the stored definition. */
async function definitionFacts(ctx: SyncContext, pipelineId: string, version: number | null) {
  const timeouts = new Map<string, number>();
  const stages = await ctx.db.stage.findMany({ where: { pipelineId }, select: { conditions: true } });
  const hasConditions = stages.some((s) => s.conditions !== null);
  if (version === null) return { timeouts, hasConditions };
  const def = await ctx.db.pipelineDefinition.findUnique({ where: { pipelineId_version: { pipelineId, version } } });
  const declared = (def?.definition ?? {}) as {
    stages?: { name?: string; actions?: { name?: string; timeoutInMinutes?: number }[] }[];
  };
  for (const stage of declared.stages ?? []) {
    for (const action of stage.actions ?? []) {
      if (stage.name && action.name && typeof action.timeoutInMinutes === "number")
        timeouts.set(`${stage.name}/${action.name}`, action.timeoutInMinutes);
    }
  }
  return { timeouts, hasConditions };
}

/** True when nothing runs by itself: every running action is a manual approval, the rest is held at a stage. */
export function onlyWaiting(snapshot: PipelineStateSnapshot, approvals: Set<string>): boolean {
  for (const stage of snapshot.stages) {
    if (stage.latestExecution?.status !== "InProgress" && stage.latestExecution?.status !== "Stopping") continue;
    const running = stage.actions.filter((a) => a.status === "InProgress");
    if (running.length === 0 || running.some((a) => !approvals.has(`${stage.name}/${a.name}`))) return false;
  }
  return true;
}

/** The latest action status change the state shows (epoch ms), null when it shows none. */
function lastChangeAt(snapshot: PipelineStateSnapshot): number | null {
  const times = snapshot.stages.flatMap((s) =>
    s.actions.flatMap((a) => (a.lastStatusChange ? [Date.parse(a.lastStatusChange)] : [])),
  );
  return times.length ? Math.max(...times) : null;
}

/** Start of the most recent running manual approval (PARALLEL executions show no token, so the action status decides). */
function reviewerAskedAt(snapshot: PipelineStateSnapshot, approvals: Set<string>): number | null {
  let latest: number | null = null;
  for (const stage of snapshot.stages) {
    for (const a of stage.actions) {
      if (a.status !== "InProgress" || !a.lastStatusChange || !approvals.has(`${stage.name}/${a.name}`)) continue;
      latest = Math.max(latest ?? 0, Date.parse(a.lastStatusChange));
    }
  }
  return latest;
}

export interface EventHints {
  executionIds: string[];
  pipelineEvent: boolean;
}

const NO_HINTS: EventHints = { executionIds: [], pipelineEvent: false };

export async function syncPipelineStep(
  ctx: SyncContext,
  pipelineId: string,
  requested: boolean,
  hints: EventHints = NO_HINTS,
  mayCheck: () => boolean = () => true,
): Promise<StepResult> {
  try {
    return await step(ctx, pipelineId, requested, hints, mayCheck);
  } catch (error) {
    if (
      error instanceof AwsCallError &&
      error.kind === "not-found" &&
      (error.operation === "GetPipelineState" || error.operation === "GetPipeline")
    ) {
      await markDeleted(ctx.db, [pipelineId], new Date(ctx.now()));
      return { outcome: "deleted", changed: true };
    }
    throw error;
  }
}

async function step(
  ctx: SyncContext,
  pipelineId: string,
  requested: boolean,
  hints: EventHints,
  mayCheck: () => boolean,
): Promise<StepResult> {
  let pipeline = await loadPipeline(ctx, pipelineId);
  if (!pipeline?.sync || pipeline.deletedAt) return { outcome: "idle", changed: false };
  const plan = planSync({
    version: pipeline.version,
    definitionVersion: pipeline.sync.definitionVersion,
    backfillDone: pipeline.sync.backfillDone,
    actionBackfillDone: pipeline.sync.actionBackfillDone,
    ruleBackfillDone: pipeline.sync.ruleBackfillDone,
  });
  if (plan.fetchDefinition) {
    await fetchDefinition(ctx, pipelineId, pipeline.name);
    pipeline = await loadPipeline(ctx, pipelineId);
    if (!pipeline?.sync) return { outcome: "idle", changed: false };
  }
  const stages = await ctx.db.action.findMany({
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
  const mapping = mapRepository({
    stages: [
      {
        name: "",
        conditions: null,
        actions: stages.map((a) => ({
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
  const context = {
    id: pipeline.id,
    name: pipeline.name,
    repositoryFullName: pipeline.repository?.fullName ?? null,
    sourceBranch: pipeline.sourceBranch,
    sourceActionName: mapping.sourceActionName,
    githubUrl: ctx.settings.githubUrl,
  };
  if (plan.step === "backfill-executions") {
    await backfillExecutions(ctx, context, pipeline.sync.backfillToken);
    await ctx.db.pipelineSync.update({ where: { pipelineId }, data: { lastActivityAt: new Date(ctx.now()) } });
    return { outcome: "backfill", changed: true };
  }
  if (plan.step === "backfill-actions") {
    await backfillActions(ctx, context, pipeline.sync.actionBackfillToken);
    return { outcome: "backfill", changed: true };
  }
  if (plan.step === "backfill-rules") {
    await backfillRules(ctx, context, pipeline.sync.ruleBackfillToken);
    return { outcome: "backfill", changed: true };
  }
  // While other pipelines of the target still backfill, live checks get only a share of the budget
  // (the caller decides): the rest wait, their latest status known from the backfilled executions.
  if (!mayCheck()) return { outcome: "deferred", changed: false };
  if (
    requested &&
    !hints.pipelineEvent &&
    hints.executionIds.length > 0 &&
    pipeline.state &&
    pipeline.executionMode !== "PARALLEL"
  ) {
    const snapshot = pipeline.state as unknown as PipelineStateSnapshot;
    if (await targetedSync(ctx, context, new Set(hints.executionIds), snapshot))
      return { outcome: "active", changed: true };
  }
  const state = await ctx.api.getPipelineState(pipeline.name);
  const version = state.snapshot.pipelineVersion;
  if (version !== null && version > (pipeline.sync.definitionVersion ?? 0)) {
    await ctx.db.pipeline.update({ where: { id: pipelineId }, data: { version } });
    await fetchDefinition(ctx, pipelineId, pipeline.name);
  }
  const stateHash = hashOf(state.snapshot);
  const openIds = (
    await ctx.db.execution.findMany({ where: { pipelineId, completedAt: null }, select: { executionId: true } })
  ).map((e) => e.executionId);
  const moved = stateHash !== pipeline.sync.stateHash;
  // An unchanged state means nothing moved, except in PARALLEL mode when an open execution is not one the
  // state shows: the state has only the latest execution per stage, and one overtaken in its stage by a
  // newer one advances unseen. Open executions that each lead a stage (or wait at one) move the state.
  const shown = new Set(activeExecutionIds(state.snapshot));
  const parallelOpen = pipeline.executionMode === "PARALLEL" && openIds.some((id) => !shown.has(id));
  const approvals = new Set(stages.filter((a) => a.category === "Approval").map((a) => `${a.stageName}/${a.name}`));
  if (!moved && !requested && !parallelOpen) {
    if (openIds.length === 0)
      return { outcome: "idle", stateHash, changed: false, quietSince: lastChangeAt(state.snapshot) };
    if (onlyWaiting(state.snapshot, approvals))
      return {
        outcome: "waiting",
        stateHash,
        changed: false,
        ...(await waitingFacts(ctx, pipelineId, state.snapshot, stages, approvals)),
      };
    return {
      outcome: "active",
      stateHash,
      changed: false,
      earliestChangeAt: await earliestChange(ctx, pipelineId, state.snapshot, approvals),
    };
  }
  const facts = await definitionFacts(ctx, pipelineId, pipeline.sync.definitionVersion);
  const kinds = new Map(
    stages.map((a) => [`${a.stageName}/${a.name}`, { category: a.category, provider: a.provider }]),
  );
  const declaresVariables = Array.isArray(pipeline.variables) && pipeline.variables.length > 0;
  const result = await refreshPipeline(
    ctx,
    {
      ...context,
      executionMode: pipeline.executionMode,
      hasConditions: facts.hasConditions,
      declaresVariables,
      kinds,
      previousState: pipeline.state as unknown as PipelineStateSnapshot | null,
    },
    state,
    facts.timeouts,
    openIds,
  );
  const open = result.open > 0 || activeExecutionIds(state.snapshot).length > 0;
  // Once nothing is open the pipeline is idle again; `changed` restarts its idle backoff from the shortest interval.
  const outcome = !open ? "idle" : onlyWaiting(state.snapshot, approvals) ? "waiting" : "active";
  const earliestChangeAt =
    outcome === "active" ? await earliestChange(ctx, pipelineId, state.snapshot, approvals) : null;
  const waiting =
    outcome === "waiting"
      ? await waitingFacts(ctx, pipelineId, state.snapshot, stages, approvals)
      : { reviewerAskedAt: reviewerAskedAt(state.snapshot, approvals) };
  return {
    outcome,
    stateHash,
    changed: moved || result.changed,
    earliestChangeAt,
    ...waiting,
    quietSince: outcome === "idle" ? lastChangeAt(state.snapshot) : null,
  };
}

async function earliestChange(
  ctx: SyncContext,
  pipelineId: string,
  snapshot: PipelineStateSnapshot,
  approvals: Set<string>,
): Promise<number | null> {
  const running: RunningAction[] = [];
  for (const stage of snapshot.stages) {
    if (stage.latestExecution?.status !== "InProgress") continue;
    const inProgress = stage.actions.filter((a) => a.status === "InProgress");
    // A stage between actions (conditions being evaluated) can move at any time.
    if (inProgress.length === 0) return null;
    for (const a of inProgress) {
      const key = `${stage.name}/${a.name}`;
      // A reviewer's answer is found by the backed-off checks of waiting pipelines, not by polling for it.
      if (approvals.has(key)) continue;
      if (!a.lastStatusChange) return null;
      // A start later than our own clock (AWS's clock ahead of ours) counts as now: a skew must not stretch the wait.
      running.push({ key, startedAt: Math.min(Date.parse(a.lastStatusChange), ctx.now()) });
    }
  }
  if (running.length === 0) return null;
  return earliestFinish(running, await shortestFromHistory(ctx, pipelineId));
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
      key: `${r.stageName}/${r.actionName}`,
      durationMs: (r.lastUpdateTime?.getTime() ?? 0) - (r.startTime?.getTime() ?? 0),
    })),
  );
}

/** When the pending approval was requested and how quickly what follows its answer can finish. */
async function waitingFacts(
  ctx: SyncContext,
  pipelineId: string,
  snapshot: PipelineStateSnapshot,
  declared: DeclaredAction[],
  approvals: Set<string>,
) {
  const askedAt = reviewerAskedAt(snapshot, approvals);
  if (askedAt === null) return { reviewerAskedAt: null, followUpMs: null };
  return {
    reviewerAskedAt: askedAt,
    followUpMs: followUpShortestMs(snapshot, declared, approvals, await shortestFromHistory(ctx, pipelineId)),
  };
}
