// The sandbox's own records. They are plain JSON so the state file is just these objects; the wire layer maps
// them to AWS shapes (epoch-second timestamps, optional members omitted).
import type { PipelineDeclaration, Tag } from "@aws-sdk/client-codepipeline";

export type PipelineStatus =
  "InProgress" | "Stopping" | "Stopped" | "Succeeded" | "Superseded" | "Failed" | "Cancelled";
export type StageStatus = "InProgress" | "Failed" | "Stopped" | "Stopping" | "Succeeded" | "Cancelled" | "Skipped";
export type ActionStatus = "InProgress" | "Abandoned" | "Succeeded" | "Failed";
export type ConditionStatus =
  "InProgress" | "Failed" | "Errored" | "Succeeded" | "Cancelled" | "Abandoned" | "Overridden";
export type ConditionKind = "BEFORE_ENTRY" | "ON_SUCCESS" | "ON_FAILURE";
export type Mode = "QUEUED" | "SUPERSEDED" | "PARALLEL";

export interface TransitionRecord {
  enabled: boolean;
  lastChangedBy: string;
  lastChangedAt: number;
  disabledReason?: string;
}

/** How a seeded pipeline behaves: rates are per action attempt. Pipelines made through CreatePipeline never fail on their own. */
export interface Profile {
  failureRate: number;
  /** Share of approvals a simulated reviewer answers; the rest wait for a person. */
  autoApproveRate: number;
  /** Mean gap between webhook-like starts in the live demo. */
  activityEveryMs: number;
}

export interface HistoryPlan {
  /** Fleet index used as the hashing key of the history. */
  key: string;
  fromMs: number;
  everyMs: number;
  count: number;
  version: number;
}

/** A commit's author as git records it; the GitHub stand-in links it to an account by e-mail, as GitHub does. */
export interface CommitAuthor {
  name: string;
  email: string;
}

export interface CommitRecord {
  sha: string;
  /** Empty for a root commit. */
  parents: string[];
  message: string;
  author: CommitAuthor;
  createdMs: number;
}

export interface PipelineRecord {
  name: string;
  /** declarations[v - 1] is version v. */
  declarations: PipelineDeclaration[];
  createdMs: number;
  updatedMs: number;
  tags: Tag[];
  transitions: Record<string, TransitionRecord>;
  profile: Profile;
  history?: HistoryPlan;
  /** Stage name -> executions held before entering it, oldest first. */
  waiting: Record<string, string[]>;
  /** Stage name -> execution currently running it (not used by PARALLEL). */
  occupant: Record<string, string>;
  /** Stage name -> execution that ran it last (live id, or history index as "h:<i>"). */
  latestStage: Record<string, string>;
  /** Live execution ids, oldest first. */
  live: string[];
  /** Latest commit on the source branch: what a start without sourceRevisions builds. */
  head?: { sha: string; message: string; createdMs: number };
  /** Who writes this pipeline's commits: the first authors every delivered commit, the others the ones between. */
  authors?: CommitAuthor[];
  /** Commits pushed while running (the newest few hundred), oldest first; history commits are recomputed. */
  commits?: CommitRecord[];
}

export interface Revision {
  actionName: string;
  artifactName: string;
  revisionId: string;
  summary: string;
  url: string;
  changeId: string;
  createdMs: number;
}

export interface ErrorDetailsRecord {
  code: string;
  message: string;
}

export interface ActionRun {
  id: string;
  stageName: string;
  actionName: string;
  status: ActionStatus;
  startMs: number;
  lastUpdateMs: number;
  updatedBy?: string;
  summary?: string;
  externalExecutionId?: string;
  externalExecutionUrl?: string;
  errorDetails?: ErrorDetailsRecord;
  outputVariables?: Record<string, string>;
  percentComplete?: number;
  token?: string;
  tokenExpiresMs?: number;
  /** Set once the approval was answered (or expired), to tell the two approval errors apart. */
  approvalDone?: "answered" | "expired";
  /** Task sequence number of the pending completion, so a stale completion after abandon/retry is ignored. */
  pending?: number;
}

export interface RuleRun {
  id: string;
  ruleName: string;
  provider: string;
  status: ActionStatus;
  startMs: number;
  lastUpdateMs: number;
  summary?: string;
  errorDetails?: ErrorDetailsRecord;
}

export interface ConditionRun {
  kind: ConditionKind;
  status: ConditionStatus;
  summary?: string;
  startMs: number;
  lastMs: number;
  rules: RuleRun[];
}

export interface StageRun {
  name: string;
  status: StageStatus;
  type: "STANDARD" | "ROLLBACK";
  startMs: number;
  endMs?: number;
  /** Every action attempt, in start order. */
  actions: ActionRun[];
  /** The runOrder group now running. */
  runOrder?: number;
  /** Action names this attempt still has to run (FAILED_ACTIONS retries skip the ones that succeeded). */
  todo?: string[];
  manualRetries: number;
  autoRetries: number;
  latestRetryTrigger?: "AutomatedStageRetry" | "ManualStageRetry";
  conditions: ConditionRun[];
}

export interface ExecutionRecord {
  id: string;
  pipelineName: string;
  pipelineVersion: number;
  status: PipelineStatus;
  statusSummary?: string;
  startMs: number;
  lastUpdateMs: number;
  trigger: { triggerType: string; triggerDetail?: string };
  stopTrigger?: { reason: string };
  mode: Mode;
  type: "STANDARD" | "ROLLBACK";
  rollbackTargetId?: string;
  sources: Revision[];
  variables: { name: string; resolvedValue: string }[];
  stages: StageRun[];
  /** Index of the stage being run or waited for; equals stages count when done. */
  cursor: number;
  /** For ROLLBACK executions: the only stage they run. */
  onlyStage?: string;
  stopping?: { abandon: boolean };
  /** Seeded runs that must not fail on their own (so the fleet always shows a waiting approval). */
  clean?: boolean;
  seq: number;
}
