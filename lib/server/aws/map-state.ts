// GetPipelineState -> PipelineStateSnapshot (tokens kept apart, in pendingApprovals).
import "server-only";
import type { GetPipelineStateCommandOutput, StageExecution, StageState } from "@aws-sdk/client-codepipeline";
import type { ConditionStateSnapshot, StageExecutionRef, StageStateSnapshot } from "@/lib/pipelines/state-snapshot";
import { date, num, str } from "./text";
import type { PendingApprovalInfo, PipelineStateInfo } from "./types";

const iso = (value: unknown) => date(value)?.toISOString() ?? null;

function executionRef(e: StageExecution | undefined): StageExecutionRef | null {
  const executionId = str(e?.pipelineExecutionId, 100);
  if (!e || !executionId) return null;
  return { executionId, status: str(e.status, 50) ?? "Unknown", type: str(e.type, 20) };
}

function conditions(stage: StageState): ConditionStateSnapshot[] {
  const out: ConditionStateSnapshot[] = [];
  const add = (kind: ConditionStateSnapshot["kind"], state: StageState["beforeEntryConditionState"]) => {
    if (!state) return;
    out.push({
      kind,
      status: str(state.latestExecution?.status, 50),
      summary: str(state.latestExecution?.summary, 2048),
      executionId: null,
    });
  };
  add("BEFORE_ENTRY", stage.beforeEntryConditionState);
  add("ON_SUCCESS", stage.onSuccessConditionState);
  add("ON_FAILURE", stage.onFailureConditionState);
  return out;
}

export function mapPipelineState(output: GetPipelineStateCommandOutput): PipelineStateInfo {
  const pendingApprovals: PendingApprovalInfo[] = [];
  const stages: StageStateSnapshot[] = (output.stageStates ?? []).flatMap((stage) => {
    const name = str(stage.stageName, 100);
    if (!name) return [];
    const latestExecution = executionRef(stage.latestExecution);
    const inbound = [...(stage.inboundExecutions ?? []), ...(stage.inboundExecution ? [stage.inboundExecution] : [])];
    const seen = new Set<string>();
    const inboundExecutions = inbound.flatMap((e) => {
      const ref = executionRef(e);
      if (!ref || seen.has(ref.executionId)) return [];
      seen.add(ref.executionId);
      return [ref];
    });
    const transition = stage.inboundTransitionState;
    const actions = (stage.actionStates ?? []).flatMap((action) => {
      const actionName = str(action.actionName, 100);
      if (!actionName) return [];
      const latest = action.latestExecution;
      const token = str(latest?.token, 200);
      if (token && latest?.status === "InProgress") {
        pendingApprovals.push({
          stageName: name,
          actionName,
          token,
          executionId: latestExecution?.executionId ?? null,
          actionExecutionId: str(latest.actionExecutionId, 200),
          since: date(latest.lastStatusChange),
        });
      }
      return [
        {
          name: actionName,
          latestExecutionId: str(latest?.actionExecutionId, 200),
          status: str(latest?.status, 50),
          summary: str(latest?.summary, 2048),
          lastStatusChange: iso(latest?.lastStatusChange),
          externalExecutionId: str(latest?.externalExecutionId, 1500),
          externalExecutionUrl: str(latest?.externalExecutionUrl, 2048),
          errorCode: str(latest?.errorDetails?.code, 200),
          errorMessage: str(latest?.errorDetails?.message, 5000),
          percentComplete: num(latest?.percentComplete),
          hasToken: !!token,
          revisionId: str(action.currentRevision?.revisionId, 1500),
          revisionUrl: str(action.revisionUrl, 2048),
          entityUrl: str(action.entityUrl, 2048),
        },
      ];
    });
    const retry = stage.retryStageMetadata;
    return [
      {
        name,
        latestExecution,
        inboundTransition: transition
          ? {
              enabled: transition.enabled !== false,
              disabledReason: str(transition.disabledReason, 300),
              lastChangedBy: str(transition.lastChangedBy, 300),
              lastChangedAt: iso(transition.lastChangedAt),
            }
          : null,
        inboundExecutions,
        actions,
        conditions: conditions(stage),
        retry: retry
          ? {
              autoAttempts: num(retry.autoStageRetryAttempt),
              manualAttempts: num(retry.manualStageRetryAttempt),
              latestTrigger: str(retry.latestRetryTrigger, 50),
            }
          : null,
      },
    ];
  });
  return {
    snapshot: {
      pipelineVersion: num(output.pipelineVersion),
      created: iso(output.created),
      updated: iso(output.updated),
      stages,
    },
    pendingApprovals,
  };
}
