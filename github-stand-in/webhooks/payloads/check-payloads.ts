// check_run and check_suite payloads, built when the event happens so each delivery shows the run as it was then.
import { createHash } from "node:crypto";
import { integrationShape } from "../../rest/check-runs-apps";
import { checkRunShape } from "../../rest/check-runs-shape";
import { latestRuns, suiteState } from "../../rest/check-runs-state";
import { appById } from "../../rest/report-access";
import { apiUrl, nodeId } from "../../shapes/urls";
import type { StandInState } from "../../state";
import type { GitCommit } from "../../world/commits";
import type { CheckRunRecord, CheckSuiteRecord } from "../../world/records";
import type { Account, Repository } from "../../world/world";
import { UNKNOWN_COMMITTER, deliveryBase, sender, webhookRepository } from "./common";

/** A suite as the check_run payload nests it (`simple-check-suite`). */
function simpleSuite(state: StandInState, suite: CheckSuiteRecord, repo: Repository): Record<string, unknown> {
  const base = deliveryBase(state);
  const app = appById(state, suite.appId);
  const { status, conclusion } = suiteState(latestRuns(state.records.checks.runsOfSuite(suite.id)));
  return {
    id: suite.id,
    node_id: nodeId("CheckSuite", suite.id),
    head_branch: suite.headBranch,
    head_sha: suite.sha,
    status,
    conclusion,
    url: apiUrl(base, `/repos/${repo.fullName}/check-suites/${suite.id}`),
    before: null,
    after: suite.sha,
    pull_requests: [],
    app: app ? integrationShape(app, base) : null,
    created_at: suite.createdAt,
    updated_at: suite.updatedAt,
  };
}

export function checkRunPayload(
  state: StandInState,
  input: { run: CheckRunRecord; repository: Repository; action: string; sender: Account },
): Record<string, unknown> {
  const { run, repository } = input;
  const base = deliveryBase(state);
  const suite = state.records.checks.suites.find((s) => s.id === run.suiteId);
  const shaped = checkRunShape(run, appById(state, run.appId), base);
  return {
    action: input.action,
    check_run: { ...shaped, check_suite: suite ? simpleSuite(state, suite, repository) : { id: run.suiteId } },
    repository: webhookRepository(state, repository),
    sender: sender(state, input.sender),
  };
}

/** The suite's head commit, as check_suite payloads carry it: the commit when known, else only its SHA. */
function headCommit(sha: string, commit: GitCommit | undefined, fallbackTime: string): Record<string, unknown> {
  const tree = createHash("sha1").update(`tree:${sha}`).digest("hex");
  const person = (p: GitCommit["author"] | undefined) => (p ? { name: p.name, email: p.email } : UNKNOWN_COMMITTER);
  return {
    id: sha,
    tree_id: tree,
    message: commit?.message ?? "",
    timestamp: commit?.committer.date ?? fallbackTime,
    author: person(commit?.author),
    committer: person(commit?.committer),
  };
}

export async function checkSuitePayload(
  state: StandInState,
  input: { suite: CheckSuiteRecord; repository: Repository; action: string; sender: Account; before?: string | null },
): Promise<Record<string, unknown>> {
  const { suite, repository } = input;
  const base = deliveryBase(state);
  const latest = latestRuns(state.records.checks.runsOfSuite(suite.id));
  const shaped = simpleSuite(state, suite, repository);
  const log = await state.commits.log(repository.fullName, suite.sha, 1);
  const commit = log === "unreachable" ? undefined : log[0];
  return {
    action: input.action,
    check_suite: {
      ...shaped,
      before: input.before ?? null,
      latest_check_runs_count: latest.length,
      check_runs_url: apiUrl(base, `/repos/${repository.fullName}/check-suites/${suite.id}/check-runs`),
      head_commit: headCommit(suite.sha, commit?.sha === suite.sha ? commit : undefined, suite.createdAt),
      rerequestable: true,
      runs_rerequestable: true,
    },
    repository: webhookRepository(state, repository),
    sender: sender(state, input.sender),
  };
}
