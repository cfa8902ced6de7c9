import "server-only";
import { z } from "zod";
import { ACTION_LIMITS, actionsProblem } from "./check-run-actions";

// What GitHub should show, as stored on WritebackJob.desired. This module owns the shape: a versioned schema and
// the only reader and writer. Only the latest desired state of a job is ever sent, so the shape is the complete
// request body (nothing is merged with what was sent before): a check run, a commit status, or a deployment and
// its latest status.

export const CHECK_RUN_STATUSES = ["queued", "in_progress", "completed"] as const;
export const CHECK_RUN_CONCLUSIONS = [
  "action_required",
  "cancelled",
  "failure",
  "neutral",
  "success",
  "skipped",
  "timed_out",
] as const;
export type CheckRunConclusion = (typeof CHECK_RUN_CONCLUSIONS)[number];

/** GitHub's limit on a summary, in characters and in bytes. */
export const SUMMARY_MAX = 65_535;

const checkRunSchema = z.object({
  name: z.string().min(1).max(255),
  headSha: z.string().regex(/^[0-9a-f]{40}$/),
  externalId: z.string().min(1).max(255),
  detailsUrl: z.url({ protocol: /^https?$/ }),
  status: z.enum(CHECK_RUN_STATUSES),
  /** Set exactly when status is completed. */
  conclusion: z.enum(CHECK_RUN_CONCLUSIONS).nullable(),
  startedAt: z.iso.datetime().nullable(),
  completedAt: z.iso.datetime().nullable(),
  title: z.string().min(1).max(255),
  summary: z.string().max(SUMMARY_MAX),
  /**
   * The run's buttons (an approval's run): sent whenever set, so `[]` takes them away once it is decided. Absent:
   * the run has none and never had (the execution's run), and the field is left out of the request.
   */
  actions: z
    .array(
      z.object({
        label: z.string().min(1).max(ACTION_LIMITS.label),
        description: z.string().min(1).max(ACTION_LIMITS.description),
        identifier: z.string().min(1).max(ACTION_LIMITS.identifier),
      }),
    )
    .max(ACTION_LIMITS.count)
    .optional(),
});
export type DesiredCheckRun = z.infer<typeof checkRunSchema>;

export const COMMIT_STATES = ["pending", "success", "failure", "error"] as const;
/** GitHub's limit on a commit status description. */
export const STATUS_DESCRIPTION_MAX = 140;

const statusSchema = z.object({
  context: z.string().min(1).max(255),
  sha: z.string().regex(/^[0-9a-f]{40}$/),
  state: z.enum(COMMIT_STATES),
  description: z.string().max(STATUS_DESCRIPTION_MAX),
  targetUrl: z.url({ protocol: /^https?$/ }),
  /** The execution whose state this is (several executions of one pipeline may run one commit). */
  executionId: z.string().min(1),
});
export type DesiredStatus = z.infer<typeof statusSchema>;

export const DEPLOYMENT_STATES = ["queued", "in_progress", "success", "failure", "error", "inactive"] as const;
export type DeploymentState = (typeof DEPLOYMENT_STATES)[number];

const deploymentSchema = z.object({
  sha: z.string().regex(/^[0-9a-f]{40}$/),
  environment: z.string().min(1).max(255),
  production: z.boolean(),
  transient: z.boolean(),
  /** What names the deployment among the commit's deployments to the environment (a lookup compares it). */
  payload: z.object({ pipeline: z.string(), pipelineId: z.string(), executionId: z.string(), stage: z.string() }),
  description: z.string().max(STATUS_DESCRIPTION_MAX),
  state: z.enum(DEPLOYMENT_STATES),
  logUrl: z.url({ protocol: /^https?$/ }),
  environmentUrl: z.url({ protocol: /^https?$/ }).nullable(),
  /** When the stage started: the newest successful deployment to an environment is the one it runs. */
  startedAt: z.iso.datetime(),
});
export type DesiredDeployment = z.infer<typeof deploymentSchema>;

