import { executionRunText } from "@/components/ui/execution-run-text";
import { ATTENTION_LABELS } from "@/lib/pipelines/attention";
import type { PipelineRow } from "@/lib/server/pipelines/load-pipeline-rows";
import type { PipelineRowData } from "./pipeline-rows";

/** What PipelineRows shows of one row, formatted here on the server against `now`. */
export function pipelineRowData(row: PipelineRow, now: Date): PipelineRowData {
  return {
    id: row.id,
    name: row.name,
    latestStatus: row.latestStatus,
    currentStage: row.currentStage,
    waitingForStage: row.waitingForStage,
    attention: row.attention.map((reason) =>
      reason === "approval" ? `${ATTENTION_LABELS[reason]} (${row.pendingApprovals})` : ATTENTION_LABELS[reason],
    ),
    latest: row.latest && executionRunText(row.latest, now),
    accountId: row.accountId,
    region: row.region,
  };
}
