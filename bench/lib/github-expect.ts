// Pure rules of the GitHub write-back benchmark: what GitHub should show for a stored execution (written here from
// the documented behaviour, not imported from the product, so the benchmark checks the product rather than
// repeating it), the lag from a stored status change to the first answer of the stand-in that holds it, and the
// least time GitHub's content-creation windows allow for a number of requests.

export type CheckState = { status: string; conclusion: string | null };

const CONCLUSIONS: Record<string, string> = {
  Succeeded: "success",
  Failed: "failure",
  Stopped: "cancelled",
  Stopping: "cancelled",
  Cancelled: "cancelled",
  Abandoned: "cancelled",
  Superseded: "neutral",
};

const ENDED_STATUS: Record<string, string> = {
  Succeeded: "success",
  Failed: "failure",
  Stopped: "error",
  Stopping: "error",
  Cancelled: "error",
  Abandoned: "error",
  Superseded: "error",
};

/** The execution's check run: completed with its conclusion once the execution ended, otherwise still open. */
export function expectedCheck(executionStatus: string): CheckState {
  const conclusion = CONCLUSIONS[executionStatus];
  return conclusion ? { status: "completed", conclusion } : { status: "open", conclusion: null };
}

/** Whether a check run's state shows `expected` ("open" is queued or in_progress). */
export function showsCheck(actual: CheckState, expected: CheckState): boolean {
  if (expected.status === "open") return actual.status === "queued" || actual.status === "in_progress";
  return actual.status === "completed" && actual.conclusion === expected.conclusion;
}

/** The pipeline's commit status for its newest execution on the commit. */
export function expectedCommitState(executionStatus: string): string {
  return ENDED_STATUS[executionStatus] ?? "pending";
}

export type StatusChange = { executionId: string; at: number; status: string };
export type CheckObservation = { externalId: string; at: number } & CheckState;

/**
 * For each execution status change stored at `at`, the time until the stand-in first answered a write that left
 * the execution's check run showing it, or a later state (a change coalesced into the next one is shown by it: an
 * execution already completed when its run is first written shows its start that way). Observations must be in time
 * order. Changes never shown are counted apart.
 */
export function lagsOf(
  changes: readonly StatusChange[],
  observations: readonly CheckObservation[],
): { lags: number[]; unseen: StatusChange[] } {
  const byRun = new Map<string, CheckObservation[]>();
  for (const o of observations) byRun.set(o.externalId, [...(byRun.get(o.externalId) ?? []), o]);
  const lags: number[] = [];
  const unseen: StatusChange[] = [];
  for (const change of changes) {
    const expected = expectedCheck(change.status);
    const seen = (byRun.get(change.executionId) ?? []).find(
      (o) => o.at >= change.at && (showsCheck(o, expected) || (expected.status === "open" && o.status === "completed")),
    );
    if (seen) lags.push(seen.at - change.at);
    else unseen.push(change);
  }
  return { lags, unseen };
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/**
 * The least time from the first to the last of `n` content-creating requests under sliding windows of `perMinute`
 * and `perHour`, starting with both windows empty, every request sent the instant a window lets it: request i (from
 * 0) may go once request i - perMinute is a minute old and request i - perHour an hour old.
 */
export function minimumDrainMs(n: number, limits: { perMinute: number; perHour: number }): number {
  const at: number[] = [];
  for (let i = 0; i < n; i++) {
    const minute = i >= limits.perMinute ? at[i - limits.perMinute]! + MINUTE_MS : 0;
    const hour = i >= limits.perHour ? at[i - limits.perHour]! + HOUR_MS : 0;
    at.push(Math.max(minute, hour, 0));
  }
  return at.at(-1) ?? 0;
}
