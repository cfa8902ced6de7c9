// Finding executions and stage runs, live or recomputed from history.
import type { PipelineDeclaration, StageDeclaration } from "@aws-sdk/client-codepipeline";
import type { ExecutionRecord, PipelineRecord, StageRun } from "../core/types";
import type { World } from "../core/world";
import { historyExecution, historyIndexOf } from "./history";

export function currentDeclaration(p: PipelineRecord): PipelineDeclaration {
  const decl = p.declarations[p.declarations.length - 1];
  if (!decl) throw new Error(`pipeline ${p.name} has no declaration`);
  return decl;
}

export function declarationOf(p: PipelineRecord, exec: ExecutionRecord): PipelineDeclaration {
  return p.declarations[exec.pipelineVersion - 1] ?? currentDeclaration(p);
}

export function stageDecl(p: PipelineRecord, exec: ExecutionRecord, index: number): StageDeclaration | undefined {
  return declarationOf(p, exec).stages?.[index];
}

export function findExecution(world: World, p: PipelineRecord, id: string): ExecutionRecord | undefined {
  const live = world.executions.get(id);
  if (live) return live.pipelineName === p.name ? live : undefined;
  if (!p.history) return undefined;
  const i = historyIndexOf(p.history, id);
  return i === undefined ? undefined : historyExecution(world, p, i);
}

/** Resolves a `latestStage` reference: a live id, or `h:<index>` for history. */
export function resolveRef(world: World, p: PipelineRecord, ref: string): ExecutionRecord | undefined {
  if (ref.startsWith("h:")) return historyExecution(world, p, Number(ref.slice(2)));
  return world.executions.get(ref);
}

export function lastStageRun(exec: ExecutionRecord, stageName: string): StageRun | undefined {
  for (let i = exec.stages.length - 1; i >= 0; i--) {
    const run = exec.stages[i];
    if (run?.name === stageName) return run;
  }
  return undefined;
}

export function historyCount(p: PipelineRecord): number {
  return p.history?.count ?? 0;
}

/** Executions newest first: live ones, then history. Index-based so pages can resume cheaply. */
export function executionAt(world: World, p: PipelineRecord, index: number): ExecutionRecord | undefined {
  const liveCount = p.live.length;
  if (index < liveCount) {
    const id = p.live[liveCount - 1 - index];
    return id === undefined ? undefined : world.executions.get(id);
  }
  const past = historyExecution(world, p, historyCount(p) - 1 - (index - liveCount));
  // A retried history execution lives on as a live record under the same id.
  return (past && world.executions.get(past.id)) ?? past;
}

export function executionCount(p: PipelineRecord): number {
  return p.live.length + historyCount(p);
}
