// Ground truth for a checker that compares a synced database with the sandbox.
//
// Shape (times are epoch milliseconds):
// { "now": 1714000000000,
//   "pipelines": [ { "name": "web-app-prod", "version": 3, "conditions": true,
//     "executions": [ { "id": "<uuid>", "status": "Succeeded", "type": "STANDARD", "start": ms, "updated": ms,
//       "stages": [ { "name": "Build", "status": "Succeeded", "type": "STANDARD", "start": ms, "end": ms | null,
//         "actions": [ { "id": "<uuid>", "name": "Build", "status": "Succeeded", "start": ms, "updated": ms } ],
//         "rules": [ { "id": "<uuid>", "name": "NoActiveAlarms", "status": "Succeeded", "start": ms, "updated": ms } ] } ] } ] } ] }
// Executions are newest first; stages, actions and rules in the order they ran (retried actions appear once
// per attempt). `conditions`: the current version declares stage conditions.
import type { ExecutionRecord, PipelineRecord } from "../core/types";
import type { World } from "../core/world";
import { currentDeclaration, executionAt, executionCount } from "../sim/lookup";

function execTruth(e: ExecutionRecord): Record<string, unknown> {
  return {
    id: e.id,
    status: e.status,
    type: e.type,
    start: e.startMs,
    updated: e.lastUpdateMs,
    stages: e.stages.map((s) => ({
      name: s.name,
      status: s.status,
      type: s.type,
      start: s.startMs,
      end: s.endMs ?? null,
      actions: s.actions.map((a) => ({
        id: a.id,
        name: a.actionName,
        status: a.status,
        start: a.startMs,
        updated: a.lastUpdateMs,
      })),
      rules: s.conditions
        .flatMap((c) => c.rules)
        .map((r) => ({ id: r.id, name: r.ruleName, status: r.status, start: r.startMs, updated: r.lastUpdateMs })),
    })),
  };
}

function pipelineTruth(world: World, p: PipelineRecord): Record<string, unknown> {
  const executions: Record<string, unknown>[] = [];
  for (let i = 0; i < executionCount(p); i++) {
    const e = executionAt(world, p, i);
    if (e) executions.push(execTruth(e));
  }
  const conditions = (currentDeclaration(p).stages ?? []).some((s) => s.beforeEntry ?? s.onSuccess ?? s.onFailure);
  return { name: p.name, version: p.declarations.length, conditions, executions };
}

export function truth(world: World, pipeline?: string): Record<string, unknown> {
  const names = pipeline === undefined ? [...world.pipelines.keys()].sort() : [pipeline];
  const pipelines = names.map((n) => world.pipelines.get(n)).filter((p): p is PipelineRecord => p !== undefined);
  return { now: world.clock.now(), pipelines: pipelines.map((p) => pipelineTruth(world, p)) };
}
