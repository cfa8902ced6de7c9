import "server-only";

// What write-back knows about one pipeline execution: the stored state the check runs are drawn from, in our own
// terms (statuses stay AWS's open strings). load-facts.ts reads it from PostgreSQL; map-check-runs.ts turns it
// into what GitHub should show. Everything here is untrusted text from AWS unless said otherwise.

export interface StageFacts {
  name: string;
  /** Null: the execution has not reached the stage. */
  status: string | null;
  startTime: Date | null;
  endTime: Date | null;
  /** An http(s) URL the stage's actions exported for the environment they deployed (environment-url.ts). */
  environmentUrl: string | null;
}

export interface FailedActionFacts {
  stageName: string;
  actionName: string;
  errorCode: string | null;
  errorMessage: string | null;
  /** The action's external execution link (a CodeBuild build, a deployment), any scheme: checked when rendered. */
  externalUrl: string | null;
}

export type ApprovalDecider =
  /** Decided through Stageboard: the GitHub account that sent it. */
  | { kind: "person"; login: string; comment: string | null }
  /** Decided in the AWS console or API: the IAM identity AWS recorded. */
  | { kind: "aws"; identity: string; comment: string | null };

export interface ApprovalFacts {
  stageName: string;
  actionName: string;
  /** Pending | Approved | Rejected | Expired, or another final status as AWS reported it. */
  status: string;
  requestedAt: Date;
  expiresAt: Date | null;
  decidedAt: Date | null;
  decider: ApprovalDecider | null;
}

/** The last click on one of this execution's check runs on GitHub that Stageboard answered, and what came of it. */
export interface GitHubClickFacts {
  /** approve | reject (an approval run's buttons) | retry (a re-run of the execution's run) */
  kind: string;
  /** The approval's stage; for a retry, the stage retried ("" when none could be). */
  stageName: string;
  /** succeeded | recorded | refused | failed */
  result: string;
  /** In Stageboard's words, naming the clicker: "Approved on GitHub by @ada", "@linus needs write on …". */
  outcome: string;
}

export interface ExecutionFacts {
  pipeline: { id: string; name: string };
  /** owner/name on the configured GitHub; null when the pipeline's source is not a GitHub repository. */
  repository: string | null;
  executionId: string;
  status: string;
  statusSummary: string | null;
  /** The source commit's full SHA; null when AWS gave none (or not one of a GitHub source). */
  commitSha: string | null;
  branch: string | null;
  startTime: Date;
  lastUpdateTime: Date;
  triggerType: string | null;
  triggerDetail: string | null;
  /** Who started it from Stageboard (GitHub login), when someone did. */
  startedBy: string | null;
  /** Stages in pipeline order; those the execution has not reached have no status. */
  stages: StageFacts[];
  failedActions: FailedActionFacts[];
  /** The latest request of each approval action of this execution. */
  approvals: ApprovalFacts[];
  /** For a Superseded execution: the execution that took its place, when known. */
  supersededBy: string | null;
  /** The latest answered click per approval stage, and the latest re-run; absent when there were none. */
  gitHubClicks?: GitHubClickFacts[];
}
