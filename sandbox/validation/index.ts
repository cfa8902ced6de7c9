// Validates CodePipeline request inputs the way the service does, returning the
// ValidationException message for a bad input and undefined for a good one.
import { compileNode, type Check } from "./compile";
import { summarize } from "./messages";
import { SchemaReader } from "./sdk-schema";

export const VALIDATED_OPERATIONS = [
  "ListPipelines",
  "GetPipeline",
  "GetPipelineState",
  "ListPipelineExecutions",
  "GetPipelineExecution",
  "ListActionExecutions",
  "ListRuleExecutions",
  "PutApprovalResult",
  "EnableStageTransition",
  "DisableStageTransition",
  "RetryStageExecution",
  "StartPipelineExecution",
  "StopPipelineExecution",
  "RollbackStage",
  "OverrideStageCondition",
  "ListTagsForResource",
  "CreatePipeline",
  "UpdatePipeline",
  "DeletePipeline",
] as const;

export type ValidatedOperation = (typeof VALIDATED_OPERATIONS)[number];

const checks = new Map<string, Check>();

function buildChecks(): void {
  const reader = new SchemaReader();
  for (const operation of VALIDATED_OPERATIONS) {
    const input = reader.operationInput(operation);
    checks.set(operation, compileNode(input, undefined, operation));
  }
}

// Built once at load, so a schema or table mismatch fails at start-up rather than mid-request.
buildChecks();

/**
 * AWS-style ValidationException message for `input` to `operation`, or undefined when it is valid
 * (or when the operation is not one this module validates). An absent body counts as `{}`.
 */
export function validateInput(operation: string, input: unknown): string | undefined {
  const check = checks.get(operation);
  if (!check) return undefined;
  const errors: string[] = [];
  check(input ?? {}, "", errors);
  return summarize(errors);
}
