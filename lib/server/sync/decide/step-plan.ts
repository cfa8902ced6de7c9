// What one sync step calls next, decided from the stored pipeline, the last snapshot, the event hints and
// the budget, before any request; and, once GetPipelineState has answered, whether the state is enough.
// The run layer (run/pipeline-step.ts) carries each plan out and comes back with what it learned.
import "server-only";
import { nextSyncAt, type ScheduleInput } from "./schedule";

export interface StepFacts {
  /** Null when the pipeline is gone from the database or has no sync row yet. */
  pipeline: {
    deleted: boolean;
    version: number;
    /** Version whose definition is stored, null if none. */
    definitionVersion: number | null;
    backfillDone: boolean;
    actionBackfillDone: boolean;
    /** Rule executions of the backfilled executions are stored, or the pipeline declares no conditions. */
    ruleBackfillDone: boolean;
    executionMode: string | null;
    hasState: boolean;
  } | null;
  /** An event or a person asked for this pipeline. */
  requested: boolean;
  hints: { executionIds: string[]; pipelineEvent: boolean };
  /** The target still backfills and this check has no share of the budget left. */
  liveShareSpent: boolean;
  /** This step asked for the definition already (AWS may have none to give): once per step is enough. */
  definitionFetched: boolean;
}

export type StepPlan =
  | { kind: "skip"; reason: "not-synced" | "deleted" }
  | { kind: "get-definition"; reason: "never-fetched" | "version-changed" }
  | { kind: "backfill"; pass: "executions" | "actions" | "rules" }
  | { kind: "defer"; reason: "target-backfilling" }
  | { kind: "list-actions-of"; executionIds: string[]; reason: "execution-events" }
  | { kind: "check-state"; reason: "requested" | "due" };

export function planStep(f: StepFacts): StepPlan {
  const p = f.pipeline;
  if (!p) return { kind: "skip", reason: "not-synced" };
  if (p.deleted) return { kind: "skip", reason: "deleted" };
  if (!f.definitionFetched) {
    if (p.definitionVersion === null) return { kind: "get-definition", reason: "never-fetched" };
    if (p.definitionVersion < p.version) return { kind: "get-definition", reason: "version-changed" };
  }
  if (!p.backfillDone) return { kind: "backfill", pass: "executions" };
  if (!p.actionBackfillDone) return { kind: "backfill", pass: "actions" };
  if (!p.ruleBackfillDone) return { kind: "backfill", pass: "rules" };
  // While other pipelines of the target still backfill, live checks get only a share of the budget: the
  // rest wait, their latest status known from the backfilled executions.
  if (f.liveShareSpent) return { kind: "defer", reason: "target-backfilling" };
  // Events that name executions: their action executions say what moved, without GetPipelineState. Not in
  // PARALLEL mode, whose state cannot be patched from one execution, nor for pipeline-level events.
  if (
    f.requested &&
    !f.hints.pipelineEvent &&
    f.hints.executionIds.length > 0 &&
    p.hasState &&
    p.executionMode !== "PARALLEL"
  )
    return { kind: "list-actions-of", executionIds: f.hints.executionIds, reason: "execution-events" };
  return { kind: "check-state", reason: f.requested ? "requested" : "due" };
}

export interface StateFacts {
  /** The state differs from the one stored by the previous check. */
  moved: boolean;
  requested: boolean;
  executionMode: string | null;
  /** Executions stored as open. */
  openIds: string[];
  /** Executions the new state shows moving (activeExecutionIds). */
  shownIds: string[];
  /** Every running action of the new state is a manual approval, or nothing runs. */
  onlyWaiting: boolean;
}

export type StatePlan =
  | { kind: "refresh"; reason: "state-moved" | "requested" | "parallel-overtaken" }
  | { kind: "settle"; outcome: "idle" | "waiting" | "active" };

