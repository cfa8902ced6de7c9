// What the commit page and the Environments view show, gathered from the stand-in's records: the latest check run
// of each name per App, the suites still waiting for their first run, the newest status per context, and the
// deployments with their current state.
import { currentRuns } from "../rest/check-runs";
import { latestRuns } from "../rest/check-runs-state";
import { latestStatus } from "../rest/deployments-statuses";
import { appById } from "../rest/report-access";
import type { StandInState } from "../state";
import type { GitCommit } from "../world/commits";
import { FULL_SHA } from "../world/commits";
import { key } from "../world/names";
import type { CheckRunRecord, CommitStatusRecord, DeploymentRecord, DeploymentStatusRecord } from "../world/records";
import { resolveSha } from "../world/records";

export interface RunView {
  run: CheckRunRecord;
  appName: string;
}

export interface DeploymentView {
  deployment: DeploymentRecord;
  /** The newest status, if any: a deployment without one is pending. */
  latest: DeploymentStatusRecord | undefined;
  /** The newest status that named an environment URL. */
  environmentUrl: string | null;
}

export interface CommitView {
  repository: string;
  sha: string;
  commit: GitCommit | undefined;
  runs: RunView[];
  /** Apps whose suite for the commit exists but has no run yet. */
  waitingApps: string[];
  statuses: CommitStatusRecord[];
  deployments: DeploymentView[];
}

const FAILING = new Set(["failure", "cancelled", "timed_out", "action_required", "stale", "error"]);

/** GitHub's one-line verdict above a commit's checks. */
export function verdict(view: CommitView): "failing" | "pending" | "passing" | "none" {
  const states = [
    ...view.runs.map((r) => (r.run.status === "completed" ? (r.run.conclusion ?? "") : "pending")),
    ...view.waitingApps.map(() => "pending"),
    ...view.statuses.map((s) => s.state),
  ];
  if (states.length === 0) return "none";
  if (states.some((s) => FAILING.has(s))) return "failing";
  if (states.some((s) => s === "pending")) return "pending";
  return "passing";
}

export function deploymentView(state: StandInState, deployment: DeploymentRecord): DeploymentView {
  const statuses = state.records.statusesOfDeployment(deployment.id);
  const withUrl = statuses.filter((s) => s.environmentUrl !== null).at(-1);
  return {
    deployment,
    latest: latestStatus(state.records, deployment.id),
    environmentUrl: withUrl?.environmentUrl ?? null,
  };
}

/** A page's ref: a full SHA, a branch the stand-in knows, or the same made-up SHA the REST routes use. */
export async function resolvePageRef(state: StandInState, repository: string, ref: string): Promise<string> {
  if (FULL_SHA.test(ref.toLowerCase())) return ref.toLowerCase();
  const log = await state.commits.log(repository, ref, 1);
  return (log !== "unreachable" && log[0]?.sha) || resolveSha(repository, ref);
}

export async function commitView(state: StandInState, repository: string, sha: string): Promise<CommitView> {
  const appName = (id: number) => appById(state, id)?.name ?? `App ${id}`;
  const runs = latestRuns(currentRuns(state, repository, sha))
    .sort((a, b) => appName(a.appId).localeCompare(appName(b.appId)) || a.name.localeCompare(b.name))
    .map((run) => ({ run, appName: appName(run.appId) }));
  const waitingApps = state.records.checks
    .suitesFor(repository, sha)
    .filter((s) => state.records.checks.runsOfSuite(s.id).length === 0)
    .map((s) => appName(s.appId));
  const statuses = state.records.latestStatusesFor(repository, sha).sort((a, b) => a.context.localeCompare(b.context));
  const deployments = state.records.deployments
    .filter((d) => key(d.repository) === key(repository) && d.sha === sha)
    .sort((a, b) => b.id - a.id)
    .map((d) => deploymentView(state, d));
  const log = await state.commits.log(repository, sha, 1);
  return {
    repository,
    sha,
    commit: log === "unreachable" ? undefined : log[0],
    runs,
    waitingApps,
    statuses,
    deployments,
  };
}
