// GetPipeline / ListPipelines output -> our shapes, secrets removed.
import "server-only";
import type { GetPipelineCommandOutput, PipelineSummary } from "@aws-sdk/client-codepipeline";
import { sanitizeConfiguration, sanitizeDeclaration, sanitizeVariableDeclarations } from "./sanitize";
import { date, num, str } from "./text";
import type { PipelineDefinitionInfo, PipelineSummaryInfo, StageDefinitionInfo } from "./types";

export function mapPipelineSummary(summary: PipelineSummary): PipelineSummaryInfo | null {
  const name = str(summary.name, 100);
  if (!name) return null;
  return {
    name,
    version: num(summary.version) ?? 1,
    pipelineType: str(summary.pipelineType, 20),
    executionMode: str(summary.executionMode, 20),
    created: date(summary.created),
    updated: date(summary.updated),
  };
}

export function mapPipelineDefinition(output: GetPipelineCommandOutput): PipelineDefinitionInfo | null {
  const decl = output.pipeline;
  const name = str(decl?.name, 100);
  if (!decl || !name) return null;
  const stages: StageDefinitionInfo[] = (decl.stages ?? []).flatMap((stage) => {
    const stageName = str(stage.name, 100);
    if (!stageName) return [];
    const conditions: Record<string, unknown> = {};
    if (stage.beforeEntry) conditions.beforeEntry = sanitizeDeclaration(stage.beforeEntry);
    if (stage.onSuccess) conditions.onSuccess = sanitizeDeclaration(stage.onSuccess);
    if (stage.onFailure) conditions.onFailure = sanitizeDeclaration(stage.onFailure);
    return [
      {
        name: stageName,
        conditions: Object.keys(conditions).length ? conditions : null,
        actions: (stage.actions ?? []).flatMap((action) => {
          const actionName = str(action.name, 100);
          if (!actionName) return [];
          return [
            {
              name: actionName,
              category: str(action.actionTypeId?.category, 50) ?? "Unknown",
              owner: str(action.actionTypeId?.owner, 50) ?? "Unknown",
              provider: str(action.actionTypeId?.provider, 100) ?? "Unknown",
              providerVersion: str(action.actionTypeId?.version, 20) ?? "1",
              runOrder: num(action.runOrder) ?? 1,
              configuration: sanitizeConfiguration(action.configuration),
              region: str(action.region, 50),
              namespace: str(action.namespace, 100),
              timeoutInMinutes: num(action.timeoutInMinutes),
            },
          ];
        }),
      },
    ];
  });
  const declaration = sanitizeDeclaration(decl);
  return {
    name,
    version: num(decl.version) ?? 1,
    arn: str(output.metadata?.pipelineArn, 300),
    pipelineType: str(decl.pipelineType, 20),
    executionMode: str(decl.executionMode, 20),
    created: date(output.metadata?.created),
    updated: date(output.metadata?.updated),
    variables: decl.variables ? sanitizeVariableDeclarations(decl.variables) : null,
    triggers: decl.triggers ? (sanitizeDeclaration(decl.triggers) as unknown[]) : null,
    stages,
    declaration: declaration && typeof declaration === "object" ? (declaration as Record<string, unknown>) : {},
  };
}
