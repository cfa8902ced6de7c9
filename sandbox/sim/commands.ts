// What callers can do to running executions: answer approvals, retry, stop, roll back, override conditions.
// Each throws the AwsError the real service documents for the case.
import { AwsError } from "../core/errors";
import type { ExecutionRecord, PipelineRecord, StageRun } from "../core/types";
import type { World } from "../core/world";
import { finishCondition } from "./conditions";
import {
  checkGroup,
  declaredActions,
  finishStop,
  latestAttempt,
  pipelineOf,
  removeFromQueues,
  setActionStatus,
  setExecStatus,
  setStageStatus,
  startExecution,
  startNextGroup,
} from "./engine";
import { currentDeclaration, findExecution, lastStageRun, resolveRef } from "./lookup";

export function approve(
  world: World,
  token: string,
  names: { pipeline: string; stage: string; action: string },
  status: "Approved" | "Rejected",
  summary: string,
  actor: string,
): number {
  const ref = world.tokens.get(token);
  const invalid = new AwsError(
    "InvalidApprovalTokenException",
    "The approval request already received a response or has expired.",
  );
  if (!ref || ref.pipelineName !== names.pipeline || ref.stageName !== names.stage || ref.actionName !== names.action)
    throw invalid;
  const exec = world.executions.get(ref.executionId);
  const run = exec && lastStageRun(exec, ref.stageName);
  const action = run?.actions.find((a) => a.id === ref.actionRunId);
  if (!exec || !run || !action) throw invalid;
  if (action.approvalDone === "answered")
    throw new AwsError(
      "ApprovalAlreadyCompletedException",
      "The approval action has already been approved or rejected.",
    );
  if (action.status !== "InProgress") throw invalid;
  action.approvalDone = "answered";
  action.summary = summary;
  action.updatedBy = actor;
  const ok = status === "Approved";
  if (!ok) action.errorDetails = { code: "JobFailed", message: `Rejected: ${summary}`.slice(0, 1500) };
  setActionStatus(world, exec, action, ok ? "Succeeded" : "Failed", ok ? "SUCCEEDED" : "FAILED");
  if (ok) run.todo = (run.todo ?? []).filter((n) => n !== action.actionName);
  checkGroup(world, exec, run);
  return world.clock.now();
}

export function expireApproval(world: World, exec: ExecutionRecord, stage: string, runId: string): void {
  const run = lastStageRun(exec, stage);
  const action = run?.actions.find((a) => a.id === runId);
  if (!run || !action || action.status !== "InProgress") return;
  action.approvalDone = "expired";
  action.errorDetails = { code: "JobFailed", message: "The approval request expired before it received a response." };
  setActionStatus(world, exec, action, "Failed", "FAILED");
  checkGroup(world, exec, run);
}

export function retryStage(
  world: World,
  p: PipelineRecord,
  exec: ExecutionRecord | undefined,
  stageName: string,
  mode: "FAILED_ACTIONS" | "ALL_ACTIONS",
  automated = false,
): void {
  const run = exec && lastStageRun(exec, stageName);
  if (!exec || !run || !(run.status === "Failed" || run.status === "Stopped") || exec.status === "Superseded") {
    throw new AwsError(
      "StageNotRetryableException",
      `Stage ${stageName} in execution ${exec?.id ?? "unknown"} is not in a failed or stopped state and cannot be retried.`,
    );
  }
  if (p.latestStage[stageName] !== exec.id)
    throw new AwsError(
      "NotLatestPipelineExecutionException",
      `Execution ${exec.id} is not the latest execution of stage ${stageName}.`,
    );
  const occupant = p.occupant[stageName];
  if (occupant && occupant !== exec.id)
    throw new AwsError(
      "ConflictException",
      "Your request cannot be handled because the pipeline is busy handling ongoing activities. Try again later.",
    );
  const latest = latestAttempt(run);
  const names = declaredActions(world, exec, stageName).map((a) => a.name ?? "");
  run.todo = mode === "ALL_ACTIONS" ? names : names.filter((n) => latest.get(n)?.status !== "Succeeded");
  if (automated) run.autoRetries++;
  else run.manualRetries++;
  run.latestRetryTrigger = automated ? "AutomatedStageRetry" : "ManualStageRetry";
  delete run.endMs;
  delete exec.stopTrigger;
  delete exec.statusSummary;
  exec.cursor = (currentDeclarationOrExec(p, exec).stages ?? []).findIndex((s) => s.name === stageName);
  if (exec.mode !== "PARALLEL") p.occupant[stageName] = exec.id;
  if (exec.status !== "InProgress") setExecStatus(world, exec, "InProgress", "RESUMED");
  setStageStatus(world, exec, run, "InProgress", "RESUMED");
  startNextGroup(world, exec, run);
}

function currentDeclarationOrExec(p: PipelineRecord, exec: ExecutionRecord) {
  return p.declarations[exec.pipelineVersion - 1] ?? currentDeclaration(p);
}

