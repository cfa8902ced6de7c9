// After an event-driven sync that read only an execution's action executions, the stored state snapshot is
// brought forward from them (what GetPipelineState would show for the stages that execution is in), so the
// dashboard stays live without a GetPipelineState per event burst.
import "server-only";
import type { PipelineStateSnapshot } from "@/lib/pipelines/state-snapshot";
import { deriveStageStatus } from "./execution-status";

export interface ActionRow {
  stageName: string;
  actionName: string;
  actionExecutionId: string;
  status: string;
  startTime: Date | null;
  lastUpdateTime: Date | null;
  externalExecutionId: string | null;
  externalExecutionUrl: string | null;
  externalExecutionSummary: string | null;
  errorCode: string | null;
  errorMessage: string | null;
}

export function patchSnapshot(
  snapshot: PipelineStateSnapshot,
  executionId: string,
  executionStatus: string,
  type: string | null,
  actions: ActionRow[],
): PipelineStateSnapshot {
  const byStage = new Map<string, ActionRow[]>();
  for (const a of actions) byStage.set(a.stageName, [...(byStage.get(a.stageName) ?? []), a]);
  return {
    ...snapshot,
    stages: snapshot.stages.map((stage) => {
      const rows = byStage.get(stage.name);
      if (!rows) return stage;
      const latest = new Map<string, ActionRow>();
      for (const r of rows) {
        const seen = latest.get(r.actionName);
        if (!seen || (r.startTime?.getTime() ?? 0) >= (seen.startTime?.getTime() ?? 0)) latest.set(r.actionName, r);
      }
      return {
        ...stage,
        latestExecution: {
          executionId,
          status: deriveStageStatus(rows, executionStatus).status,
          type: type ?? "STANDARD",
        },
        inboundExecutions: stage.inboundExecutions.filter((e) => e.executionId !== executionId),
        actions: stage.actions.map((action) => {
          const row = latest.get(action.name);
          if (!row) return action;
          return {
            ...action,
            latestExecutionId: row.actionExecutionId,
            status: row.status,
            summary: row.externalExecutionSummary,
            lastStatusChange: row.lastUpdateTime?.toISOString() ?? null,
            externalExecutionId: row.externalExecutionId,
            externalExecutionUrl: row.externalExecutionUrl,
            errorCode: row.errorCode,
            errorMessage: row.errorMessage,
            hasToken: false,
          };
        }),
      };
    }),
  };
}