export function planAfterState(f: StateFacts): StatePlan {
  if (f.moved) return { kind: "refresh", reason: "state-moved" };
  if (f.requested) return { kind: "refresh", reason: "requested" };
  // In PARALLEL mode the state has only the latest execution per stage: an open execution overtaken in its
  // stage by a newer one advances unseen, so an unchanged state proves nothing.
  const shown = new Set(f.shownIds);
  if (f.executionMode === "PARALLEL" && f.openIds.some((id) => !shown.has(id)))
    return { kind: "refresh", reason: "parallel-overtaken" };
  return { kind: "settle", outcome: activityOutcome(f.openIds.length > 0, f.onlyWaiting) };
}

/** Once nothing is open the pipeline is idle; open executions that only wait for people make it waiting. */
export function activityOutcome(open: boolean, onlyWaiting: boolean): "idle" | "waiting" | "active" {
  return !open ? "idle" : onlyWaiting ? "waiting" : "active";
}

/** What a step found, one shape per outcome. `stateHash` null: leave the stored hash as it is. */
export type StepResult =
  | { outcome: "deleted" }
  | { outcome: "backfill" }
  /** Checks wait while the target's history is still being backfilled. */
  | { outcome: "deferred" }
  | { outcome: "idle"; changed: boolean; stateHash: string | null; quietSince: number | null }
  | {
      outcome: "waiting";
      changed: boolean;
      stateHash: string | null;
      /** When the latest pending manual approval was requested (epoch ms), null when none is pending. */
      reviewerAskedAt: number | null;
      /** Shortest time the work following a pending approval takes (see follow-up.ts). */
      followUpMs: number | null;
    }
  | {
      outcome: "active";
      changed: boolean;
      stateHash: string | null;
      /** Nothing running can finish before this (epoch ms), judging by past durations. */
      earliestChangeAt: number | null;
    };

/** True when the step made live (non-backfill) requests: those are charged to the live share. */
export function checkedLive(result: StepResult): boolean {
  return result.outcome === "idle" || result.outcome === "waiting" || result.outcome === "active";
}

/** What the lease release records after a step: when to look again and how long the pipeline has been quiet. */
export interface AfterStep {
  nextSyncAt: number;
  idleChecks: number;
  /** Undefined: keep the stored hash. */
  stateHash: string | undefined;
  /** Something moved (restarts the idle backoff and dates the pipeline's last activity). */
  activity: boolean;
}

/** The time the pipeline is next due, far in the future for a deleted one. */
export const NEVER = Date.parse("9999-12-31T00:00:00Z");

export function afterStep(
  result: StepResult,
  input: Pick<ScheduleInput, "now" | "eventsFlowing" | "random" | "settings" | "pushWatchUntil"> & {
    idleChecks: number;
  },
): AfterStep {
  switch (result.outcome) {
    case "deleted":
      return { nextSyncAt: NEVER, idleChecks: 0, stateHash: undefined, activity: true };
    case "backfill":
    case "deferred": {
      const next = nextSyncAt({ ...input, outcome: result.outcome, idleChecks: 0, consecutiveFailures: 0 });
      return { nextSyncAt: next, idleChecks: 0, stateHash: undefined, activity: result.outcome === "backfill" };
    }
    case "idle":
    case "waiting":
    case "active": {
      // Checks that find nothing new count up, and stretch the interval of idle and waiting pipelines.
      const idleChecks = !result.changed && result.outcome !== "active" ? input.idleChecks + 1 : 0;
      const next = nextSyncAt({
        ...input,
        outcome: result.outcome,
        idleChecks,
        consecutiveFailures: 0,
        earliestChangeAt: result.outcome === "active" ? result.earliestChangeAt : null,
        reviewerAskedAt: result.outcome === "waiting" ? result.reviewerAskedAt : null,
        followUpMs: result.outcome === "waiting" ? result.followUpMs : null,
        quietSince: result.outcome === "idle" ? result.quietSince : null,
      });
      return { nextSyncAt: next, idleChecks, stateHash: result.stateHash ?? undefined, activity: result.changed };
    }
  }
}

/** A failed step: back off from the active interval, doubling per consecutive failure. */
export function afterFailure(
  input: Pick<ScheduleInput, "now" | "eventsFlowing" | "random" | "settings"> & { consecutiveFailures: number },
): number {
  return nextSyncAt({ ...input, outcome: "error", idleChecks: 0 });
}
