// Status vocabulary shared by the sync steps. Statuses stay open strings; these sets only say which
// ones mean "nothing more will happen" (a Failed execution can still be retried, which reopens it).
import "server-only";

const FINAL_EXECUTION = new Set(["Succeeded", "Failed", "Stopped", "Cancelled", "Superseded"]);

export function isFinalExecutionStatus(status: string): boolean {
  return FINAL_EXECUTION.has(status);
}

export interface StageActionRow {
  actionName: string;
  status: string;
  startTime: Date | null;
  lastUpdateTime: Date | null;
}

export interface DerivedStage {
  status: string;
  startTime: Date | null;
  endTime: Date | null;
}

/** A stage's status from its action attempts: the latest attempt of each action decides. */
export function deriveStageStatus(actions: StageActionRow[], executionStatus: string): DerivedStage {
  const latest = new Map<string, StageActionRow>();
  for (const a of actions) {
    const seen = latest.get(a.actionName);
    if (!seen || (a.startTime?.getTime() ?? 0) >= (seen.startTime?.getTime() ?? 0)) latest.set(a.actionName, a);
  }
  const statuses = [...latest.values()].map((a) => a.status);
  let status: string;
  if (statuses.includes("InProgress"))
    status = isFinalExecutionStatus(executionStatus) ? executionStatus : "InProgress";
  else if (statuses.includes("Failed")) status = "Failed";
  else if (statuses.includes("Abandoned"))
    status = executionStatus === "Stopping" || executionStatus === "Stopped" ? "Stopped" : "Cancelled";
  else if (statuses.length > 0 && statuses.every((s) => s === "Succeeded")) status = "Succeeded";
  else status = statuses[0] ?? "InProgress";
  const starts = actions.flatMap((a) => (a.startTime ? [a.startTime.getTime()] : []));
  const ends = actions.flatMap((a) => (a.lastUpdateTime ? [a.lastUpdateTime.getTime()] : []));
  return {
    status,
    startTime: starts.length ? new Date(Math.min(...starts)) : null,
    endTime: status === "InProgress" || status === "Stopping" || ends.length === 0 ? null : new Date(Math.max(...ends)),
  };
}
