// The execution state machine: stages in order, actions by runOrder (equal orders in parallel), stage locks per
// execution mode, held transitions, approvals, conditions, failures. Every step is a scheduler task, so the
// manual clock replays the same history for the same inputs.
import type { ActionDeclaration, StageDeclaration } from "@aws-sdk/client-codepipeline";
import { unit } from "../core/hash";
import type { Task } from "../core/scheduler";
import type { ActionRun, ExecutionRecord, PipelineRecord, Revision, StageRun } from "../core/types";
import type { World } from "../core/world";
import { durationFor, isApproval, resultFor } from "./behaviour";
import { startCondition } from "./conditions";
import { declarationOf, lastStageRun, stageDecl } from "./lookup";

const APPROVAL_DEFAULT_MINUTES = 7 * 24 * 60;
export const SYSTEM_ACTOR = "codepipeline.amazonaws.com";

export interface StartRequest {
  trigger: ExecutionRecord["trigger"];
  sources: Revision[];
  variables: ExecutionRecord["variables"];
  type?: "STANDARD" | "ROLLBACK";
  onlyStage?: string;
  rollbackTargetId?: string;
}

export function pipelineOf(world: World, exec: ExecutionRecord): PipelineRecord {
  const p = world.pipelines.get(exec.pipelineName);
  if (!p) throw new Error(`pipeline ${exec.pipelineName} vanished`);
  return p;
}

function touch(world: World, exec: ExecutionRecord): void {
  exec.lastUpdateMs = world.clock.now();
}

export function setExecStatus(
  world: World,
  exec: ExecutionRecord,
  status: ExecutionRecord["status"],
  event: string,
): void {
  exec.status = status;
  touch(world, exec);
  world.onChange({ level: "pipeline", state: event, exec });
}

export function setStageStatus(
  world: World,
  exec: ExecutionRecord,
  run: StageRun,
  status: StageRun["status"],
  event: string,
): void {
  run.status = status;
  if (status !== "InProgress" && status !== "Stopping") run.endMs = world.clock.now();
  touch(world, exec);
  world.onChange({ level: "stage", state: event, exec, stage: run.name });
}

export function setActionStatus(
  world: World,
  exec: ExecutionRecord,
  action: ActionRun,
  status: ActionRun["status"],
  event: string,
): void {
  action.status = status;
  action.lastUpdateMs = world.clock.now();
  delete action.pending;
  touch(world, exec);
  world.onChange({
    level: "action",
    state: event,
    exec,
    stage: action.stageName,
    action: action.actionName,
    actionRunId: action.id,
  });
}

export function startExecution(world: World, p: PipelineRecord, req: StartRequest): ExecutionRecord {
  const now = world.clock.now();
  const decl = p.declarations[p.declarations.length - 1];
  const exec: ExecutionRecord = {
    id: world.rng.uuid(),
    pipelineName: p.name,
    pipelineVersion: p.declarations.length,
    status: "InProgress",
    startMs: now,
    lastUpdateMs: now,
    trigger: req.trigger,
    mode: decl?.executionMode ?? "SUPERSEDED",
    type: req.type ?? "STANDARD",
    sources: req.sources,
    variables: req.variables,
    stages: [],
    cursor: 0,
    seq: world.execSeq++,
    ...(req.onlyStage ? { onlyStage: req.onlyStage } : {}),
    ...(req.rollbackTargetId ? { rollbackTargetId: req.rollbackTargetId } : {}),
  };
  world.executions.set(exec.id, exec);
  p.live.push(exec.id);
  world.onChange({ level: "pipeline", state: "STARTED", exec });
  const first = req.onlyStage ? (decl?.stages ?? []).findIndex((s) => s.name === req.onlyStage) : 0;
  enterStage(world, exec, Math.max(0, first));
  return exec;
}

function isBlocked(p: PipelineRecord, exec: ExecutionRecord, stage: StageDeclaration, index: number): boolean {
  const name = stage.name ?? "";
  if (index > 0 && p.transitions[name]?.enabled === false) return true;
  const occupant = p.occupant[name];
  return exec.mode !== "PARALLEL" && occupant !== undefined && occupant !== exec.id;
}

export function enterStage(world: World, exec: ExecutionRecord, index: number): void {
  if (exec.status !== "InProgress") return;
  const p = pipelineOf(world, exec);
  exec.cursor = index;
  if (exec.stopping) return finishStop(world, exec);
  const stage = stageDecl(p, exec, index);
  if (!stage || (exec.onlyStage && stage.name !== exec.onlyStage))
    return setExecStatus(world, exec, "Succeeded", "SUCCEEDED");
  const name = stage.name ?? "";
  if (isBlocked(p, exec, stage, index)) return hold(world, p, exec, name);
  if (exec.mode !== "PARALLEL") p.occupant[name] = exec.id;
  const run: StageRun = {
    name,
    status: "InProgress",
    type: exec.type,
    startMs: world.clock.now(),
    actions: [],
    manualRetries: 0,
    autoRetries: 0,
    conditions: [],
    todo: (stage.actions ?? []).map((a) => a.name ?? ""),
  };
  exec.stages.push(run);
  p.latestStage[name] = exec.id;
  setStageStatus(world, exec, run, "InProgress", "STARTED");
  if (stage.beforeEntry?.conditions?.length && exec.type === "STANDARD")
    startCondition(world, exec, run, "BEFORE_ENTRY");
  else startNextGroup(world, exec, run);
}

