// Execution-level AWS shapes -> ours.
import "server-only";
import type {
  ActionExecutionDetail,
  PipelineExecution,
  PipelineExecutionSummary,
  RuleExecutionDetail,
} from "@aws-sdk/client-codepipeline";
import { maskEntries, maskValue } from "@/lib/server/secrets/mask";
import { date, num, str, stringMap } from "./text";
import type { ActionExecutionInfo, ExecutionDetailInfo, ExecutionSummaryInfo, RuleExecutionInfo } from "./types";

export function mapExecutionSummary(s: PipelineExecutionSummary): ExecutionSummaryInfo | null {
  const executionId = str(s.pipelineExecutionId, 100);
  if (!executionId) return null;
  return {
    executionId,
    status: str(s.status, 50) ?? "Unknown",
    statusSummary: str(s.statusSummary, 2048),
    startTime: date(s.startTime),
    lastUpdateTime: date(s.lastUpdateTime),
    sourceRevisions: (s.sourceRevisions ?? []).slice(0, 50).map((r) => ({
      actionName: str(r.actionName, 100),
      artifactName: null,
      revisionId: str(r.revisionId, 1500),
      revisionSummary: str(r.revisionSummary, 2048),
      revisionUrl: str(r.revisionUrl, 2048),
    })),
    triggerType: str(s.trigger?.triggerType, 50),
    triggerDetail: str(s.trigger?.triggerDetail, 1024),
    stopReason: str(s.stopTrigger?.reason, 200),
    executionMode: str(s.executionMode, 20),
    executionType: str(s.executionType, 20),
    rollbackTargetExecutionId: str(s.rollbackMetadata?.rollbackTargetPipelineExecutionId, 100),
  };
}

export function mapExecutionDetail(e: PipelineExecution | undefined): ExecutionDetailInfo | null {
  const executionId = str(e?.pipelineExecutionId, 100);
  if (!e || !executionId) return null;
  return {
    executionId,
    status: str(e.status, 50) ?? "Unknown",
    statusSummary: str(e.statusSummary, 2048),
    pipelineVersion: num(e.pipelineVersion),
    variables: (e.variables ?? []).slice(0, 100).flatMap((v) => {
      const name = str(v.name, 128);
      // Masked here, before storing: a reader of the repository must not see a secret a variable resolved to.
      return name ? [{ name, resolvedValue: maskValue(name, str(v.resolvedValue, 1000)) }] : [];
    }),
    artifactRevisions: (e.artifactRevisions ?? []).slice(0, 50).map((r) => ({
      actionName: null,
      artifactName: str(r.name, 100),
      revisionId: str(r.revisionId, 1500),
      revisionSummary: str(r.revisionSummary, 2048),
      revisionUrl: str(r.revisionUrl, 2048),
    })),
    triggerType: str(e.trigger?.triggerType, 50),
    triggerDetail: str(e.trigger?.triggerDetail, 1024),
    executionMode: str(e.executionMode, 20),
    executionType: str(e.executionType, 20),
    rollbackTargetExecutionId: str(e.rollbackMetadata?.rollbackTargetPipelineExecutionId, 100),
  };
}

export function mapActionExecution(d: ActionExecutionDetail): ActionExecutionInfo | null {
  const executionId = str(d.pipelineExecutionId, 100);
  const actionExecutionId = str(d.actionExecutionId, 200);
  const stageName = str(d.stageName, 100);
  const actionName = str(d.actionName, 100);
  if (!executionId || !actionExecutionId || !stageName || !actionName) return null;
  const result = d.output?.executionResult;
  return {
    executionId,
    actionExecutionId,
    pipelineVersion: num(d.pipelineVersion),
    stageName,
    actionName,
    status: str(d.status, 50) ?? "Unknown",
    startTime: date(d.startTime),
    lastUpdateTime: date(d.lastUpdateTime),
    updatedBy: str(d.updatedBy, 300),
    category: str(d.input?.actionTypeId?.category, 50),
    provider: str(d.input?.actionTypeId?.provider, 100),
    externalExecutionId: str(result?.externalExecutionId, 1500),
    externalExecutionUrl: str(result?.externalExecutionUrl, 2048),
    externalExecutionSummary: str(result?.externalExecutionSummary, 2048),
    errorCode: str(result?.errorDetails?.code, 200),
    errorMessage: str(result?.errorDetails?.message, 5000),
    outputVariables: maskOutputs(stringMap(d.output?.outputVariables)),
  };
}

const maskOutputs = (outputs: Record<string, string> | null) => (outputs ? maskEntries(outputs) : null);

export function mapRuleExecution(d: RuleExecutionDetail): RuleExecutionInfo | null {
  const executionId = str(d.pipelineExecutionId, 100);
  const ruleExecutionId = str(d.ruleExecutionId, 200);
  const stageName = str(d.stageName, 100);
  const ruleName = str(d.ruleName, 100);
  if (!executionId || !ruleExecutionId || !stageName || !ruleName) return null;
  const result = d.output?.executionResult;
  return {
    executionId,
    ruleExecutionId,
    stageName,
    ruleName,
    status: str(d.status, 50) ?? "Unknown",
    startTime: date(d.startTime),
    lastUpdateTime: date(d.lastUpdateTime),
    provider: str(d.input?.ruleTypeId?.provider, 100),
    summary: str(result?.externalExecutionSummary, 2048),
    errorCode: str(result?.errorDetails?.code, 200),
    errorMessage: str(result?.errorDetails?.message, 5000),
  };
}
