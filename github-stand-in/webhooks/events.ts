// The events the stand-in's handlers report, turned into webhook deliveries. Payloads are built here, at the moment
// of the event, and sent by the hub after the triggering request has been answered.
import { GITHUB_ACTIONS_APP } from "../rest/check-runs-apps";
import { latestRuns, suiteState } from "../rest/check-runs-state";
import { creatorAccount } from "../rest/report-access";
import { accountFor } from "../shapes/git-commit";
import { isoTime } from "../shapes/urls";
import type { StandInState } from "../state";
import type { GitCommit } from "../world/commits";
import type { CheckRunRecord, CommitStatusRecord } from "../world/records";
import type { Account, Repository } from "../world/world";
import { webhooksOf } from "./hub";
import { recipients } from "./recipients";
import { checkRunPayload, checkSuitePayload } from "./payloads/check-payloads";
import { GITHUB_ACTIONS_BOT, ownerOf } from "./payloads/common";
import { ZERO_SHA, pushPayload } from "./payloads/push-payload";
import { statusPayload } from "./payloads/status-payload";

/** The account an App's writes come from: its `<slug>[bot]`, or GitHub Actions' bot. */
export function appSender(state: StandInState, appId: number): Account {
  if (appId === GITHUB_ACTIONS_APP.id) return GITHUB_ACTIONS_BOT;
  return state.world.apps.byId(appId)?.bot ?? GITHUB_ACTIONS_BOT;
}

export function suiteCompleted(state: StandInState, suiteId: number): boolean {
  return suiteState(latestRuns(state.records.checks.runsOfSuite(suiteId))).status === "completed";
}

export type CheckRunAction = "created" | "completed" | "requested_action" | "rerequested";

/** One check_run delivery; requested_action and rerequested go only to the App that owns the run. */
export function emitCheckRun(
  state: StandInState,
  input: { run: CheckRunRecord; repository: Repository; action: CheckRunAction; sender: Account; identifier?: string },
): void {
  const { run, repository, action } = input;
  const toOwner = action === "requested_action" || action === "rerequested";
  const payload = checkRunPayload(state, { run, repository, action, sender: input.sender });
  webhooksOf(state).emit({
    event: "check_run",
    action,
    repository,
    ...(toOwner ? { onlyAppId: run.appId } : {}),
    payload:
      input.identifier === undefined ? payload : { ...payload, requested_action: { identifier: input.identifier } },
  });
}

/**
 * After a run was created or changed: `created` for a new run, `completed` when it has just completed (a run
 * created completed gets both), and the suite's `completed` when the change completed the whole suite.
 */
export function checkRunChanged(
  state: StandInState,
  input: {
    run: CheckRunRecord;
    repository: Repository;
    created: boolean;
    wasCompleted: boolean;
    suiteWasCompleted: boolean;
  },
): void {
  const { run, repository } = input;
  const sender = appSender(state, run.appId);
  if (input.created) emitCheckRun(state, { run, repository, action: "created", sender });
  if (run.status === "completed" && !input.wasCompleted)
    emitCheckRun(state, { run, repository, action: "completed", sender });
  const suite = state.records.checks.suites.find((s) => s.id === run.suiteId);
  if (suite && !input.suiteWasCompleted && suiteCompleted(state, suite.id)) {
    webhooksOf(state).emit({
      event: "check_suite",
      action: "completed",
      repository,
      payload: checkSuitePayload(state, { suite, repository, action: "completed", sender }),
    });
  }
}

export function statusCreated(state: StandInState, status: CommitStatusRecord, repository: Repository): void {
  const sender = creatorAccount(state, status.creator) ?? ownerOf(state, repository);
  webhooksOf(state).emit({
    event: "status",
    action: null,
    repository,
    payload: statusPayload(state, { status, repository, sender }),
  });
}

export interface Push {
  repository: Repository;
  branch: string;
  /** The branch's tip before the push; absent: the tip's first parent. */
  before?: string;
  after: string;
  /** The pushed commits, oldest first, when known; otherwise they are asked of the commit source. */
  commits?: GitCommit[];
}

/** The commits between before and after, oldest first, from the stand-in's commits or its commit source. */
async function pushedCommits(
  state: StandInState,
  push: Push,
): Promise<{ before: string; commits: GitCommit[] | null }> {
  if (push.commits) return { before: push.before ?? push.commits[0]?.parents[0] ?? ZERO_SHA, commits: push.commits };
  const before = push.before;
  const log = await state.commits.log(push.repository.fullName, push.after, 2048, (c) => c.sha === before);
  if (log === "unreachable" || log[0]?.sha !== push.after) return { before: before ?? ZERO_SHA, commits: null };
  if (before === undefined) return { before: log[0].parents[0] ?? ZERO_SHA, commits: [log[0]] };
  return { before, commits: log.filter((c) => c.sha !== before).reverse() };
}

/**
 * A push: the `push` event, and GitHub's automatic check suite for the pushed commit with `check_suite` requested,
 * for each App that may write checks there.
 */
export function pushed(state: StandInState, push: Push): void {
  const { repository } = push;
  const facts = pushedCommits(state, push);
  const users = [...state.world.users.values()];
  const payload = facts.then(({ before, commits }) => {
    const tip = commits?.at(-1);
    const pusher = (tip && accountFor(users, tip.committer.email)) ?? ownerOf(state, repository);
    return pushPayload(state, { repository, branch: push.branch, before, after: push.after, commits, pusher });
  });
  const hub = webhooksOf(state);
  hub.emit({ event: "push", action: null, repository, payload });

  const world = state.world;
  const now = isoTime(state.now());
  const suiteApps = recipients(world.apps.list(), world.installations.all(), {
    event: "check_suite",
    repository,
    level: "write",
  });
  for (const { app } of suiteApps) {
    const suite = state.records.checks.ensureSuite({
      repository: repository.fullName,
      sha: push.after,
      appId: app.id,
      headBranch: push.branch,
      now,
    });
    hub.emit({
      event: "check_suite",
      action: "requested",
      repository,
      onlyAppId: app.id,
      level: "write",
      payload: facts.then(async ({ before, commits }) => {
        const tip = commits?.at(-1);
        const sender = (tip && accountFor(users, tip.committer.email)) ?? ownerOf(state, repository);
        return checkSuitePayload(state, { suite, repository, action: "requested", sender, before });
      }),
    });
  }
}
