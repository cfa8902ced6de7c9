// Demo workflows: GitHub Actions (App 15368) runs a workflow on a commit. Its suite and every job's run appear at
// once, in progress; each job completes after its own delay. Every step sends the webhooks GitHub would.
import { GITHUB_ACTIONS_APP } from "../rest/check-runs-apps";
import { isoTime } from "../shapes/urls";
import type { StandInState } from "../state";
import type { CheckConclusion, CheckRunRecord } from "../world/records";
import type { Repository } from "../world/world";
import { checkRunChanged, suiteCompleted } from "./events";

export interface WorkflowJob {
  name: string;
  conclusion: CheckConclusion;
  afterMs: number;
}

/** Starts the jobs now and completes each after its delay; returns the runs as they start. */
export function startWorkflow(
  state: StandInState,
  input: { repository: Repository; sha: string; jobs: WorkflowJob[]; headBranch: string | null },
): CheckRunRecord[] {
  const { repository, sha } = input;
  const checks = state.records.checks;
  const now = isoTime(state.now());
  const suite = checks.ensureSuite({
    repository: repository.fullName,
    sha,
    appId: GITHUB_ACTIONS_APP.id,
    headBranch: input.headBranch,
    now,
  });
  return input.jobs.map((job) => {
    const suiteWasCompleted = suiteCompleted(state, suite.id);
    const run = checks.add(
      {
        repository: repository.fullName,
        sha,
        name: job.name,
        appId: GITHUB_ACTIONS_APP.id,
        suiteId: suite.id,
        status: "in_progress",
        conclusion: null,
        externalId: null,
        detailsUrl: null,
        startedAt: now,
        completedAt: null,
        createdAtMs: state.now(),
        output: { title: null, summary: null, text: null, annotations: [] },
        actions: [],
      },
      now,
    );
    checkRunChanged(state, { run, repository, created: true, wasCompleted: false, suiteWasCompleted });
    // unref: a pending job never keeps a stopping stand-in alive.
    setTimeout(() => completeJob(state, repository, run, job.conclusion), job.afterMs).unref();
    return run;
  });
}

function completeJob(state: StandInState, repository: Repository, run: CheckRunRecord, conclusion: CheckConclusion) {
  if (run.status === "completed") return;
  const suiteWasCompleted = suiteCompleted(state, run.suiteId);
  const at = isoTime(state.now());
  run.status = "completed";
  run.conclusion = conclusion;
  run.completedAt = at;
  state.records.checks.touch(run.suiteId, at);
  checkRunChanged(state, { run, repository, created: false, wasCompleted: false, suiteWasCompleted });
}
