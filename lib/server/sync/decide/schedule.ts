// What to fetch next for one pipeline and when to look again: pure functions of stored state and the
// clock, so the polling policy is tested without AWS, Postgres or timers.
import "server-only";
import type { SyncSettings } from "../config/settings";

export type SyncStep = "backfill-executions" | "backfill-actions" | "backfill-rules" | "check";

export interface PlanInput {
  /** Version ListPipelines (or GetPipelineState) last reported. */
  version: number;
  /** Version whose definition is stored, null if none. */
  definitionVersion: number | null;
  backfillDone: boolean;
  actionBackfillDone: boolean;
  /** Rule executions (stage conditions) of the backfilled executions are stored, or the pipeline declares none. */
  ruleBackfillDone: boolean;
}

export interface SyncPlan {
  fetchDefinition: boolean;
  step: SyncStep;
}

export function planSync(input: PlanInput): SyncPlan {
  const fetchDefinition = input.definitionVersion === null || input.definitionVersion < input.version;
  if (!input.backfillDone) return { fetchDefinition, step: "backfill-executions" };
  if (!input.actionBackfillDone) return { fetchDefinition, step: "backfill-actions" };
  if (!input.ruleBackfillDone) return { fetchDefinition, step: "backfill-rules" };
  return { fetchDefinition, step: "check" };
}

export type SyncOutcome =
  /** Backfill not finished: come back as soon as the budget allows. */
  | "backfill"
  /** Something is running or just changed. */
  | "active"
  /** Executions are open but only wait for people (a manual approval) or behind a disabled transition. */
  | "waiting"
  /** Checks wait while the target's history is still being backfilled: the budget goes to history first. */
  | "deferred"
  /** Nothing moved. */
  | "idle"
  | "error";

export interface ScheduleInput {
  now: number;
  outcome: SyncOutcome;
  /** Consecutive idle (or waiting) checks that found nothing new, including this one; 0 after a change. */
  idleChecks: number;
  consecutiveFailures: number;
  eventsFlowing: boolean;
  /** Uniform in [0, 1): the jitter source, injected to keep this function pure. */
  random: number;
  /** Active only: the earliest time a running action can finish, judged from its past durations (null: unknown). */
  earliestChangeAt?: number | null;
  /** Waiting only: when the latest pending approval was requested (null: none, e.g. held by a disabled transition). */
  reviewerAskedAt?: number | null;
  /** Waiting only: shortest time the work following a pending approval takes (null: unknown; see follow-up.ts). */
  followUpMs?: number | null;
  /** Idle only: when anything last happened on the pipeline (its latest action status change; null: unknown). */
  quietSince?: number | null;
  /** Until when a push GitHub announced keeps the pipeline watched (null: no push; see watchedAfterPush). */
  pushWatchUntil?: number | null;
  settings: Pick<
    SyncSettings,
    | "activeIntervalMs"
    | "waitingIntervalMs"
    | "maxWaitingIntervalMs"
    | "approvalWatchMs"
    | "idleIntervalMs"
    | "maxIdleIntervalMs"
    | "reconcileIntervalMs"
    | "activeWithEventsIntervalMs"
    | "jitter"
  >;
}

/** Base delay before the next sync, before jitter. */
export function baseDelay(input: Omit<ScheduleInput, "random">): number {
  const s = input.settings;
  switch (input.outcome) {
    case "backfill":
      return 0;
    case "deferred":
      return DEFERRED_CHECK_MS;
    case "active":
      return input.eventsFlowing ? s.activeWithEventsIntervalMs : s.activeIntervalMs;
    case "waiting": {
      // Waiting for people: soon at first, then backing off while nothing moves. A recent approval request
      // backs off only so far: reviewers who answer mostly do so within the hour, and what follows their
      // answer runs by itself and would finish unseen. So it is checked about as often as that work takes
      // at its quickest, within [maxWaitingIntervalMs, MAX_WATCHED_APPROVAL_INTERVAL_MS]. Older requests
      // back off like idle pipelines.
      const first = input.eventsFlowing
        ? Math.max(s.activeWithEventsIntervalMs, s.waitingIntervalMs)
        : s.waitingIntervalMs;
      const grown = first * 2 ** Math.min(10, Math.max(0, input.idleChecks - 1));
      const watched = input.reviewerAskedAt != null && input.now - input.reviewerAskedAt < s.approvalWatchMs;
      const watchedCap =
        input.followUpMs == null
          ? s.maxWaitingIntervalMs
          : Math.max(s.maxWaitingIntervalMs, Math.min(MAX_WATCHED_APPROVAL_INTERVAL_MS, input.followUpMs));
      const cap = input.eventsFlowing ? s.reconcileIntervalMs : watched ? watchedCap : s.maxIdleIntervalMs;
      return Math.min(Math.max(first, cap), grown);
    }
    case "error":
      // Exponential backoff from the active interval, capped at the first idle interval.
      return Math.min(
        s.idleIntervalMs,
        s.activeIntervalMs * 2 ** Math.min(10, Math.max(0, input.consecutiveFailures - 1)),
      );
    case "idle": {
      if (input.eventsFlowing) return s.reconcileIntervalMs;
      // The longer a pipeline stays idle, the less often it is checked: the interval doubles with every check
      // that finds nothing, and is never shorter than the time it has been quiet, so a pipeline first seen
      // (or seen by a restarted engine) long after its last run is not checked every few minutes.
      const grown = s.idleIntervalMs * 2 ** Math.min(10, Math.max(0, input.idleChecks - 1));
      const quiet = input.quietSince != null ? input.now - input.quietSince : 0;
      return Math.min(Math.max(s.idleIntervalMs, s.maxIdleIntervalMs), Math.max(grown, quiet));
    }
  }
}

