import { createHash } from "node:crypto";
import { key } from "./names";

export const STATUS_STATES = ["error", "failure", "pending", "success"] as const;
export type StatusState = (typeof STATUS_STATES)[number];

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
  readonly deployments: DeploymentRecord[] = [];
  readonly deploymentStatuses: DeploymentStatusRecord[] = [];
  readonly checks = new CheckRecords(() => this.id());
  readonly environments = new EnvironmentRecords(() => this.id());
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

  deployment(repository: string, id: number): DeploymentRecord | undefined {
    return this.deployments.find((d) => d.id === id && key(d.repository) === key(repository));
  }

  /** A deployment's statuses, oldest first. */
  statusesOfDeployment(deploymentId: number): DeploymentStatusRecord[] {
    return this.deploymentStatuses.filter((s) => s.deploymentId === deploymentId);
  }
}

// ---- Check runs, check suites and environments ----

export const CHECK_STATUSES = ["queued", "in_progress", "completed", "waiting", "requested", "pending"] as const;
export type CheckStatus = (typeof CHECK_STATUSES)[number];
/** `stale` is GitHub's own: a run left incomplete for 14 days, or an App may set it (the request schema allows it). */
export const CHECK_CONCLUSIONS = [
  "success",
  "failure",
  "neutral",
  "cancelled",
  "skipped",
  "timed_out",
  "action_required",
  "stale",
] as const;
export type CheckConclusion = (typeof CHECK_CONCLUSIONS)[number];

export interface CheckAnnotation {
  path: string;
  startLine: number;
  endLine: number;
  startColumn: number | null;
  endColumn: number | null;
  level: "notice" | "warning" | "failure";
  message: string;
  title: string | null;
  rawDetails: string | null;
}

export interface CheckAction {
  label: string;
  description: string;
  identifier: string;
}

export interface CheckRunOutput {
  title: string | null;
  summary: string | null;
  text: string | null;
  /** Annotations append across updates, as on GitHub. */
  annotations: CheckAnnotation[];
}

export interface CheckRunRecord {
  id: number;
  repository: string;
  sha: string;
  name: string;
  /** The GitHub App that created the run; only it may change the run. */
  appId: number;
  suiteId: number;
  status: CheckStatus;
  conclusion: CheckConclusion | null;
  externalId: string | null;
  detailsUrl: string | null;
  startedAt: string | null;
  completedAt: string | null;
  /** Epoch milliseconds; a run still incomplete 14 days later turns stale. */
  createdAtMs: number;
  output: CheckRunOutput;
  actions: CheckAction[];
}

/** One App's check runs for one commit; its status and conclusion are derived from the runs. */
export interface CheckSuiteRecord {
  id: number;
  repository: string;
  sha: string;
  appId: number;
  headBranch: string | null;
  createdAt: string;
  updatedAt: string;
}

/** GitHub keeps at most this many runs of one name in a suite, deleting the oldest beyond it. */
export const MAX_RUNS_PER_NAME = 1000;

export class CheckRecords {
  readonly runs: CheckRunRecord[] = [];
  readonly suites: CheckSuiteRecord[] = [];

  constructor(private readonly id: () => number) {}

  runsFor(repository: string, sha: string): CheckRunRecord[] {
    return this.runs.filter((r) => key(r.repository) === key(repository) && r.sha === sha);
  }

  run(repository: string, id: number): CheckRunRecord | undefined {
    return this.runs.find((r) => r.id === id && key(r.repository) === key(repository));
  }

  suitesFor(repository: string, sha: string): CheckSuiteRecord[] {
    return this.suites.filter((s) => key(s.repository) === key(repository) && s.sha === sha);
  }

  suite(repository: string, id: number): CheckSuiteRecord | undefined {
    return this.suites.find((s) => s.id === id && key(s.repository) === key(repository));
  }

  runsOfSuite(suiteId: number): CheckRunRecord[] {
    return this.runs.filter((r) => r.suiteId === suiteId);
  }

  /** GitHub creates one suite per App and commit, on push or with the App's first run there. */
  ensureSuite(input: { repository: string; sha: string; appId: number; headBranch: string | null; now: string }) {
    const existing = this.suitesFor(input.repository, input.sha).find((s) => s.appId === input.appId);
    if (existing) return existing;
    const suite: CheckSuiteRecord = {
      id: this.id(),
      repository: input.repository,
      sha: input.sha,
      appId: input.appId,
      headBranch: input.headBranch,
      createdAt: input.now,
      updatedAt: input.now,
    };
    this.suites.push(suite);
    return suite;
  }

  add(run: Omit<CheckRunRecord, "id">, now: string): CheckRunRecord {
    const created: CheckRunRecord = { ...run, id: this.id() };
    this.runs.push(created);
    this.touch(created.suiteId, now);
    const sameName = this.runs.filter((r) => r.suiteId === created.suiteId && r.name === created.name);
    for (const old of sameName.slice(0, Math.max(0, sameName.length - MAX_RUNS_PER_NAME))) {
      this.runs.splice(this.runs.indexOf(old), 1);
    }
    return created;
  }

  touch(suiteId: number, now: string): void {
    const suite = this.suites.find((s) => s.id === suiteId);
    if (suite) suite.updatedAt = now;
  }
}

export interface EnvironmentReviewer {
  type: "User" | "Team";
  id: number;
}

export interface EnvironmentRecord {
  id: number;
  repository: string;
  name: string;
  createdAt: string;
  updatedAt: string;
  /** Minutes; null when never set. */
  waitTimer: number | null;
  preventSelfReview: boolean;
  reviewers: EnvironmentReviewer[];
  branchPolicy: { protectedBranches: boolean; customBranchPolicies: boolean } | null;
}

export class EnvironmentRecords {
  readonly all: EnvironmentRecord[] = [];

  constructor(private readonly id: () => number) {}

  of(repository: string): EnvironmentRecord[] {
    return this.all.filter((e) => key(e.repository) === key(repository));
  }

  /** Environment names compare case-insensitively on GitHub, as the Environments page shows. */
  find(repository: string, name: string): EnvironmentRecord | undefined {
    return this.of(repository).find((e) => key(e.name) === key(name));
  }

  /** GitHub creates an environment on the first deployment to it, or with PUT. */
  ensure(repository: string, name: string, now: string): EnvironmentRecord {
    const existing = this.find(repository, name);
    if (existing) return existing;
    const created: EnvironmentRecord = {
      id: this.id(),
      repository,
      name,
      createdAt: now,
      updatedAt: now,
      waitTimer: null,
      preventSelfReview: false,
      reviewers: [],
      branchPolicy: null,
    };
    this.all.push(created);
    return created;
  }
}
