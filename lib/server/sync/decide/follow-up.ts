// What runs by itself once a reviewer answers a pending manual approval: the next run order of the
// approval's stage, or else the first run order of the next stage. A waiting pipeline is checked at least
// as often as that work takes at its quickest, so an answer given outside Stageboard is found while what
// follows it still runs (and is then followed at the active interval) rather than after it finished unseen.
import "server-only";
import { actionKey } from "./keys";
import type { PipelineStateSnapshot } from "@/lib/pipelines/state-snapshot";

export interface DeclaredAction {
  stageName: string;
  name: string;
  runOrder: number;
}

type RunOrder = (stageName: string, actionName: string) => number;

/**
 * Shortest time (ms) the work following any pending approval can take, from `shortest` (estimated shortest
 * durations by `stage/action`). Null when some of it has too little history to judge; Infinity when only
 * the end of the execution or another approval follows (nothing can finish unseen).
 */
export function followUpShortestMs(
  snapshot: PipelineStateSnapshot,
  declared: DeclaredAction[],
  approvals: Set<string>,
  shortest: Map<string, number>,
): number | null {
  const orders = new Map(declared.map((a) => [actionKey(a.stageName, a.name), a.runOrder]));
  const runOrder: RunOrder = (stageName, actionName) => orders.get(actionKey(stageName, actionName)) ?? 1;
  let quickest = Infinity;
  for (const [index, stage] of snapshot.stages.entries()) {
    for (const action of stage.actions) {
      if (action.status !== "InProgress" || !approvals.has(actionKey(stage.name, action.name))) continue;
      for (const key of followingGroup(snapshot, index, runOrder(stage.name, action.name), runOrder)) {
        if (approvals.has(key)) continue;
        const min = shortest.get(key);
        if (min === undefined) return null;
        quickest = Math.min(quickest, min);
      }
    }
  }
  return quickest;
}

/** `stage/action` keys that start when run order `after` of stage `stageIndex` is done. */
function followingGroup(
  snapshot: PipelineStateSnapshot,
  stageIndex: number,
  after: number,
  runOrder: RunOrder,
): string[] {
  const stage = snapshot.stages[stageIndex];
  const later = stage?.actions.filter((a) => runOrder(stage.name, a.name) > after) ?? [];
  const next = later.length ? stage : snapshot.stages[stageIndex + 1];
  if (!next) return [];
  const actions = later.length ? later : next.actions;
  const first = Math.min(...actions.map((a) => runOrder(next.name, a.name)));
  return actions.filter((a) => runOrder(next.name, a.name) === first).map((a) => actionKey(next.name, a.name));
}
