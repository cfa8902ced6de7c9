// PutApprovalResult, Enable/DisableStageTransition, RetryStageExecution, RollbackStage, OverrideStageCondition.
import { AwsError } from "../core/errors";
import { approve, overrideCondition, retryStage, rollbackStage } from "../sim/commands";
import { pump } from "../sim/engine";
import type { ExecutionRecord, PipelineRecord } from "../core/types";
import type { World } from "../core/world";
import { currentDeclaration, findExecution, resolveRef } from "../sim/lookup";
import { seconds } from "../wire/shapes";
import { pipelineNamed, requireStage, str, type Handler } from "./context";

const putApprovalResult: Handler = (ctx, input) => {
  const p = pipelineNamed(ctx, input.pipelineName);
  const index = requireStage(p, input.stageName);
  const stage = currentDeclaration(p).stages?.[index];
  const action = stage?.actions?.find((a) => a.name === input.actionName);
  if (!action)
    throw new AwsError(
      "ActionNotFoundException",
      `The action '${String(input.actionName)}' does not exist in stage '${String(input.stageName)}'.`,
    );
  const result = input.result as { status?: string; summary?: string };
  const at = approve(
    ctx.world,
    String(input.token),
    { pipeline: p.name, stage: stage?.name ?? "", action: action.name ?? "" },
    result.status === "Rejected" ? "Rejected" : "Approved",
    result.summary ?? "",
    ctx.actor,
  );
  return { approvedAt: seconds(at) };
};

/** Outbound transitions of a stage are the inbound transitions of the next one. */
function transitionTarget(ctx: Parameters<Handler>[0], input: Record<string, unknown>) {
  const p = pipelineNamed(ctx, input.pipelineName);
  const index = requireStage(p, input.stageName);
  const target =
    input.transitionType === "Outbound"
      ? currentDeclaration(p).stages?.[index + 1]?.name
      : currentDeclaration(p).stages?.[index]?.name;
  return { p, target };
}

const enableStageTransition: Handler = (ctx, input) => {
  const { p, target } = transitionTarget(ctx, input);
  if (target === undefined) return {};
  p.transitions[target] = { enabled: true, lastChangedBy: ctx.actor, lastChangedAt: ctx.world.clock.now() };
  pump(ctx.world, p, target);
  return {};
};

const disableStageTransition: Handler = (ctx, input) => {
  const { p, target } = transitionTarget(ctx, input);
  if (target === undefined) return {};
  p.transitions[target] = {
    enabled: false,
    lastChangedBy: ctx.actor,
    lastChangedAt: ctx.world.clock.now(),
    disabledReason: str(input.reason) ?? "",
  };
  return {};
};

/**
 * A failed history execution that is still the latest one in the stage can be retried, as in AWS: it becomes a live
 * record (a copy under the same id, which every lookup then finds instead of the recomputed one).
 */
function retryable(world: World, p: PipelineRecord, exec: ExecutionRecord | undefined, stageName: string) {
  if (!exec || world.executions.has(exec.id)) return exec;
  const ref = p.latestStage[stageName];
  if (!ref?.startsWith("h:") || resolveRef(world, p, ref)?.id !== exec.id) return exec;
  const live: ExecutionRecord = structuredClone(exec);
  world.executions.set(live.id, live);
  p.latestStage[stageName] = live.id;
  return live;
}

const retryStageExecution: Handler = (ctx, input) => {
  const p = pipelineNamed(ctx, input.pipelineName);
  requireStage(p, input.stageName);
  const found =
    ctx.world.executions.get(String(input.pipelineExecutionId)) ??
    findExecution(ctx.world, p, String(input.pipelineExecutionId));
  const exec = found?.pipelineName === p.name ? retryable(ctx.world, p, found, String(input.stageName)) : found;
  retryStage(
    ctx.world,
    p,
    exec?.pipelineName === p.name ? exec : undefined,
    String(input.stageName),
    input.retryMode === "ALL_ACTIONS" ? "ALL_ACTIONS" : "FAILED_ACTIONS",
  );
  return { pipelineExecutionId: String(input.pipelineExecutionId) };
};

const rollback: Handler = (ctx, input) => {
  const p = pipelineNamed(ctx, input.pipelineName);
  requireStage(p, input.stageName);
  const exec = rollbackStage(ctx.world, p, String(input.stageName), String(input.targetPipelineExecutionId), ctx.actor);
  return { pipelineExecutionId: exec.id };
};

const overrideStageCondition: Handler = (ctx, input) => {
  const p = pipelineNamed(ctx, input.pipelineName);
  requireStage(p, input.stageName);
  const exec = ctx.world.executions.get(String(input.pipelineExecutionId));
  overrideCondition(
    ctx.world,
    p,
    exec?.pipelineName === p.name ? exec : undefined,
    String(input.stageName),
    input.conditionType === "ON_SUCCESS" ? "ON_SUCCESS" : "BEFORE_ENTRY",
  );
  return {};
};

export const controlOps: Record<string, Handler> = {
  PutApprovalResult: putApprovalResult,
  EnableStageTransition: enableStageTransition,
  DisableStageTransition: disableStageTransition,
  RetryStageExecution: retryStageExecution,
  RollbackStage: rollback,
  OverrideStageCondition: overrideStageCondition,
};
