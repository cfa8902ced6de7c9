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
  | { kind: "sent"; checkRunId: bigint }
  /** `checkRunId`: the run, when this attempt learnt which it is before failing. */
  | { kind: "failed"; failure: GitHubFailure; checkRunId: bigint | null };

export async function sendCheckRun(
  api: CheckRunApi,
  job: { checkRunId: bigint | null; run: DesiredCheckRun },
  now: () => Date,
): Promise<SendResult> {
  const failed = (error: unknown, checkRunId: bigint | null): SendResult => ({
    kind: "failed",
    failure: classifyFailure(error, now()),
    checkRunId,
  });
  if (job.checkRunId !== null) {
    try {
      await api.update(job.checkRunId, job.run);
      return { kind: "sent", checkRunId: job.checkRunId };
    } catch (error) {
      const failure = classifyFailure(error, now());
      if (failure.kind !== "not-found") return { kind: "failed", failure, checkRunId: job.checkRunId };
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
      return { kind: "sent", checkRunId: found };
    } catch (error) {
      return failed(error, found);
    }
  }
  try {
    return { kind: "sent", checkRunId: await api.create(job.run) };
  } catch (error) {
    const failure = classifyFailure(error, now());
    if (failure.kind !== "no-answer") return { kind: "failed", failure, checkRunId: null };
    const after = await api.find(job.run).catch(() => null);
    return after !== null ? { kind: "sent", checkRunId: after } : { kind: "failed", failure, checkRunId: null };
  }
}
