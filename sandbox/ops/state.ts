// GetPipelineState: per stage the latest stage execution, held (inbound) executions, the inbound transition,
// each action's latest run, conditions and retry metadata.
import type { ActionDeclaration, StageDeclaration } from "@aws-sdk/client-codepipeline";
import type { ActionRun, ExecutionRecord, PipelineRecord, StageRun } from "../core/types";
import type { World } from "../core/world";
import { currentDeclaration, lastStageRun, resolveRef } from "../sim/lookup";
import { entityUrlFor } from "../sim/revisions";
import { actionExecution, conditionState, seconds, stageExecution } from "../wire/shapes";
import { pipelineNamed, type Handler } from "./context";

function lastRunOf(run: StageRun | undefined, name: string): ActionRun | undefined {
  if (!run) return undefined;
  for (let i = run.actions.length - 1; i >= 0; i--) if (run.actions[i]?.actionName === name) return run.actions[i];
  return undefined;
}

function actionState(
  world: World,
  decl: ActionDeclaration,
  exec: ExecutionRecord | undefined,
  run: StageRun | undefined,
): Record<string, unknown> {
  const latest = lastRunOf(run, decl.name ?? "");
  const state: Record<string, unknown> = { actionName: decl.name };
  if (decl.actionTypeId?.category === "Source") {
    const rev = exec?.sources.find((s) => s.actionName === decl.name);
    if (rev && latest?.status === "Succeeded") {
      state.currentRevision = {
        revisionId: rev.revisionId,
        revisionChangeId: rev.changeId,
        created: seconds(rev.createdMs),
      };
      state.revisionUrl = rev.url;
    }
    const entityUrl = entityUrlFor(world.env.region, decl);
    if (entityUrl) state.entityUrl = entityUrl;
  }
  // The PARALLEL mode hides the approval token here; callers read it from ListActionExecutions instead.
  if (latest) state.latestExecution = actionExecution(latest, exec?.mode !== "PARALLEL");
  return state;
}

function stageState(world: World, p: PipelineRecord, stage: StageDeclaration, index: number): Record<string, unknown> {
  const name = stage.name ?? "";
  const ref = p.latestStage[name];
  const exec = ref ? resolveRef(world, p, ref) : undefined;
  const run = exec && lastStageRun(exec, name);
  const inbound = (p.waiting[name] ?? [])
    .map((id) => world.executions.get(id))
    .filter((e): e is ExecutionRecord => e?.status === "InProgress")
    .map((e) => stageExecution(e, "InProgress", e.type));
  const state: Record<string, unknown> = { stageName: name, inboundExecutions: inbound };
  if (inbound[0]) state.inboundExecution = inbound[0];
  if (index > 0) {
    const t = p.transitions[name];
    state.inboundTransitionState = t
      ? {
          enabled: t.enabled,
          lastChangedBy: t.lastChangedBy,
          lastChangedAt: seconds(t.lastChangedAt),
          ...(t.disabledReason && !t.enabled ? { disabledReason: t.disabledReason } : {}),
        }
      : { enabled: true };
  }
  state.actionStates = (stage.actions ?? []).map((a) => actionState(world, a, exec, run));
  if (exec && run) {
    state.latestExecution = stageExecution(exec, run.status, run.type);
    for (const [kind, key] of [
      ["BEFORE_ENTRY", "beforeEntryConditionState"],
      ["ON_SUCCESS", "onSuccessConditionState"],
      ["ON_FAILURE", "onFailureConditionState"],
    ] as const) {
      const cond = run.conditions.filter((c) => c.kind === kind).pop();
      if (cond) state[key] = conditionState(cond);
    }
    if (run.manualRetries + run.autoRetries > 0) {
      // The model's RetryAttempt starts at 1, so a kind of retry that never happened is left out.
      state.retryStageMetadata = {
        ...(run.autoRetries > 0 ? { autoStageRetryAttempt: run.autoRetries } : {}),
        ...(run.manualRetries > 0 ? { manualStageRetryAttempt: run.manualRetries } : {}),
        ...(run.latestRetryTrigger ? { latestRetryTrigger: run.latestRetryTrigger } : {}),
      };
    }
  }
  return state;
}

const getPipelineState: Handler = (ctx, input) => {
  const p = pipelineNamed(ctx, input.name);
  const decl = currentDeclaration(p);
  return {
    pipelineName: p.name,
    pipelineVersion: p.declarations.length,
    stageStates: (decl.stages ?? []).map((s, i) => stageState(ctx.world, p, s, i)),
    created: seconds(p.createdMs),
    updated: seconds(p.updatedMs),
  };
};

export const stateOps: Record<string, Handler> = { GetPipelineState: getPipelineState };
