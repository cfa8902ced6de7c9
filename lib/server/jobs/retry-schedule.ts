import "server-only";

// The backoff every durable job in PostgreSQL shares (notification deliveries, GitHub write-back): a fixed list of
// waits, one per failed attempt, after which the job is given up (a dead letter, shown where an administrator can
// send it again). Pure, so each queue's tests check their schedule without waiting.

export type RetrySchedule = {
  /** The wait after the 1st, 2nd, … failed attempt; one more attempt than waits is made in all. */
  delaysMs: readonly number[];
};

export type RetryDecision = { kind: "retry"; at: Date } | { kind: "give-up" };

export const maxAttempts = (schedule: RetrySchedule): number => schedule.delaysMs.length + 1;

/**
 * After the `attempts`-th attempt (this one included) failed in a way worth retrying: when to try again, or give up.
 * `notBeforeMs` is a wait the other side asked for (GitHub's `retry-after`): the job never comes back sooner.
 */
export function nextAttempt(
  schedule: RetrySchedule,
  input: { attempts: number; now: Date; notBeforeMs?: number },
): RetryDecision {
  const delay = schedule.delaysMs[input.attempts - 1];
  if (delay === undefined) return { kind: "give-up" };
  return { kind: "retry", at: new Date(input.now.getTime() + Math.max(delay, input.notBeforeMs ?? 0)) };
}
