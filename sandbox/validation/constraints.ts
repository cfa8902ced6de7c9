// Value constraints of the CodePipeline input members the sandbox validates, keyed by
// "<Structure>.<member>". The SDK's schema objects give the tree and required members; lengths,
// patterns and ranges are not in the SDK, so they are written here (AWS API 2015-07-09). Enum
// values come from the SDK's enum objects. model-agreement.model-test.ts (npm run test:model) proves this table matches AWS's model.
import {
  ActionCategory,
  ActionOwner,
  ApprovalStatus,
  ArtifactStoreType,
  BlockerType,
  ConditionType,
  EncryptionKeyType,
  EnvironmentVariableType,
  ExecutionMode,
  GitPullRequestEventType,
  PipelineTriggerProviderType,
  PipelineType,
  Result,
  RuleCategory,
  RuleOwner,
  SourceRevisionType,
  StageRetryMode,
  StageTransitionType,
  StartTimeRange,
} from "@aws-sdk/client-codepipeline";

/** Constraints on one member; `member` applies to list elements, `key`/`value` to map entries. */
export interface Rule {
  readonly min?: number;
  readonly max?: number;
  readonly pattern?: string;
  readonly enum?: readonly string[];
  /** Integer-typed number (a Java int on the service side). */
  readonly int?: true;
  readonly member?: Rule;
  readonly key?: Rule;
  readonly value?: Rule;
}

const values = (e: Record<string, string>): readonly string[] => Object.values(e);

const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
const entityName: Rule = { min: 1, max: 100, pattern: "[A-Za-z0-9.@\\-_]+" };
const executionId: Rule = { pattern: UUID };
const nextToken: Rule = { min: 1, max: 2048 };
const pageSize: Rule = { int: true, min: 1, max: 100 };
const pipelineVersion: Rule = { int: true, min: 1 };
const roleArn: Rule = { max: 1024, pattern: "arn:aws(-[\\w]+)*:iam::[0-9]{12}:role/.*" };
const region: Rule = { min: 4, max: 30 };
const typeProvider: Rule = { min: 1, max: 35, pattern: "[0-9A-Za-z_-]+" };
const typeVersion: Rule = { min: 1, max: 9, pattern: "[0-9A-Za-z_-]+" };
const artifactName: Rule = { min: 1, max: 100, pattern: "[a-zA-Z0-9_\\-]+" };
const variableName: Rule = { min: 1, max: 128, pattern: "[A-Za-z0-9@\\-_]+" };
const variableValue: Rule = { min: 1, max: 1000, pattern: ".*" };
const commands: Rule = { min: 1, max: 50, member: { min: 1, max: 1000 } };
const timeout: Rule = { int: true, min: 5, max: 86400 };
const retryMode: Rule = { enum: values(StageRetryMode) };
const result: Rule = { enum: values(Result) };
const conditions: Rule = { min: 1, max: 1 };
const gitPatterns: Rule = { min: 1, max: 8, member: { min: 1, max: 255, pattern: ".*" } };
const gitTagPatterns: Rule = { min: 1, max: 8, member: { min: 1, max: 255 } };

/** Members shared by the operations that address an execution's stage. */
const stageTarget = (struct: string): Record<string, Rule> => ({
  [`${struct}.pipelineName`]: entityName,
  [`${struct}.stageName`]: entityName,
});

