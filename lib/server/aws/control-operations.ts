// Which CodePipeline operation each command is sent as, and so which IAM action its role needs: what an
// AccessDenied names (control-errors.ts), and what the README's IAM section lists.
import "server-only";
import type { CommandKind } from "@/lib/control/contract";

export const COMMAND_OPERATIONS = {
  approve: "PutApprovalResult",
  reject: "PutApprovalResult",
  "retry-stage": "RetryStageExecution",
  "stop-execution": "StopPipelineExecution",
  "disable-transition": "DisableStageTransition",
  "enable-transition": "EnableStageTransition",
  "start-execution": "StartPipelineExecution",
  "rollback-stage": "RollbackStage",
  "override-condition": "OverrideStageCondition",
} as const satisfies Record<CommandKind, string>;

export type ControlOperation = (typeof COMMAND_OPERATIONS)[CommandKind];
