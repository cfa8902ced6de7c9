// Values derived from a snapshot once, when it is stored, so readers (the overview's current stage, the
// sync step) look them up instead of recomputing them from the JSON on every read.
import "server-only";
import { isActiveStatus, type PipelineStateSnapshot } from "@/lib/pipelines/state-snapshot";
import type { Derived, Position } from "./schema";

/**
 * Each named execution's position: the first stage where it runs, else the first it is held before
 * (waiting), else the last stage whose latest execution it is.
 */
export function positionsOf(snapshot: PipelineStateSnapshot): Record<string, Position> {
  const best = new Map<string, { rank: number; stage: string }>();
  const offer = (executionId: string, rank: number, stage: string) => {
    const current = best.get(executionId);
    // Running and held: the first stage wins; only reached: the last one does.
    if (!current || rank > current.rank || (rank === 0 && current.rank === 0)) best.set(executionId, { rank, stage });
  };
  for (const stage of snapshot.stages) {
    const latest = stage.latestExecution;
    if (latest) offer(latest.executionId, isActiveStatus(latest.status) ? 2 : 0, stage.name);
    for (const held of stage.inboundExecutions) offer(held.executionId, 1, stage.name);
  }
  return Object.fromEntries([...best].map(([id, { rank, stage }]) => [id, { stage, waiting: rank === 1 }]));
}

export function deriveFrom(snapshot: PipelineStateSnapshot, sourceActionName: string | null): Derived {
  return { sourceActionName, positions: positionsOf(snapshot) };
}
