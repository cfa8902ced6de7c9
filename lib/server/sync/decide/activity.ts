// What a state snapshot says about a pipeline's activity: whether only people are awaited, when a reviewer
// was asked, when anything last happened, and which running actions could finish by themselves.
import "server-only";
import type { PipelineStateSnapshot } from "@/lib/pipelines/state-snapshot";
import { actionKey } from "./keys";
import type { RunningAction } from "./schedule";

/** True when nothing runs by itself: every running action is a manual approval, the rest is held at a stage. */
export function onlyWaiting(snapshot: PipelineStateSnapshot, approvals: Set<string>): boolean {
  for (const stage of snapshot.stages) {
    if (stage.latestExecution?.status !== "InProgress" && stage.latestExecution?.status !== "Stopping") continue;
    const running = stage.actions.filter((a) => a.status === "InProgress");
    if (running.length === 0 || running.some((a) => !approvals.has(actionKey(stage.name, a.name)))) return false;
  }
  return true;
}

/** The latest action status change the state shows (epoch ms), null when it shows none. */
export function lastChangeAt(snapshot: PipelineStateSnapshot): number | null {
  const times = snapshot.stages.flatMap((s) =>
    s.actions.flatMap((a) => (a.lastStatusChange ? [Date.parse(a.lastStatusChange)] : [])),
  );
  return times.length ? Math.max(...times) : null;
}

/** Start of the most recent running manual approval (PARALLEL executions show no token, so the action status decides). */
export function reviewerAskedAt(snapshot: PipelineStateSnapshot, approvals: Set<string>): number | null {
  let latest: number | null = null;
  for (const stage of snapshot.stages) {
    for (const a of stage.actions) {
      if (a.status !== "InProgress" || !a.lastStatusChange || !approvals.has(actionKey(stage.name, a.name))) continue;
      latest = Math.max(latest ?? 0, Date.parse(a.lastStatusChange));
    }
  }
  return latest;
}

/**
 * The running actions that finish by themselves, with their starts; null when something can move at any
 * time (a stage between actions, an action without a start time), so no finish can be predicted.
 */
export function runningActions(
  snapshot: PipelineStateSnapshot,
  approvals: Set<string>,
  now: number,
): RunningAction[] | null {
  const running: RunningAction[] = [];
  for (const stage of snapshot.stages) {
    if (stage.latestExecution?.status !== "InProgress") continue;
    const inProgress = stage.actions.filter((a) => a.status === "InProgress");
    // A stage between actions (conditions being evaluated) can move at any time.
    if (inProgress.length === 0) return null;
    for (const a of inProgress) {
      const key = actionKey(stage.name, a.name);
      // A reviewer's answer is found by the backed-off checks of waiting pipelines, not by polling for it.
      if (approvals.has(key)) continue;
      if (!a.lastStatusChange) return null;
      // A start later than our own clock (AWS's clock ahead of ours) counts as now: a skew must not stretch the wait.
      running.push({ key, startedAt: Math.min(Date.parse(a.lastStatusChange), now) });
    }
  }
  return running.length ? running : null;
}
