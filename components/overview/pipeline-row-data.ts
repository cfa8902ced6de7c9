import { formatDuration, spanMs } from "@/lib/format/duration";
import { formatRelative, formatTimestamp } from "@/lib/format/time";
import { ATTENTION_LABELS } from "@/lib/pipelines/attention";
import { FINAL_STATUSES } from "@/lib/pipelines/status";
import type { PipelineRow } from "@/lib/server/pipelines/load-pipeline-rows";
import type { PipelineRowData } from "./pipeline-rows";

/** What PipelineRows shows of one row, formatted here on the server against `now`. */
export function pipelineRowData(row: PipelineRow, now: Date): PipelineRowData {
  const latest = row.latest;
  const running = latest ? !FINAL_STATUSES.has(latest.status) : false;
  return {
    id: row.id,
    name: row.name,
    latestStatus: row.latestStatus,
    currentStage: row.currentStage,
    waitingForStage: row.waitingForStage,
    attention: row.attention.map((reason) => (reason === "approval" ? `${ATTENTION_LABELS[reason]} (${row.pendingApprovals})` : ATTENTION_LABELS[reason])),
    latest: latest && {
      commitSha: latest.commitSha,
      commitMessage: latest.commitMessage,
      commitUrl: latest.commitUrl,
      branch: latest.branch,
      triggerType: latest.triggerType,
      startedIso: latest.startTime.toISOString(),
      startedTitle: formatTimestamp(latest.startTime),
      startedAgo: formatRelative(latest.startTime, now),
      duration: `${running ? "running " : ""}${formatDuration(spanMs(latest.startTime, running ? null : latest.lastUpdateTime, now))}`,
    },
    accountId: row.accountId,
    region: row.region,
  };
}