function hold(world: World, p: PipelineRecord, exec: ExecutionRecord, stageName: string): void {
  const queue = (p.waiting[stageName] ??= []);
  if (exec.mode === "SUPERSEDED") {
    // Only one execution may wait at a stage: the newer one replaces it.
    for (const olderId of queue.splice(0)) {
      const older = world.executions.get(olderId);
      if (older && older.status === "InProgress") setExecStatus(world, older, "Superseded", "SUPERSEDED");
    }
  }
  queue.push(exec.id);
  touch(world, exec);
}

export function removeFromQueues(p: PipelineRecord, execId: string): boolean {
  let found = false;
  for (const queue of Object.values(p.waiting)) {
    const at = queue.indexOf(execId);
    if (at >= 0) {
      queue.splice(at, 1);
      found = true;
    }
  }
  return found;
}

/** Frees a stage and lets waiting executions in, oldest first. */
export function release(world: World, p: PipelineRecord, stageName: string, execId?: string): void {
  if (execId === undefined || p.occupant[stageName] === execId) delete p.occupant[stageName];
  pump(world, p, stageName);
}

export function pump(world: World, p: PipelineRecord, stageName: string): void {
  const queue = p.waiting[stageName];
  while (queue && queue.length > 0) {
    const next = world.executions.get(queue[0] ?? "");
    if (!next || next.status !== "InProgress") {
      queue.shift();
      continue;
    }
    const index = (declarationOf(p, next).stages ?? []).findIndex((s) => s.name === stageName);
    const stage = declarationOf(p, next).stages?.[index];
    if (!stage || isBlocked(p, next, stage, index)) return;
    queue.shift();
    enterStage(world, next, index);
  }
}

function actionsOf(p: PipelineRecord, exec: ExecutionRecord, run: StageRun): ActionDeclaration[] {
  const stage = (declarationOf(p, exec).stages ?? []).find((s) => s.name === run.name);
  return stage?.actions ?? [];
}

export function startNextGroup(world: World, exec: ExecutionRecord, run: StageRun): void {
  const p = pipelineOf(world, exec);
  const todo = new Set(run.todo ?? []);
  const pending = actionsOf(p, exec, run).filter((a) => todo.has(a.name ?? ""));
  if (pending.length === 0) return stageActionsDone(world, exec, run);
  const order = Math.min(...pending.map((a) => a.runOrder ?? 1));
  run.runOrder = order;
  for (const decl of pending.filter((a) => (a.runOrder ?? 1) === order)) startAction(world, p, exec, run, decl);
}

function startAction(
  world: World,
  p: PipelineRecord,
  exec: ExecutionRecord,
  run: StageRun,
  decl: ActionDeclaration,
): void {
  const now = world.clock.now();
  const action: ActionRun = {
    id: world.rng.uuid(),
    stageName: run.name,
    actionName: decl.name ?? "",
    status: "InProgress",
    startMs: now,
    lastUpdateMs: now,
  };
  run.actions.push(action);
  world.onChange({
    level: "action",
    state: "STARTED",
    exec,
    stage: run.name,
    action: action.actionName,
    actionRunId: action.id,
  });
  const script = world.scripts.get(`${p.name}/${run.name}/${action.actionName}`);
  if (isApproval(decl) && !script) {
    const token = world.rng.uuid();
    action.token = token;
    action.tokenExpiresMs = now + (decl.timeoutInMinutes ?? APPROVAL_DEFAULT_MINUTES) * 60_000;
    if (exec.mode === "PARALLEL") action.externalExecutionId = token;
    world.tokens.set(token, {
      pipelineName: p.name,
      executionId: exec.id,
      stageName: run.name,
      actionName: action.actionName,
      actionRunId: action.id,
    });
    world.scheduler.schedule(action.tokenExpiresMs, "approval-expire", exec.id, { run: action.id, stage: run.name });
    const u = unit(action.id, "auto");
    if (u < p.profile.autoApproveRate) {
      const at = now + 120_000 + Math.round(unit(action.id, "delay") * 3_480_000);
      world.scheduler.schedule(at, "auto-approve", exec.id, {
        run: action.id,
        stage: run.name,
        approve: u < p.profile.autoApproveRate * 0.93,
      });
    }
    return;
  }
  const duration = script?.durationMs ?? durationFor(decl, unit(action.id, "d"), exec.pipelineName, run.name);
  const fail = script?.outcome
    ? script.outcome === "Failed"
    : !exec.clean && !isApproval(decl) && run.name !== "Source" && unit(action.id, "f") < p.profile.failureRate;
  const task = world.scheduler.schedule(now + duration, "action-done", exec.id, {
    run: action.id,
    stage: run.name,
    fail,
  });
  action.pending = task.seq;
  if (fail === false) Object.assign(action, { percentComplete: 0 });
}

