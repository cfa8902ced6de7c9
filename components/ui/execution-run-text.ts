import { formatDuration, spanMs } from "@/lib/format/duration";
import { formatRelative } from "@/lib/format/time";
import { FINAL_STATUSES } from "@/lib/pipelines/status";
import { executionTriggerText } from "@/lib/pipelines/trigger-text";
import type { LatestExecution } from "@/lib/server/pipelines/load-pipeline-rows";

/** An execution's commit and timing as client rows show them: formatted once, on the server, against `now`. */
export interface ExecutionRunText {
  commitSha: string | null;
  commitMessage: string | null;
  commitUrl: string | null;
  branch: string | null;
  triggerType: string | null;
  /** The trigger in words ("webhook", "started by alice (role Admin)"). */
  trigger: string;
  startedIso: string;
  startedAgo: string;
  duration: string;
}

export function executionRunText(
  e: Omit<LatestExecution, "executionId"> & { triggerDetail?: string | null },
  now: Date,
): ExecutionRunText {
  const running = !FINAL_STATUSES.has(e.status);
  return {
    commitSha: e.commitSha,
    commitMessage: e.commitMessage,
    commitUrl: e.commitUrl,
    branch: e.branch,
    triggerType: e.triggerType,
    trigger: executionTriggerText({ triggerType: e.triggerType, triggerDetail: e.triggerDetail ?? null }),
    startedIso: e.startTime.toISOString(),
    startedAgo: formatRelative(e.startTime, now),
    duration: `${running ? "running " : ""}${formatDuration(spanMs(e.startTime, running ? null : e.lastUpdateTime, now))}`,
  };
}
