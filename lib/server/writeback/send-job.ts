import "server-only";
import { classifyFailure, type GitHubFailure } from "./classify-failure";
import type { DesiredCheckRun } from "./desired";
import type { CheckRunApi } from "./github-check-runs";

// Brings one check run on GitHub to its desired state, making at most one run per job whatever happened before:
// - a run whose id is known is updated (a 404 means it is gone: found or created again below);
// - otherwise the run is looked up first (by name and external id, the App's own runs only), because an earlier
//   attempt may have created it without living to record the answer (a process killed mid-delivery, a claim that
//   ran out), and a found run is updated;
// - only then is it created, and when that gets no answer or a 5xx (GitHub may have created it and lost the
//   answer), it is looked up again at once; found, it holds exactly this state.

export type SendResult =
  | { kind: "sent"; remoteId: bigint }
  /** `remoteId`: the run, when this attempt learnt which it is before failing. */
  | { kind: "failed"; failure: GitHubFailure; remoteId: bigint | null };

export async function sendCheckRun(
  api: CheckRunApi,
  job: { remoteId: bigint | null; run: DesiredCheckRun },
  now: () => Date,
): Promise<SendResult> {
  const failed = (error: unknown, remoteId: bigint | null): SendResult => ({
    kind: "failed",
    failure: classifyFailure(error, now()),
    remoteId,
  });
  if (job.remoteId !== null) {
    try {
      await api.update(job.remoteId, job.run);
      return { kind: "sent", remoteId: job.remoteId };
    } catch (error) {
      const failure = classifyFailure(error, now());
      if (failure.kind !== "not-found") return { kind: "failed", failure, remoteId: job.remoteId };
    }
  }
  let found: bigint | null;
  try {
    found = await api.find(job.run);
  } catch (error) {
    return failed(error, null);
  }
  if (found !== null) {
    try {
      await api.update(found, job.run);
      return { kind: "sent", remoteId: found };
    } catch (error) {
      return failed(error, found);
    }
  }
  try {
    return { kind: "sent", remoteId: await api.create(job.run) };
  } catch (error) {
    const failure = classifyFailure(error, now());
    if (failure.kind !== "no-answer") return { kind: "failed", failure, remoteId: null };
    const after = await api.find(job.run).catch(() => null);
    return after !== null ? { kind: "sent", remoteId: after } : { kind: "failed", failure, remoteId: null };
  }
}
