import { z } from "zod";

// What the browser and the server agree on for approvals and pipeline control: the bodies the command
// routes take (validated with these schemas on the server, built with them in forms) and the shapes the
// read routes answer with. Isomorphic: no server code, no secrets (an approval's token never leaves the
// server).

/** GitHub's repository roles from least to most privileged, as GitHub's REST API names them. */
export const REPOSITORY_PERMISSIONS = ["read", "triage", "write", "maintain", "admin"] as const;
export type RepositoryPermission = (typeof REPOSITORY_PERMISSIONS)[number];

/** Every command a person can give; each has its own minimum permission in the policy. */
export const COMMAND_KINDS = [
  "approve",
  "reject",
  "retry-stage",
  "stop-execution",
  "disable-transition",
  "enable-transition",
  "start-execution",
  "rollback-stage",
  "override-condition",
] as const;
export type CommandKind = (typeof COMMAND_KINDS)[number];

/** What the policy says a viewer may do, worded for the viewer ("needs write on acme/web-app; you have read"). */
export type Right = { allowed: true } | { allowed: false; reason: string };

const comment = z.string().max(4000, "must be at most 4,000 characters");
const name = z.string().min(1).max(100);
const executionId = z.string().regex(/^[0-9a-f-]{36}$/, "must be a pipeline execution id");

/** POST /api/approvals/[id]/decision */
export const decisionBodySchema = z.object({
  decision: z.enum(["approve", "reject"]),
  comment: comment.default(""),
});
export type DecisionBody = z.infer<typeof decisionBodySchema>;

/** POST /api/pipelines/[id]/commands: every command except approval decisions. */
export const commandBodySchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("retry-stage"),
    stageName: name,
    executionId,
    retryMode: z.enum(["FAILED_ACTIONS", "ALL_ACTIONS"]),
  }),
  z.object({
    kind: z.literal("stop-execution"),
    executionId,
    abandon: z.boolean(),
    reason: comment.default(""),
  }),
  z.object({ kind: z.literal("disable-transition"), stageName: name, reason: comment.min(1, "a reason is required") }),
  z.object({ kind: z.literal("enable-transition"), stageName: name }),
  z.object({
    kind: z.literal("start-execution"),
    /** Empty: the latest source revision. */
    sourceRevisions: z
      .array(z.object({ actionName: name, revisionValue: z.string().regex(/^[0-9a-fA-F]{7,64}$/) }))
      .max(50)
      .default([]),
    variables: z
      .array(z.object({ name: z.string().regex(/^[A-Za-z0-9@\-_]{1,128}$/), value: z.string().min(1).max(1000) }))
      .max(50)
      .default([]),
  }),
  z.object({ kind: z.literal("rollback-stage"), stageName: name, targetExecutionId: executionId }),
  z.object({
    kind: z.literal("override-condition"),
    stageName: name,
    executionId,
    conditionType: z.enum(["BEFORE_ENTRY", "ON_SUCCESS"]),
  }),
]);
export type CommandBody = z.infer<typeof commandBodySchema>;

/** One person's vote on an approval that needs several. */
export interface ApprovalVote {
  login: string;
  name: string | null;
  decision: "approve" | "reject";
  comment: string;
  at: string;
}

/** A commit the execution brings, as GitHub's compare reports it; `authorLogin` null: no linked GitHub account. */
export interface ApprovalCommit {
  sha: string;
  message: string;
  url: string | null;
  authorLogin: string | null;
  authorName: string | null;
}

/** An approval as the inbox and the panels show it (GET /api/approvals, GET /api/approvals/[id]). */
export interface ApprovalView {
  id: string;
  pipelineId: string;
  pipelineName: string;
  repository: string | null;
  stageName: string;
  actionName: string;
  /** AWS pipeline execution id. */
  executionId: string | null;
  /** Pending, Approved, Rejected, Expired, or what AWS reported. */
  status: string;
  requestedAt: string;
  expiresAt: string | null;
  customData: string | null;
  /** Only when it is an http(s) URL. */
  externalEntityLink: string | null;
  requiredApprovals: number;
  votes: ApprovalVote[];
  /** Who decided in AWS (a person through Stageboard, or the IAM identity from the console), once decided. */
  decidedBy: string | null;
  decidedAt: string | null;
  summary: string | null;
  /** What the policy lets this viewer do now (advisory: the decision itself re-checks GitHub). */
  rights: { decide: Right };
  /** The policy asks for a comment with an approval too (a rejection always needs one); absent: not known. */
  requireApproveComment?: boolean;
}

/** The approval panel's extra context (GET /api/approvals/[id]). */
export interface ApprovalDetail extends ApprovalView {
  commits: ApprovalCommit[];
  /** The change's commits in all, as GitHub counts them: more than `commits` when Stageboard read only some. */
  totalCommits: number;
  /** GitHub compare link from the commit last delivered past this stage to this execution's. */
  compareUrl: string | null;
  startedBy: string | null;
  previousStages: { name: string; status: string }[];
}

/** What a successful command answers. */
export interface CommandOutcome {
  auditId: string;
  awsRequestId: string | null;
  /** "sent": AWS accepted it; "recorded": a vote was counted and more are needed. */
  result: "sent" | "recorded";
  message: string;
}

/** Commands given at one stage, whose policy may be overridden for that stage. */
export const STAGE_COMMAND_KINDS = [
  "retry-stage",
  "disable-transition",
  "enable-transition",
  "rollback-stage",
  "override-condition",
] as const;
export type StageCommandKind = (typeof STAGE_COMMAND_KINDS)[number];

/** GET /api/pipelines/[id]/rights: what the viewer may do on this pipeline, per command (and per stage where set). */
export interface PipelineRights {
  readOnlyInstance: boolean;
  commands: Record<Exclude<CommandKind, "approve" | "reject">, Right>;
  /**
   * Stages with a policy of their own: their commands' rights there, in place of `commands` (a stage not
   * listed follows `commands`).
   */
  stages?: Record<string, Record<StageCommandKind, Right>>;
}
