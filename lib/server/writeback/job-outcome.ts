import "server-only";
import { maxAttempts, nextAttempt, type RetrySchedule } from "@/lib/server/jobs/retry-schedule";
import type { GitHubFailure } from "./classify-failure";
import type { SendResult } from "./send-job";

// What becomes of a job after an attempt (pure). GitHub being down, slow or erroring (no answer, 5xx), or refusing
// in a way that may pass (401, 403, 404: a permission or an installation an administrator can fix) is retried on
// the schedule below and then dead-lettered with the last error; a request GitHub would refuse again as it is (400,
// 422) is dead at once. Rate limits wait as long as GitHub asks and do not use up an attempt: they say nothing
// about the job. A repository the App is not installed on is skipped (a later change, or a retry from the admin
// page once it is installed, tries again).

/**
 * 15 s, 1 min, 5 min, 30 min, 1 h, 2 h: seven attempts over about 3 h 40 min. The first retries come soon, since
 * most failures are a GitHub outage of a minute or two (or a deploy's restart): its reports then follow within a
 * minute of its end rather than ten.
 */
export const WRITEBACK_SCHEDULE: RetrySchedule = {
  delaysMs: [15_000, 60_000, 300_000, 1_800_000, 3_600_000, 7_200_000],
};
export const WRITEBACK_MAX_ATTEMPTS = maxAttempts(WRITEBACK_SCHEDULE);
/** How long a job waits while no GitHub App is configured (nothing else can change that sooner). */
export const NO_APP_WAIT_MS = 5 * 60_000;

export type JobDecision =
  | { kind: "delivered"; remoteId: bigint | null; writes: number }
  | {
      kind: "retry";
      at: Date;
      error: string;
      statusCode: number | null;
      /** False for rate limits and a missing App: the attempt the claim counted is given back. */
      countsAttempt: boolean;
      remoteId: bigint | null;
      /** Content-creating requests GitHub accepted during the attempt (see `sends`). */
      writes: number;
    }
  | { kind: "dead"; error: string; statusCode: number | null; remoteId: bigint | null; writes: number }
  | { kind: "skipped"; error: string };

export function describeFailure(failure: GitHubFailure): string {
  switch (failure.kind) {
    case "no-answer":
      return failure.status === null
        ? `No answer from GitHub: ${failure.message}`
        : `GitHub answered ${failure.status}: ${failure.message}`;
    case "rate-limited":
      return failure.status === null
        ? `${failure.message}; sending after it`
        : `GitHub rate limit (${failure.status}), retrying after ${Math.ceil(failure.retryAfterMs / 1000)} s: ${failure.message}`;
    default:
      return `GitHub answered ${failure.status}: ${failure.message}`;
  }
}

/** `attempts`: attempts at this version so far, this one included. */
export function decideAfterSend(result: SendResult, input: { attempts: number; now: Date }): JobDecision {
  if (result.kind === "sent") return { kind: "delivered", remoteId: result.remoteId, writes: result.writes };
  const { failure, remoteId, writes } = result;
  const error = describeFailure(failure);
  const statusCode = failure.status;
  if (failure.kind === "rate-limited")
    return {
      kind: "retry",
      at: new Date(input.now.getTime() + failure.retryAfterMs),
      error,
      statusCode,
      countsAttempt: false,
      remoteId,
      writes,
    };
  if (failure.kind === "refused" && failure.final) return { kind: "dead", error, statusCode, remoteId, writes };
  const next = nextAttempt(WRITEBACK_SCHEDULE, input);
  return next.kind === "retry"
    ? { kind: "retry", at: next.at, error, statusCode, countsAttempt: true, remoteId, writes }
    : { kind: "dead", error, statusCode, remoteId, writes };
}

/** Why there is no client for the job's repository. */
export type NoClient =
  | { kind: "not-installed"; message: string }
  | { kind: "no-app"; message: string }
  /** The App's credentials were refused, or GitHub could not be asked which installation to use. */
  | { kind: "unavailable"; message: string };

export function decideWithoutClient(reason: NoClient, input: { attempts: number; now: Date }): JobDecision {
  if (reason.kind === "not-installed") return { kind: "skipped", error: reason.message };
  if (reason.kind === "no-app")
    return {
      kind: "retry",
      at: new Date(input.now.getTime() + NO_APP_WAIT_MS),
      error: reason.message,
      statusCode: null,
      countsAttempt: false,
      remoteId: null,
      writes: 0,
    };
  const next = nextAttempt(WRITEBACK_SCHEDULE, input);
  return next.kind === "retry"
    ? {
        kind: "retry",
        at: next.at,
        error: reason.message,
        statusCode: null,
        countsAttempt: true,
        remoteId: null,
        writes: 0,
      }
    : { kind: "dead", error: reason.message, statusCode: null, remoteId: null, writes: 0 };
}
