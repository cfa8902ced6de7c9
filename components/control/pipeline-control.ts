import type { RollbackTarget, StageControl } from "@/lib/control/available-controls";
import { shortSha } from "@/lib/format/commit";
import { formatTimestamp } from "@/lib/format/time";
import type { GraphStage } from "@/lib/pipelines/graph";

/** What the stage graph needs to draw commands and approval links at each stage (live view only). */
export type StageGraphControl = {
  pipelineName: string;
  controlsFor: (stage: GraphStage) => StageControl[];
  /** The pending approval's id at each `stage/action`. */
  approvalAt: ReadonlyMap<string, string>;
};

/** Rollback targets from the recent executions that succeeded, newest first, labelled for a picker. */
export function rollbackTargets(
  recent: readonly { executionId: string; status: string; commitSha: string | null; startTime: Date | string }[],
): RollbackTarget[] {
  return recent
    .filter((e) => e.status === "Succeeded")
    .map((e) => ({
      executionId: e.executionId,
      label: `${e.executionId.slice(0, 8)} · ${shortSha(e.commitSha) || "no commit"} · ${formatTimestamp(e.startTime)}`,
    }));
}