export function stopExecution(world: World, exec: ExecutionRecord, abandon: boolean, reason: string | undefined): void {
  if (exec.status === "Stopping" && !abandon)
    throw new AwsError("DuplicatedStopRequestException", `Execution ${exec.id} is already being stopped.`);
  if (exec.status !== "InProgress" && exec.status !== "Stopping") {
    throw new AwsError(
      "PipelineExecutionNotStoppableException",
      `Execution ${exec.id} is ${exec.status} and cannot be stopped.`,
    );
  }
  const p = pipelineOf(world, exec);
  exec.stopTrigger = { reason: reason ?? "" };
  exec.stopping = { abandon };
  if (exec.status === "InProgress") setExecStatus(world, exec, "Stopping", "STOPPING");
  const run = exec.stages[exec.stages.length - 1];
  const waiting = removeFromQueues(p, exec.id);
  if (waiting || !run || run.status !== "InProgress") return finishStop(world, exec);
  for (const cond of run.conditions) if (cond.status === "InProgress") finishCondition(world, exec, run, cond, false);
  for (const action of run.actions) {
    // Approvals have no work to finish, so stopping releases them at once.
    if (action.status === "InProgress" && (abandon || action.token))
      setActionStatus(world, exec, action, "Abandoned", "ABANDONED");
  }
  if (run.actions.some((a) => a.status === "InProgress")) {
    if (run.status === "InProgress") setStageStatus(world, exec, run, "Stopping", "STOPPING");
    return;
  }
  finishStop(world, exec);
}

export function rollbackStage(
  world: World,
  p: PipelineRecord,
  stageName: string,
  targetId: string,
  actor: string,
  automated = false,
): ExecutionRecord {
  const decl = currentDeclaration(p);
  const target = findExecution(world, p, targetId);
  if (!target)
    throw new AwsError(
      "PipelineExecutionNotFoundException",
      `Pipeline execution ${targetId} was not found in pipeline ${p.name}.`,
    );
  if (decl.pipelineType !== "V2")
    throw new AwsError("UnableToRollbackStageException", "Stage rollback is supported for V2 pipelines only.");
  const targetRun = lastStageRun(target, stageName);
  if (!targetRun || targetRun.status !== "Succeeded")
    throw new AwsError(
      "UnableToRollbackStageException",
      `Execution ${targetId} did not succeed in stage ${stageName}.`,
    );
  if (target.pipelineVersion !== p.declarations.length)
    throw new AwsError(
      "PipelineExecutionOutdatedException",
      `Execution ${targetId} ran pipeline version ${target.pipelineVersion}, not the current version ${p.declarations.length}.`,
    );
  const latestRef = p.latestStage[stageName];
  const latest = latestRef ? resolveRef(world, p, latestRef) : undefined;
  const latestRun = latest && lastStageRun(latest, stageName);
  if (latestRun && (latestRun.status === "InProgress" || latestRun.status === "Stopping")) {
    throw new AwsError(
      "ConflictException",
      "Your request cannot be handled because the pipeline is busy handling ongoing activities. Try again later.",
    );
  }
  if (latest?.id === targetId)
    throw new AwsError(
      "UnableToRollbackStageException",
      `Execution ${targetId} is already the current execution of stage ${stageName}.`,
    );
  return startExecution(world, p, {
    trigger: { triggerType: automated ? "AutomatedRollback" : "ManualRollback", triggerDetail: actor },
    sources: target.sources,
    variables: target.variables,
    type: "ROLLBACK",
    onlyStage: stageName,
    rollbackTargetId: targetId,
  });
}

/** Target of an automated rollback: the newest other execution that succeeded in the stage. */
export function autoRollback(world: World, failed: ExecutionRecord, stageName: string): void {
  const p = pipelineOf(world, failed);
  for (let i = p.live.length - 1; i >= 0; i--) {
    const exec = world.executions.get(p.live[i] ?? "");
    if (
      exec &&
      exec.id !== failed.id &&
      exec.pipelineVersion === p.declarations.length &&
      lastStageRun(exec, stageName)?.status === "Succeeded"
    ) {
      rollbackStage(world, p, stageName, exec.id, "codepipeline.amazonaws.com", true);
      return;
    }
  }
}

export function overrideCondition(
  world: World,
  p: PipelineRecord,
  exec: ExecutionRecord | undefined,
  stageName: string,
  kind: "BEFORE_ENTRY" | "ON_SUCCESS",
): void {
  const run: StageRun | undefined = exec && lastStageRun(exec, stageName);
  if (exec && run && p.latestStage[stageName] !== exec.id)
    throw new AwsError(
      "NotLatestPipelineExecutionException",
      `Execution ${exec.id} is not the latest execution of stage ${stageName}.`,
    );
  const cond = run?.conditions.filter((c) => c.kind === kind).pop();
  if (!exec || !run || !cond || cond.status !== "InProgress") {
    throw new AwsError(
      "ConditionNotOverridableException",
      `There is no ${kind} condition in progress for stage ${stageName} in this execution.`,
    );
  }
  finishCondition(world, exec, run, cond, true, true);
}
