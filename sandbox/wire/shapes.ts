// Maps the sandbox's records to AWS response shapes: epoch seconds (at most 3 decimals), optional members
// left out rather than sent as null.
import type { PipelineDeclaration } from "@aws-sdk/client-codepipeline";
import type { ActionRun, ConditionRun, ExecutionRecord, PipelineRecord, RuleRun, StageRun } from "../core/types";

export function seconds(ms: number): number {
  return Math.round(ms) / 1000;
}

type Json = Record<string, unknown>;

function defined(obj: Json): Json {
  for (const key of Object.keys(obj)) if (obj[key] === undefined) delete obj[key];
  return obj;
}

export function pipelineSummary(p: PipelineRecord): Json {
  const decl = p.declarations[p.declarations.length - 1];
  return defined({
    name: p.name,
    version: p.declarations.length,
    pipelineType: decl?.pipelineType ?? "V1",
    executionMode: decl?.executionMode ?? "SUPERSEDED",
    created: seconds(p.createdMs),
    updated: seconds(p.updatedMs),
  });
}

/** GitHub v1 OAuth tokens never leave the sandbox: GetPipeline masks them as the real service does. */
export function maskedDeclaration(decl: PipelineDeclaration): PipelineDeclaration {
  return {
    ...decl,
    stages: decl.stages?.map((stage) => ({
      ...stage,
      actions: stage.actions?.map((a) =>
        a.configuration?.OAuthToken !== undefined
          ? { ...a, configuration: { ...a.configuration, OAuthToken: "****" } }
          : a,
      ),
    })),
  };
}

export function stageExecution(exec: ExecutionRecord, status: string, type?: string): Json {
  return defined({ pipelineExecutionId: exec.id, status, type });
}

export function actionExecution(a: ActionRun, showToken: boolean): Json {
  return defined({
    actionExecutionId: a.id,
    status: a.status,
    summary: a.summary,
    lastStatusChange: seconds(a.lastUpdateMs),
    token: showToken && a.status === "InProgress" ? a.token : undefined,
    lastUpdatedBy: a.updatedBy,
    externalExecutionId: a.externalExecutionId,
    externalExecutionUrl: a.externalExecutionUrl,
    percentComplete: a.percentComplete,
    errorDetails: a.errorDetails,
  });
}

function ruleExecution(r: RuleRun): Json {
  return defined({
    ruleExecutionId: r.id,
    status: r.status,
    summary: r.summary,
    lastStatusChange: seconds(r.lastUpdateMs),
    errorDetails: r.errorDetails,
  });
}

export function conditionState(cond: ConditionRun): Json {
  return {
    latestExecution: defined({ status: cond.status, summary: cond.summary }),
    conditionStates: [
      {
        latestExecution: defined({
          status: cond.status,
          summary: cond.summary,
          lastStatusChange: seconds(cond.lastMs),
        }),
        ruleStates: cond.rules.map((r) => ({ ruleName: r.ruleName, latestExecution: ruleExecution(r) })),
      },
    ],
  };
}

export function executionSummary(exec: ExecutionRecord): Json {
  return defined({
    pipelineExecutionId: exec.id,
    status: exec.status,
    statusSummary: exec.statusSummary,
    startTime: seconds(exec.startMs),
    lastUpdateTime: seconds(exec.lastUpdateMs),
    sourceRevisions: exec.sources.map((s) => ({
      actionName: s.actionName,
      revisionId: s.revisionId,
      revisionSummary: s.summary,
      revisionUrl: s.url,
    })),
    trigger: defined({ ...exec.trigger }),
    stopTrigger: exec.stopTrigger,
    executionMode: exec.mode,
    executionType: exec.type,
    rollbackMetadata: exec.rollbackTargetId ? { rollbackTargetPipelineExecutionId: exec.rollbackTargetId } : undefined,
  });
}

export function pipelineExecution(exec: ExecutionRecord): Json {
  return defined({
    pipelineName: exec.pipelineName,
    pipelineVersion: exec.pipelineVersion,
    pipelineExecutionId: exec.id,
    status: exec.status,
    statusSummary: exec.statusSummary,
    artifactRevisions: exec.sources.map((s) => ({
      name: s.artifactName,
      revisionId: s.revisionId,
      revisionChangeIdentifier: s.changeId,
      revisionSummary: s.summary,
      created: seconds(s.createdMs),
      revisionUrl: s.url,
    })),
    variables: exec.variables,
    trigger: defined({ ...exec.trigger }),
    executionMode: exec.mode,
    executionType: exec.type,
    rollbackMetadata: exec.rollbackTargetId ? { rollbackTargetPipelineExecutionId: exec.rollbackTargetId } : undefined,
  });
}

export function stageRunStatus(run: StageRun): string {
  return run.status;
}
