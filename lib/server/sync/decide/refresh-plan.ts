// What a refresh does with each execution stored as open, decided from what the refresh has seen so far.
// The run layer carries a plan out and, after a "get-execution", asks again with what it found.
import "server-only";
import { activeExecutionIds, type PipelineStateSnapshot } from "@/lib/pipelines/state-snapshot";
import { isFinalExecutionStatus } from "./execution-status";

export interface OpenExecutionFacts {
  /** ListPipelineExecutions was called in this refresh. */
  listed: boolean;
  /** Listed only: how the execution's summary on the recent pages compares with the stored one. */
  summary: "absent" | "unchanged" | "changed";
  /** The state shows one of its actions finished without it ever being seen running. */
  needsListing: boolean;
  /** The state shows every running execution (not several PARALLEL executions at once). */
  stateExact: boolean;
  /** The execution's status as stored after this refresh's summaries. */
  status: string;
  /** After a "get-execution": what AWS answered (null: it no longer has the execution). */
  fetched?: { status: string } | null;
  hasConditions: boolean;
  declaresVariables: boolean;
}

export type ExecutionPlan =
  | { kind: "keep-open"; reason: "running-per-state" | "summary-unchanged" }
  | { kind: "get-execution"; reason: "not-on-recent-pages" }
  | { kind: "mark-gone"; reason: "aws-forgot-it" }
  | {
      kind: "list-actions";
      listRules: boolean;
      /** "confirm-final": read the execution's resolved variables first, complete unless it runs again. */
      then: "keep-open" | "complete" | "confirm-final";
    };

export function planOpenExecution(f: OpenExecutionFacts): ExecutionPlan {
  let status = f.status;
  if (!f.listed) {
    // Still running, as the state shows: its action rows came from the state.
    if (!f.needsListing) return { kind: "keep-open", reason: "running-per-state" };
  } else if (f.summary === "absent") {
    // Too old for the recent pages but not finished when last seen: ask for it by id.
    if (f.fetched === undefined) return { kind: "get-execution", reason: "not-on-recent-pages" };
    if (f.fetched === null) return { kind: "mark-gone", reason: "aws-forgot-it" };
    status = f.fetched.status;
  }
  const final = isFinalExecutionStatus(status);
  // A summary that did not move has no new action executions either; when the state is exact, a running
  // execution's progress came from it.
  const fromState = f.stateExact && !f.needsListing;
  if (f.listed && f.summary !== "absent" && (f.summary === "unchanged" || fromState) && !final)
    return { kind: "keep-open", reason: "summary-unchanged" };
  const then = !final
    ? "keep-open"
    : f.listed && f.summary !== "absent" && f.declaresVariables
      ? "confirm-final"
      : "complete";
  return { kind: "list-actions", listRules: f.hasConditions, then };
}

export interface ListingFacts {
  executionMode: string | null;
  /** Executions stored as open when the state was read. */
  openIds: string[];
  snapshot: PipelineStateSnapshot;
  previous: PipelineStateSnapshot | null;
  /** How many of `namedExecutionIds(snapshot)` are stored. */
  namedStored: number;
}

export type ListingPlan =
  | {
      kind: "list-executions";
      reason: "none-open" | "parallel-several-open" | "open-left-state" | "newly-held" | "unknown-named";
    }
  | { kind: "state-only" };

/** Every execution the state names: running, held at a stage, or a stage's latest. */
export function namedExecutionIds(snapshot: PipelineStateSnapshot): string[] {
  return [
    ...new Set([
      ...activeExecutionIds(snapshot),
      ...snapshot.stages.flatMap((s) => (s.latestExecution ? [s.latestExecution.executionId] : [])),
    ]),
  ];
}

/** ListPipelineExecutions only when the state alone cannot tell what happened. */
export function planExecutionListing(f: ListingFacts): ListingPlan {
  if (f.openIds.length === 0) return { kind: "list-executions", reason: "none-open" };
  if (f.executionMode === "PARALLEL" && f.openIds.length > 1)
    return { kind: "list-executions", reason: "parallel-several-open" };
  const active = new Set(activeExecutionIds(f.snapshot));
  if (f.openIds.some((id) => !active.has(id))) return { kind: "list-executions", reason: "open-left-state" };
  // An execution newly held before a stage changed (AWS records the moment) without any action moving.
  const held = (snapshot: PipelineStateSnapshot | null) =>
    new Set(snapshot?.stages.flatMap((s) => s.inboundExecutions.map((e) => e.executionId)) ?? []);
  const heldBefore = held(f.previous);
  if ([...held(f.snapshot)].some((id) => !heldBefore.has(id))) return { kind: "list-executions", reason: "newly-held" };
  if (f.namedStored < namedExecutionIds(f.snapshot).length) return { kind: "list-executions", reason: "unknown-named" };
  return { kind: "state-only" };
}