export function findActionRun(
  exec: ExecutionRecord,
  stageName: string,
  runId: string,
): { run: StageRun; action: ActionRun } | undefined {
  const run = lastStageRun(exec, stageName);
  const action = run?.actions.find((a) => a.id === runId);
  return run && action ? { run, action } : undefined;
}

export function onActionDone(world: World, task: Task): void {
  const exec = world.executions.get(task.ref);
  const found = exec && findActionRun(exec, String(task.data?.stage), String(task.data?.run));
  if (!exec || !found || found.action.status !== "InProgress" || found.action.pending !== task.seq) return;
  const p = pipelineOf(world, exec);
  const decl = actionsOf(p, exec, found.run).find((a) => a.name === found.action.actionName);
  const fail = task.data?.fail === true;
  delete found.action.percentComplete;
  if (decl) Object.assign(found.action, resultFor(world.env.region, decl, found.action, exec.sources, fail));
  finishAction(world, exec, found.run, found.action, fail ? "Failed" : "Succeeded");
}

export function finishAction(
  world: World,
  exec: ExecutionRecord,
  run: StageRun,
  action: ActionRun,
  status: "Succeeded" | "Failed",
): void {
  setActionStatus(world, exec, action, status, status === "Succeeded" ? "SUCCEEDED" : "FAILED");
  if (status === "Succeeded") run.todo = (run.todo ?? []).filter((n) => n !== action.actionName);
  checkGroup(world, exec, run);
}

export function checkGroup(world: World, exec: ExecutionRecord, run: StageRun): void {
  if (run.actions.some((a) => a.status === "InProgress")) return;
  if (exec.stopping) return finishStop(world, exec);
  if (run.status !== "InProgress") return;
  const failed = run.actions.some((a) => a.status === "Failed" && (run.todo ?? []).includes(a.actionName));
  if (failed) return stageFailed(world, exec, run);
  startNextGroup(world, exec, run);
}

function stageActionsDone(world: World, exec: ExecutionRecord, run: StageRun): void {
  const p = pipelineOf(world, exec);
  const stage = stageDecl(p, exec, exec.cursor);
  if (stage?.onSuccess?.conditions?.length && exec.type === "STANDARD")
    return startCondition(world, exec, run, "ON_SUCCESS");
  stageSucceeded(world, exec, run);
}

export function stageSucceeded(world: World, exec: ExecutionRecord, run: StageRun): void {
  const p = pipelineOf(world, exec);
  delete run.runOrder;
  setStageStatus(world, exec, run, "Succeeded", "SUCCEEDED");
  enterStage(world, exec, exec.cursor + 1);
  release(world, p, run.name, exec.id);
}

export function stageFailed(world: World, exec: ExecutionRecord, run: StageRun, summary?: string): void {
  const p = pipelineOf(world, exec);
  delete run.runOrder;
  setStageStatus(world, exec, run, "Failed", "FAILED");
  const onFailure = stageDecl(p, exec, exec.cursor)?.onFailure;
  if (onFailure?.result === "RETRY" && run.autoRetries < 1 && exec.type === "STANDARD") {
    world.scheduler.schedule(world.clock.now() + 10_000, "auto-retry", exec.id, {
      stage: run.name,
      mode: onFailure.retryConfiguration?.retryMode ?? "FAILED_ACTIONS",
    });
    return;
  }
  if (summary) exec.statusSummary = summary;
  setExecStatus(world, exec, "Failed", "FAILED");
  release(world, p, run.name, exec.id);
  if (onFailure?.result === "ROLLBACK" && exec.type === "STANDARD")
    world.scheduler.schedule(world.clock.now() + 5_000, "auto-rollback", exec.id, { stage: run.name });
}

export function finishStop(world: World, exec: ExecutionRecord): void {
  const p = pipelineOf(world, exec);
  const run = exec.stages[exec.stages.length - 1];
  removeFromQueues(p, exec.id);
  if (run && (run.status === "InProgress" || run.status === "Stopping")) {
    setStageStatus(world, exec, run, "Stopped", "STOPPED");
    release(world, p, run.name, exec.id);
  }
  delete exec.stopping;
  setExecStatus(world, exec, "Stopped", "STOPPED");
}

export function latestAttempt(run: StageRun): Map<string, ActionRun> {
  const latest = new Map<string, ActionRun>();
  for (const a of run.actions) latest.set(a.actionName, a);
  return latest;
}

export function declaredActions(world: World, exec: ExecutionRecord, stageName: string): ActionDeclaration[] {
  const p = pipelineOf(world, exec);
  return (declarationOf(p, exec).stages ?? []).find((s) => s.name === stageName)?.actions ?? [];
}
