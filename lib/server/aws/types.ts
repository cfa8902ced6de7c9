// What the sync engine knows of CodePipeline, in our own shapes. Everything outside lib/server/aws/
// uses these, never SDK types. Enums stay open strings; timestamps are Dates (or null when AWS omits them).
import "server-only";
import type { PipelineStateSnapshot } from "@/lib/pipelines/state-snapshot";

export interface PipelineSummaryInfo {
  name: string;
  version: number;
  pipelineType: string | null;
  executionMode: string | null;
  created: Date | null;
  updated: Date | null;
}

export interface ActionDefinitionInfo {
  name: string;
  category: string;
  owner: string;
  provider: string;
  providerVersion: string;
  runOrder: number;
  /** Secret-looking keys removed. */
  configuration: Record<string, string> | null;
  region: string | null;
  namespace: string | null;
  timeoutInMinutes: number | null;
}

export interface StageDefinitionInfo {
  name: string;
  actions: ActionDefinitionInfo[];
  /** beforeEntry/onSuccess/onFailure as declared (plain JSON). */
  conditions: Record<string, unknown> | null;
}

export interface PipelineDefinitionInfo {
  name: string;
  version: number;
  arn: string | null;
  pipelineType: string | null;
  executionMode: string | null;
  created: Date | null;
  updated: Date | null;
  variables: unknown[] | null;
  triggers: unknown[] | null;
  stages: StageDefinitionInfo[];
  /** The whole declaration as JSON with secrets removed: what PipelineDefinition stores. */
  declaration: Record<string, unknown>;
}

export interface SourceRevisionInfo {
  actionName: string | null;
  artifactName: string | null;
  revisionId: string | null;
  revisionSummary: string | null;
  revisionUrl: string | null;
}

export interface ExecutionSummaryInfo {
  executionId: string;
  status: string;
  statusSummary: string | null;
  startTime: Date | null;
  lastUpdateTime: Date | null;
  sourceRevisions: SourceRevisionInfo[];
  triggerType: string | null;
  triggerDetail: string | null;
  stopReason: string | null;
  executionMode: string | null;
  executionType: string | null;
  rollbackTargetExecutionId: string | null;
}

export interface ExecutionDetailInfo {
  executionId: string;
  status: string;
  statusSummary: string | null;
  pipelineVersion: number | null;
  variables: { name: string; resolvedValue: string | null }[];
  artifactRevisions: SourceRevisionInfo[];
  triggerType: string | null;
  triggerDetail: string | null;
  executionMode: string | null;
  executionType: string | null;
  rollbackTargetExecutionId: string | null;
}

export interface ActionExecutionInfo {
  executionId: string;
  actionExecutionId: string;
  pipelineVersion: number | null;
  stageName: string;
  actionName: string;
  status: string;
  startTime: Date | null;
  lastUpdateTime: Date | null;
  updatedBy: string | null;
  category: string | null;
  provider: string | null;
  externalExecutionId: string | null;
  externalExecutionUrl: string | null;
  externalExecutionSummary: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  outputVariables: Record<string, string> | null;
}

export interface RuleExecutionInfo {
  executionId: string;
  ruleExecutionId: string;
  stageName: string;
  ruleName: string;
  status: string;
  startTime: Date | null;
  lastUpdateTime: Date | null;
  provider: string | null;
  summary: string | null;
  errorCode: string | null;
  errorMessage: string | null;
}

/** An approval waiting for an answer, as GetPipelineState shows it (token kept out of the snapshot). */
export interface PendingApprovalInfo {
  stageName: string;
  actionName: string;
  token: string;
  executionId: string | null;
  actionExecutionId: string | null;
  since: Date | null;
}

export interface PipelineStateInfo {
  snapshot: PipelineStateSnapshot;
  pendingApprovals: PendingApprovalInfo[];
}

export interface Page<T> {
  items: T[];
  nextToken: string | null;
}

export type AwsOperation =
  | "ListPipelines"
  | "GetPipeline"
  | "GetPipelineState"
  | "ListPipelineExecutions"
  | "GetPipelineExecution"
  | "ListActionExecutions"
  | "ListRuleExecutions"
  | "ListConnections"
  | "ListHosts";

/** A CodeStar connection / CodeConnections connection, as far as repository mapping needs it. */
export interface ConnectionInfo {
  arn: string;
  /** GitHub, GitHubEnterpriseServer, Bitbucket, GitLab, GitLabSelfManaged, ... (open string). */
  providerType: string;
  hostArn: string | null;
  status: string | null;
}

/** A connections host (GitHub Enterprise Server, GitLab self-managed): where its connections point. */
export interface HostInfo {
  arn: string;
  providerType: string;
  providerEndpoint: string | null;
}
