// Saves and restores the live state. History is not saved: it is recomputed from the seed and each
// pipeline's history plan, which is saved with the pipeline.
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import type { Task } from "../core/scheduler";
import type { ExecutionRecord, PipelineRecord } from "../core/types";
import type { Script, TokenRef, World } from "../core/world";

export interface SavedState {
  format: 1;
  seed: string;
  now: number;
  originMs: number;
  rng: number;
  execSeq: number;
  scheduler: { tasks: Task[]; seq: number };
  pipelines: PipelineRecord[];
  executions: ExecutionRecord[];
  tokens: [string, TokenRef][];
  idempotency: [string, { executionId: string; fingerprint: string }][];
  scripts: [string, Script][];
}

export function snapshot(world: World): SavedState {
  return {
    format: 1,
    seed: world.env.seed,
    now: world.clock.now(),
    originMs: world.originMs,
    rng: world.rng.state,
    execSeq: world.execSeq,
    scheduler: world.scheduler.snapshot(),
    pipelines: [...world.pipelines.values()],
    executions: [...world.executions.values()],
    tokens: [...world.tokens],
    idempotency: [...world.idempotency],
    scripts: [...world.scripts],
  };
}

export function saveState(path: string, world: World): void {
  // Write then rename, so a crash mid-write never leaves a truncated state file.
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, JSON.stringify(snapshot(world)));
  renameSync(tmp, path);
}

export function loadState(path: string): SavedState | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
  const parsed = JSON.parse(text) as SavedState;
  if (parsed.format !== 1) throw new Error(`unsupported state file format in ${path}`);
  return parsed;
}