const desiredSchema = z.discriminatedUnion("kind", [
  z.object({ v: z.literal(1), kind: z.literal("check-run"), checkRun: checkRunSchema }),
  z.object({ v: z.literal(1), kind: z.literal("status"), status: statusSchema }),
  z.object({ v: z.literal(1), kind: z.literal("deployment"), deployment: deploymentSchema }),
]);
export type Desired = z.infer<typeof desiredSchema>;

/** Job kinds: which of an execution's reports a job is. */
export type WritebackKind =
  "check-run.execution" | "check-run.approval" | "status.execution" | "status.stage" | "deployment.stage";

export function checkRunDesired(checkRun: DesiredCheckRun): Desired {
  const problem = checkRun.actions ? actionsProblem(checkRun.actions) : null;
  if (problem) throw new Error(`Check run actions do not fit GitHub's limits: ${problem}`);
  return desiredSchema.parse({ v: 1, kind: "check-run", checkRun });
}

export function statusDesired(status: DesiredStatus): Desired {
  return desiredSchema.parse({ v: 1, kind: "status", status });
}

export function deploymentDesired(deployment: DesiredDeployment): Desired {
  return desiredSchema.parse({ v: 1, kind: "deployment", deployment });
}

/** What a job reports, for lists: the check run's name, the status context, or the deployment's environment. */
export function reportName(desired: Desired): string {
  switch (desired.kind) {
    case "check-run":
      return desired.checkRun.name;
    case "status":
      return desired.status.context;
    case "deployment":
      return `Deployment to ${desired.deployment.environment}`;
  }
}

export function readDesired(stored: unknown): Desired {
  return desiredSchema.parse(stored);
}

/** The body of POST /repos/{owner}/{repo}/check-runs; PATCH takes the same fields but head_sha. */
export function checkRunBody(run: DesiredCheckRun) {
  return {
    name: run.name,
    head_sha: run.headSha,
    external_id: run.externalId,
    details_url: run.detailsUrl,
    status: run.status,
    ...(run.conclusion ? { conclusion: run.conclusion } : {}),
    ...(run.startedAt ? { started_at: run.startedAt } : {}),
    ...(run.completedAt ? { completed_at: run.completedAt } : {}),
    output: { title: run.title, summary: run.summary },
    ...(run.actions ? { actions: run.actions } : {}),
  };
}

/** The body of POST /repos/{owner}/{repo}/statuses/{sha}. */
export function statusBody(status: DesiredStatus) {
  return {
    state: status.state,
    context: status.context,
    description: status.description,
    target_url: status.targetUrl,
  };
}

/**
 * The body of POST /repos/{owner}/{repo}/deployments: the exact commit, never merged, no status checks required
 * (the pipeline has already decided to deploy it), and a payload that names it.
 */
export function deploymentBody(deployment: DesiredDeployment) {
  return {
    ref: deployment.sha,
    task: "deploy",
    auto_merge: false,
    required_contexts: [],
    payload: deployment.payload,
    environment: deployment.environment,
    description: deployment.description,
    production_environment: deployment.production,
    transient_environment: deployment.transient,
  };
}

/**
 * The body of POST .../deployments/{id}/statuses. `auto_inactive` is off: GitHub would mark only non-production
 * deployments inactive, so Stageboard marks every environment's earlier deployments itself (enqueue.ts), alike.
 */
export function deploymentStatusBody(deployment: DesiredDeployment) {
  return {
    state: deployment.state,
    description: deployment.description,
    log_url: deployment.logUrl,
    ...(deployment.environmentUrl ? { environment_url: deployment.environmentUrl } : {}),
    environment: deployment.environment,
    auto_inactive: false,
  };
}

/** GitHub's timestamp form, YYYY-MM-DDTHH:MM:SSZ. */
export function githubTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** The check run a desired state holds; throws for another kind (a caller that knows the job's kind). */
export function checkRunOf(desired: Desired): DesiredCheckRun {
  if (desired.kind !== "check-run") throw new Error(`Expected a check run, got a ${desired.kind}`);
  return desired.checkRun;
}
