import "server-only";
import { classifyFailure, type GitHubFailure } from "./classify-failure";
import type { DesiredCheckRun, DesiredDeployment, DesiredStatus } from "./desired";
import type { CheckRunApi } from "./github-check-runs";
import type { DeploymentApi } from "./github-deployments";
import type { StatusApi } from "./github-statuses";

// Brings one report on GitHub to its desired state, making at most one check run or deployment per job whatever
// happened before:
// - a run or deployment whose id is known is updated (a 404 means it is gone: found or created again below);
// - otherwise it is looked up first (a check run by name and external id among the App's own; a deployment by
//   commit, environment and payload), because an earlier attempt may have created it without living to record the
//   answer (a process killed mid-delivery, a claim that ran out), and what is found is updated;
// - only then is it created, and when that gets no answer or a 5xx (GitHub may have created it and lost the
//   answer), it is looked up again at once; found, it holds exactly this state.
// `writes` counts the content-creating requests GitHub accepted, for the 1,000-statuses-per-context limit.

export type SendResult =
  | { kind: "sent"; remoteId: bigint | null; writes: number }
  /** `remoteId`: the run or deployment, when this attempt learnt which it is before failing. */
  | { kind: "failed"; failure: GitHubFailure; remoteId: bigint | null; writes: number };

type Now = () => Date;

/**
 * Whether no earlier attempt can have made the run or deployment: the job's first claim, and no attempt ever failed
 * (a failure, a lost answer included, leaves its error until a delivery). Only then is the look-up before creating
 * skipped: it is what keeps a lost answer from making a second one, and costs a request per report otherwise.
 */
export const nothingSentBefore = (job: { attempts: number; lastError: string | null }): boolean =>
  job.attempts === 1 && job.lastError === null;

export async function sendCheckRun(
  api: CheckRunApi,
  job: { remoteId: bigint | null; run: DesiredCheckRun; firstAttempt: boolean },
  now: Now,
): Promise<SendResult> {
  const failed = (error: unknown, remoteId: bigint | null): SendResult => ({
    kind: "failed",
    failure: classifyFailure(error, now()),
    remoteId,
    writes: 0,
  });
  const sent = (remoteId: bigint): SendResult => ({ kind: "sent", remoteId, writes: 1 });
  if (job.remoteId !== null) {
    try {
      await api.update(job.remoteId, job.run);
      return sent(job.remoteId);
    } catch (error) {
      const failure = classifyFailure(error, now());
      if (failure.kind !== "not-found") return { kind: "failed", failure, remoteId: job.remoteId, writes: 0 };
    }
  }
  let found: bigint | null = null;
  try {
    if (!job.firstAttempt) found = await api.find(job.run);
  } catch (error) {
    return failed(error, null);
  }
  if (found !== null) {
    try {
      await api.update(found, job.run);
      return sent(found);
    } catch (error) {
      return failed(error, found);
    }
  }
  try {
    return sent(await api.create(job.run));
  } catch (error) {
    const failure = classifyFailure(error, now());
    if (failure.kind !== "no-answer") return { kind: "failed", failure, remoteId: null, writes: 0 };
    const after = await api.find(job.run).catch(() => null);
    return after !== null ? sent(after) : { kind: "failed", failure, remoteId: null, writes: 0 };
  }
}

/** GitHub keeps at most 1,000 statuses per context and commit, and refuses more. */
export const STATUSES_PER_CONTEXT = 1000;

/**
 * A commit status is a new entry each time, so a retry first reads the context's latest status: an attempt that
 * died after GitHub took it is not sent twice. The last slot under GitHub's limit is kept for a final state.
 */
export async function sendStatus(
  api: StatusApi,
  job: { sends: number; attempts: number; status: DesiredStatus },
  now: Now,
): Promise<SendResult> {
  const { status } = job;
  const failed = (error: unknown): SendResult => ({
    kind: "failed",
    failure: classifyFailure(error, now()),
    remoteId: null,
    writes: 0,
  });
  if (job.sends >= STATUSES_PER_CONTEXT || (job.sends >= STATUSES_PER_CONTEXT - 1 && status.state === "pending"))
    return {
      kind: "failed",
      failure: {
        kind: "refused",
        status: 422,
        final: true,
        message: `GitHub keeps at most ${STATUSES_PER_CONTEXT} statuses for ${status.context} on one commit`,
      },
      remoteId: null,
      writes: 0,
    };
  try {
    if (job.attempts > 1) {
      const latest = await api.latest(status);
      if (latest?.state === status.state && (latest.description ?? "") === status.description)
        return { kind: "sent", remoteId: null, writes: 0 };
    }
    await api.create(status);
    return { kind: "sent", remoteId: null, writes: 1 };
  } catch (error) {
    return failed(error);
  }
}

/**
 * A deployment is found or created once, then given its latest state as a deployment status, unless it already has
 * it (checked when this is a retry, or the deployment was found rather than known or created now). A known
 * deployment GitHub no longer has (404) is found or made again.
 */
export async function sendDeployment(
  api: DeploymentApi,
  job: { remoteId: bigint | null; attempts: number; firstAttempt: boolean; deployment: DesiredDeployment },
  now: Now,
): Promise<SendResult> {
  const { deployment } = job;
  let writes = 0;
  const failedWith = (failure: GitHubFailure, remoteId: bigint | null): SendResult => ({
    kind: "failed",
    failure,
    remoteId,
    writes,
  });
  const failed = (error: unknown, remoteId: bigint | null) => failedWith(classifyFailure(error, now()), remoteId);
  /** Gives deployment `id` the desired state; `check`: read its latest state first. */
  const bring = async (id: bigint, check: boolean): Promise<SendResult> => {
    if (!(check && (await api.latestState(id)) === deployment.state)) {
      await api.setState(id, deployment);
      writes++;
    }
    return { kind: "sent", remoteId: id, writes };
  };
  if (job.remoteId !== null) {
    try {
      return await bring(job.remoteId, job.attempts > 1);
    } catch (error) {
      const failure = classifyFailure(error, now());
      if (failure.kind !== "not-found") return failedWith(failure, job.remoteId);
    }
  }
  let found: bigint | null = null;
  try {
    if (!job.firstAttempt) found = await api.find(deployment);
  } catch (error) {
    return failed(error, null);
  }
  let id: bigint;
  if (found !== null) id = found;
  else {
    try {
      id = await api.create(deployment);
      writes++;
    } catch (error) {
      const failure = classifyFailure(error, now());
      if (failure.kind !== "no-answer") return failedWith(failure, null);
      const after = await api.find(deployment).catch(() => null);
      if (after === null) return failedWith(failure, null);
      id = after;
      found = after;
    }
  }
  try {
    return await bring(id, found !== null);
  } catch (error) {
    return failed(error, id);
  }
}
