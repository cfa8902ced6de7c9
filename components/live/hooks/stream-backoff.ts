// When to reopen a live stream that failed: a pure rule, so that it can be tested without a browser.

/** Failed attempts in a row after which the page polls /api/changes while it keeps trying the stream. */
export const FAILURES_BEFORE_POLLING = 4;
const BASE_MS = 1_000;
const MAX_MS = 30_000;
/** While polling, the stream is tried again this often (jittered), so a recovered server is noticed. */
const POLLING_RETRY_MS = 30_000;

export type StreamStep =
  | { kind: "connect"; failures: 0 }
  | { kind: "retry"; failures: number; delayMs: number }
  | { kind: "poll"; failures: number; delayMs: number };

/**
 * The step after one more failure: exponential backoff with "full jitter" between half and all of the
 * delay (so a server restart is not met by every tab at once), then polling after FAILURES_BEFORE_POLLING.
 * `random` is in [0, 1).
 */
export function nextStreamStep(step: StreamStep, random: number): Exclude<StreamStep, { kind: "connect" }> {
  const failures = step.failures + 1;
  const jitter = 0.5 + random / 2;
  if (failures >= FAILURES_BEFORE_POLLING)
    return { kind: "poll", failures, delayMs: Math.round(POLLING_RETRY_MS * jitter) };
  const delayMs = Math.round(Math.min(MAX_MS, BASE_MS * 2 ** (failures - 1)) * jitter);
  return { kind: "retry", failures, delayMs };
}
