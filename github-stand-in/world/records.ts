import { createHash } from "node:crypto";
import { key } from "./names";

export const STATUS_STATES = ["error", "failure", "pending", "success"] as const;
export type StatusState = (typeof STATUS_STATES)[number];

export const CHECK_STATUSES = ["queued", "in_progress", "completed", "waiting", "requested", "pending"] as const;
export type CheckStatus = (typeof CHECK_STATUSES)[number];
export const CHECK_CONCLUSIONS = [
  "success",
  "failure",
  "neutral",
  "cancelled",
  "skipped",
  "timed_out",
  "action_required",
] as const;
export type CheckConclusion = (typeof CHECK_CONCLUSIONS)[number];

export const DEPLOYMENT_STATES = [
  "error",
  "failure",
  "inactive",
  "in_progress",
  "queued",
  "pending",
  "success",
] as const;
export type DeploymentState = (typeof DEPLOYMENT_STATES)[number];

export interface CommitStatusRecord {
  id: number;
  repository: string;
  sha: string;
  state: StatusState;
  targetUrl: string | null;
  description: string | null;
  context: string;
  creator: string;
  createdAt: string;
}

export interface CheckRunRecord {
  id: number;
  repository: string;
  sha: string;
  name: string;
  status: CheckStatus;
  conclusion: CheckConclusion | null;
  detailsUrl: string | null;
  startedAt: string;
  completedAt: string | null;
}

export interface DeploymentRecord {
  id: number;
  repository: string;
  sha: string;
  ref: string;
  task: string;
  payload: Record<string, unknown> | string;
  environment: string;
  description: string | null;
  transientEnvironment: boolean;
  productionEnvironment: boolean;
  creator: string;
  createdAt: string;
}

export interface DeploymentStatusRecord {
  id: number;
  deploymentId: number;
  repository: string;
  state: DeploymentState;
  description: string;
  environment: string;
  environmentUrl: string | null;
  logUrl: string | null;
  targetUrl: string;
  creator: string;
  createdAt: string;
}

export function isOneOf<T extends string>(values: readonly T[], value: unknown): value is T {
  return typeof value === "string" && (values as readonly string[]).includes(value);
}

/**
 * Commits are not modelled, so a ref that is not already a full SHA resolves to a stable made-up one:
 * the same branch name always lands on the same "commit".
 */
export function resolveSha(repository: string, ref: string): string {
  if (/^[0-9a-f]{40}$/i.test(ref)) return ref.toLowerCase();
  return createHash("sha1")
    .update(`${key(repository)}@${ref}`)
    .digest("hex");
}

/** What the app reported to GitHub (statuses, deployments) and what CI reported (check runs). */
export class Records {
  readonly statuses: CommitStatusRecord[] = [];
  readonly checkRuns: CheckRunRecord[] = [];
  readonly deployments: DeploymentRecord[] = [];
  readonly deploymentStatuses: DeploymentStatusRecord[] = [];
  private nextId = 1;

  id(): number {
    return this.nextId++;
  }

  statusesFor(repository: string, sha: string): CommitStatusRecord[] {
    return this.statuses.filter((s) => key(s.repository) === key(repository) && s.sha === sha);
  }

  /** GitHub keeps the newest status per context (contexts compare case-insensitively). */
  latestStatusesFor(repository: string, sha: string): CommitStatusRecord[] {
    const latest = new Map<string, CommitStatusRecord>();
    for (const status of this.statusesFor(repository, sha)) latest.set(key(status.context), status);
    return [...latest.values()];
  }

  checkRunsFor(repository: string, sha: string): CheckRunRecord[] {
    return this.checkRuns.filter((c) => key(c.repository) === key(repository) && c.sha === sha);
  }

  /** A check run is replaced when CI reports the same name again for the same commit. */
  putCheckRun(run: Omit<CheckRunRecord, "id">): CheckRunRecord {
    const existing = this.checkRunsFor(run.repository, run.sha).find((c) => c.name === run.name);
    if (existing) {
      Object.assign(existing, run);
      return existing;
    }
    const created = { ...run, id: this.id() };
    this.checkRuns.push(created);
    return created;
  }

  deployment(repository: string, id: number): DeploymentRecord | undefined {
    return this.deployments.find((d) => d.id === id && key(d.repository) === key(repository));
  }
}