/** Longest interval between checks of a recent approval request, however long what follows it takes. */
export const MAX_WATCHED_APPROVAL_INTERVAL_MS = 300_000;

/** Longest an active pipeline's poll is deferred on the strength of past action durations. */
export const MAX_ACTIVE_DEFER_MS = 120_000;

/** How often a pipeline waiting for its target's backfill looks again (no AWS request is made meanwhile). */
export const DEFERRED_CHECK_MS = 15_000;

/**
 * A push to a branch the pipeline watches starts an execution within seconds to minutes, which a polling-only
 * engine would otherwise find only at the idle pipeline's next check (up to maxIdleIntervalMs). Until the watch
 * ends, an idle or waiting pipeline is checked on the active interval. With events flowing they announce the
 * execution, so the watch costs no requests then.
 */
export function watchedAfterPush(input: Pick<ScheduleInput, "now" | "outcome" | "eventsFlowing" | "pushWatchUntil">) {
  const watching = input.pushWatchUntil != null && input.now < input.pushWatchUntil;
  return watching && !input.eventsFlowing && (input.outcome === "idle" || input.outcome === "waiting");
}

export function nextSyncAt(input: ScheduleInput): number {
  const scheduled = scheduledAt(input);
  if (!watchedAfterPush(input)) return scheduled;
  return Math.min(scheduled, input.now + input.settings.activeIntervalMs);
}

function scheduledAt(input: ScheduleInput): number {
  const base = baseDelay(input);
  const earliest = input.earliestChangeAt;
  if (input.outcome === "active" && !input.eventsFlowing && earliest != null && earliest - input.now > base) {
    // Nothing can finish before `earliest`: poll at it, up to a jittered part of one active interval early
    // (action starts are independent, so there is no herd to spread; a deferral scaled by its length would
    // start polling seconds too soon on long actions). Never longer than a fixed number of active
    // intervals, so fast settings keep deferrals short too.
    const gap = Math.min(MAX_ACTIVE_DEFER_MS, 24 * input.settings.activeIntervalMs, earliest - input.now);
    return input.now + Math.max(base, Math.round(gap - input.settings.jitter * base * input.random));
  }
  if (base === 0) return input.now;
  const factor = 1 + input.settings.jitter * (2 * input.random - 1);
  return input.now + Math.round(base * factor);
}

export function eventsFlowing(lastEventAt: number | null, now: number, freshMs: number): boolean {
  return lastEventAt !== null && now - lastEventAt <= freshMs;
}

/** When an event asks for a pipeline: soon, but late enough that a burst of events costs one sync. */
export function eventDueAt(now: number, currentDueAt: number, coalesceMs: number): number {
  return Math.min(currentDueAt, now + coalesceMs);
}

export interface RunningAction {
  key: string;
  startedAt: number;
}

/**
 * Earliest moment any running action may finish: its start plus its estimated shortest duration (successes
 * and failures alike). Null when any running action has too little history to judge.
 */
export function earliestFinish(running: RunningAction[], shortest: Map<string, number>): number | null {
  if (running.length === 0) return null;
  let earliest = Infinity;
  for (const action of running) {
    const min = shortest.get(action.key);
    if (min === undefined) return null;
    earliest = Math.min(earliest, action.startedAt + min);
  }
  return earliest;
}

/**
 * Estimated shortest possible duration per `stage/action`, for actions with at least `minSamples` finished
 * runs: the shortest run seen, lowered by the typical gap between runs (range / (n - 1)), because a
 * sample's minimum overstates the true one, the more so the smaller the sample.
 */
export function shortestDurations(rows: { key: string; durationMs: number }[], minSamples = 3): Map<string, number> {
  const stats = new Map<string, { min: number; max: number; n: number }>();
  for (const row of rows) {
    if (!(row.durationMs >= 0)) continue;
    const s = stats.get(row.key) ?? { min: Infinity, max: -Infinity, n: 0 };
    s.min = Math.min(s.min, row.durationMs);
    s.max = Math.max(s.max, row.durationMs);
    s.n++;
    stats.set(row.key, s);
  }
  const out = new Map<string, number>();
  for (const [key, s] of stats) if (s.n >= minSamples) out.set(key, Math.max(0, s.min - (s.max - s.min) / (s.n - 1)));
  return out;
}
