// Our own shape of CodePipeline's GetPipelineState, stored in Pipeline.state and read by the dashboard.
// Isomorphic (no server imports). Approval tokens are never part of it: only whether one is pending.
// Statuses are open strings, because AWS adds values over time.

export interface TransitionSnapshot {
  enabled: boolean;
  disabledReason: string | null;
  lastChangedBy: string | null;
  /** ISO-8601. */
  lastChangedAt: string | null;
}

export interface StageExecutionRef {
  executionId: string;
  status: string;
  type: string | null;
}

export interface ActionStateSnapshot {
  name: string;
  latestExecutionId: string | null;
  status: string | null;
  summary: string | null;
  /** ISO-8601. */
  lastStatusChange: string | null;
  externalExecutionId: string | null;
  externalExecutionUrl: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  percentComplete: number | null;
  /** A pending approval token exists (the token itself is kept out of this shape). */
  hasToken: boolean;
  revisionId: string | null;
  revisionUrl: string | null;
  entityUrl: string | null;
}

export interface ConditionStateSnapshot {
  kind: "BEFORE_ENTRY" | "ON_SUCCESS" | "ON_FAILURE";
  status: string | null;
  summary: string | null;
  executionId: string | null;
}

export interface StageStateSnapshot {
  name: string;
  latestExecution: StageExecutionRef | null;
  inboundTransition: TransitionSnapshot | null;
  /** Executions held before this stage (QUEUED/PARALLEL), oldest first as AWS lists them. */
  inboundExecutions: StageExecutionRef[];
  actions: ActionStateSnapshot[];
  conditions: ConditionStateSnapshot[];
  retry: { autoAttempts: number | null; manualAttempts: number | null; latestTrigger: string | null } | null;
}

export interface PipelineStateSnapshot {
  pipelineVersion: number | null;
  /** ISO-8601. */
  created: string | null;
  updated: string | null;
  stages: StageStateSnapshot[];
}

/** Execution ids that the snapshot shows as still moving (running, stopping, or held at a stage). */
export function activeExecutionIds(state: PipelineStateSnapshot): string[] {
  const ids = new Set<string>();
  for (const stage of state.stages) {
    if (stage.latestExecution && isActiveStatus(stage.latestExecution.status))
      ids.add(stage.latestExecution.executionId);
    for (const inbound of stage.inboundExecutions) ids.add(inbound.executionId);
  }
  return [...ids];
}

export function isActiveStatus(status: string | null | undefined): boolean {
  return status === "InProgress" || status === "Stopping";
}