export const MEMBER_RULES: Readonly<Record<string, Rule>> = {
  "ListPipelinesInput.nextToken": nextToken,
  "ListPipelinesInput.maxResults": { int: true, min: 1, max: 1000 },
  "GetPipelineInput.name": entityName,
  "GetPipelineInput.version": pipelineVersion,
  "GetPipelineStateInput.name": entityName,
  "ListPipelineExecutionsInput.pipelineName": entityName,
  "ListPipelineExecutionsInput.maxResults": pageSize,
  "ListPipelineExecutionsInput.nextToken": nextToken,
  "SucceededInStageFilter.stageName": entityName,
  "GetPipelineExecutionInput.pipelineName": entityName,
  "GetPipelineExecutionInput.pipelineExecutionId": executionId,
  "ListActionExecutionsInput.pipelineName": entityName,
  "ListActionExecutionsInput.maxResults": pageSize,
  "ListActionExecutionsInput.nextToken": nextToken,
  "ActionExecutionFilter.pipelineExecutionId": executionId,
  "LatestInPipelineExecutionFilter.pipelineExecutionId": executionId,
  "LatestInPipelineExecutionFilter.startTimeRange": { enum: values(StartTimeRange) },
  "ListRuleExecutionsInput.pipelineName": entityName,
  "ListRuleExecutionsInput.maxResults": pageSize,
  "ListRuleExecutionsInput.nextToken": nextToken,
  "RuleExecutionFilter.pipelineExecutionId": executionId,
  ...stageTarget("PutApprovalResultInput"),
  "PutApprovalResultInput.actionName": entityName,
  "PutApprovalResultInput.token": { pattern: UUID },
  "ApprovalResult.summary": { min: 0, max: 512 },
  "ApprovalResult.status": { enum: values(ApprovalStatus) },
  ...stageTarget("EnableStageTransitionInput"),
  "EnableStageTransitionInput.transitionType": { enum: values(StageTransitionType) },
  ...stageTarget("DisableStageTransitionInput"),
  "DisableStageTransitionInput.transitionType": { enum: values(StageTransitionType) },
  "DisableStageTransitionInput.reason": { min: 1, max: 300, pattern: "[a-zA-Z0-9!@ \\(\\)\\.\\*\\?\\-]+" },
  ...stageTarget("RetryStageExecutionInput"),
  "RetryStageExecutionInput.pipelineExecutionId": executionId,
  "RetryStageExecutionInput.retryMode": retryMode,
  "StartPipelineExecutionInput.name": entityName,
  "StartPipelineExecutionInput.variables": { min: 1, max: 50 },
  "StartPipelineExecutionInput.clientRequestToken": { min: 1, max: 128, pattern: "^[a-zA-Z0-9-]+$" },
  "StartPipelineExecutionInput.sourceRevisions": { min: 0, max: 50 },
  "PipelineVariable.name": variableName,
  "PipelineVariable.value": variableValue,
  "SourceRevisionOverride.actionName": entityName,
  "SourceRevisionOverride.revisionType": { enum: values(SourceRevisionType) },
  "SourceRevisionOverride.revisionValue": { min: 1, max: 1500 },
  "StopPipelineExecutionInput.pipelineName": entityName,
  "StopPipelineExecutionInput.pipelineExecutionId": executionId,
  "StopPipelineExecutionInput.reason": { max: 200 },
  ...stageTarget("RollbackStageInput"),
  "RollbackStageInput.targetPipelineExecutionId": executionId,
  ...stageTarget("OverrideStageConditionInput"),
  "OverrideStageConditionInput.pipelineExecutionId": executionId,
  "OverrideStageConditionInput.conditionType": { enum: values(ConditionType) },
  "ListTagsForResourceInput.resourceArn": { pattern: "arn:aws(-[\\w]+)*:codepipeline:.+:[0-9]{12}:.+" },
  "ListTagsForResourceInput.nextToken": nextToken,
  "ListTagsForResourceInput.maxResults": pageSize,
  "DeletePipelineInput.name": entityName,
  "Tag.key": { min: 1, max: 128 },
  "Tag.value": { min: 0, max: 256 },
  // Pipeline declarations (CreatePipeline, UpdatePipeline).
  "PipelineDeclaration.name": entityName,
  "PipelineDeclaration.roleArn": roleArn,
  "PipelineDeclaration.artifactStores": { key: region },
  "PipelineDeclaration.version": pipelineVersion,
  "PipelineDeclaration.executionMode": { enum: values(ExecutionMode) },
  "PipelineDeclaration.pipelineType": { enum: values(PipelineType) },
  "PipelineDeclaration.variables": { max: 50 },
  "PipelineDeclaration.triggers": { max: 50 },
  "ArtifactStore.type": { enum: values(ArtifactStoreType) },
  "ArtifactStore.location": { min: 3, max: 63, pattern: "[a-zA-Z0-9\\-\\.]+" },
  "EncryptionKey.id": { min: 1, max: 400 },
  "EncryptionKey.type": { enum: values(EncryptionKeyType) },
  "StageDeclaration.name": entityName,
  "BlockerDeclaration.name": { min: 1, max: 100 },
  "BlockerDeclaration.type": { enum: values(BlockerType) },
  "ActionDeclaration.name": entityName,
  "ActionDeclaration.runOrder": { int: true, min: 1, max: 999 },
  "ActionDeclaration.configuration": { key: { min: 1, max: 50 }, value: { min: 1, max: 1000 } },
  "ActionDeclaration.commands": commands,
  "ActionDeclaration.outputVariables": { min: 1, max: 15, member: { min: 1, max: 128 } },
  "ActionDeclaration.roleArn": roleArn,
  "ActionDeclaration.region": region,
  "ActionDeclaration.namespace": { min: 1, max: 100, pattern: "[A-Za-z0-9@\\-_]+" },
  "ActionDeclaration.timeoutInMinutes": timeout,
  "ActionDeclaration.environmentVariables": { min: 1, max: 10 },
  "ActionTypeId.category": { enum: values(ActionCategory) },
  "ActionTypeId.owner": { enum: values(ActionOwner) },
  "ActionTypeId.provider": typeProvider,
  "ActionTypeId.version": typeVersion,
  "OutputArtifact.name": artifactName,
  "OutputArtifact.files": { min: 1, max: 10, member: { min: 1, max: 128 } },
  "InputArtifact.name": artifactName,
  "EnvironmentVariable.name": { min: 1, max: 128, pattern: "[A-Za-z0-9_]+" },
  "EnvironmentVariable.value": { min: 1, max: 2000, pattern: ".*" },
  "EnvironmentVariable.type": { enum: values(EnvironmentVariableType) },
  "FailureConditions.result": result,
  "FailureConditions.conditions": conditions,
  "RetryConfiguration.retryMode": retryMode,
  "SuccessConditions.conditions": conditions,
  "BeforeEntryConditions.conditions": conditions,
  "Condition.result": result,
  "Condition.rules": { min: 1, max: 5 },
  "RuleDeclaration.name": entityName,
  "RuleDeclaration.configuration": { min: 0, max: 200, key: { min: 1, max: 50 }, value: { min: 1, max: 10000 } },
  "RuleDeclaration.commands": commands,
  "RuleDeclaration.roleArn": roleArn,
  "RuleDeclaration.region": region,
  "RuleDeclaration.timeoutInMinutes": timeout,
  "RuleTypeId.category": { enum: values(RuleCategory) },
  "RuleTypeId.owner": { enum: values(RuleOwner) },
  "RuleTypeId.provider": typeProvider,
  "RuleTypeId.version": typeVersion,
  "PipelineVariableDeclaration.name": variableName,
  "PipelineVariableDeclaration.defaultValue": variableValue,
  "PipelineVariableDeclaration.description": { min: 0, max: 200, pattern: ".*" },
  "PipelineTriggerDeclaration.providerType": { enum: values(PipelineTriggerProviderType) },
  "GitConfiguration.sourceActionName": entityName,
  "GitConfiguration.push": { min: 1, max: 3 },
  "GitConfiguration.pullRequest": { min: 1, max: 3 },
  "GitTagFilterCriteria.includes": gitTagPatterns,
  "GitTagFilterCriteria.excludes": gitTagPatterns,
  "GitBranchFilterCriteria.includes": gitPatterns,
  "GitBranchFilterCriteria.excludes": gitPatterns,
  "GitFilePathFilterCriteria.includes": gitPatterns,
  "GitFilePathFilterCriteria.excludes": gitPatterns,
  "GitPullRequestFilter.events": { min: 1, max: 3, member: { enum: values(GitPullRequestEventType) } },
};

export function ruleFor(structure: string, member: string): Rule | undefined {
  return Object.hasOwn(MEMBER_RULES, `${structure}.${member}`) ? MEMBER_RULES[`${structure}.${member}`] : undefined;
}
