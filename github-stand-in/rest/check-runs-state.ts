// Pure rules for check runs and suites: how a request changes a run, when a run turns stale, which runs are the
// latest, and what a suite's status and conclusion are.
import type { CheckConclusion, CheckRunRecord, CheckStatus } from "../world/records";
import type { CheckRunInput } from "./check-runs-input";

/** "If a check run is in an incomplete state for more than 14 days, then the check run's conclusion becomes stale." */
export const STALE_AFTER_MS = 14 * 24 * 60 * 60 * 1000;

export interface NewRunContext {
  repository: string;
  sha: string;
  appId: number;
  suiteId: number;
  now: string;
  nowMs: number;
}

/** A new run from a create request: queued unless told otherwise; a conclusion completes it. */
export function newRun(input: CheckRunInput & { name: string }, at: NewRunContext): Omit<CheckRunRecord, "id"> {
  const completed = input.conclusion !== undefined;
  return {
    repository: at.repository,
    sha: at.sha,
    name: input.name,
    appId: at.appId,
    suiteId: at.suiteId,
    status: completed ? "completed" : (input.status ?? "queued"),
    conclusion: input.conclusion ?? null,
    externalId: input.externalId ?? null,
    detailsUrl: input.detailsUrl ?? null,
    startedAt: input.startedAt ?? at.now,
    completedAt: completed ? (input.completedAt ?? at.now) : null,
    createdAtMs: at.nowMs,
    output: {
      title: input.output?.title ?? null,
      summary: input.output?.summary ?? null,
      text: input.output?.text ?? null,
      annotations: input.output?.annotations ?? [],
    },
    actions: input.actions ?? [],
  };
}

/**
 * Applies an update: given fields replace, annotations append, `actions: []` removes the buttons. A conclusion
 * completes the run; a status of queued or in_progress reopens it (GitHub accepts that, though its UI then shows
 * both states: create a new run per attempt instead).
 */
export function applyUpdate(run: CheckRunRecord, input: CheckRunInput, now: string): void {
  if (input.name !== undefined) run.name = input.name;
  if (input.detailsUrl !== undefined) run.detailsUrl = input.detailsUrl;
  if (input.externalId !== undefined) run.externalId = input.externalId;
  if (input.startedAt !== undefined) run.startedAt = input.startedAt;
  if (input.conclusion !== undefined) {
    run.status = "completed";
    run.conclusion = input.conclusion;
    run.completedAt = input.completedAt ?? now;
  } else if (input.status !== undefined) {
    run.status = input.status;
    run.conclusion = null;
    run.completedAt = null;
  }
  if (input.output) {
    run.output = {
      title: input.output.title ?? run.output.title,
      summary: input.output.summary,
      text: input.output.text ?? run.output.text,
      annotations: [...run.output.annotations, ...input.output.annotations],
    };
  }
  if (input.actions) run.actions = input.actions;
}

/** Marks a run stale once it has stayed incomplete too long; returns whether it changed. */
export function settleStale(run: CheckRunRecord, nowMs: number): boolean {
  if (run.status === "completed" || nowMs - run.createdAtMs <= STALE_AFTER_MS) return false;
  run.status = "completed";
  run.conclusion = "stale";
  run.completedAt = new Date(run.createdAtMs + STALE_AFTER_MS).toISOString().replace(/\.\d{3}Z$/, "Z");
  return true;
}

/** `filter=latest`: the newest run of each name in each suite (a re-run replaces the one before). */
export function latestRuns(runs: readonly CheckRunRecord[]): CheckRunRecord[] {
  const newest = new Map<string, CheckRunRecord>();
  for (const run of runs) {
    const slot = `${run.suiteId}\u0000${run.name}`;
    const current = newest.get(slot);
    if (!current || current.id < run.id) newest.set(slot, run);
  }
  return [...newest.values()];
}

// The documented case is timed_out over success and neutral; the rest of the order is GitHub's list of failing
// conclusions first, then the passing ones.
const CONCLUSION_PRIORITY: readonly CheckConclusion[] = [
  "action_required",
  "cancelled",
  "timed_out",
  "failure",
  "stale",
  "neutral",
  "success",
  "skipped",
];

export interface SuiteState {
  status: Extract<CheckStatus, "queued" | "in_progress" | "completed">;
  conclusion: CheckConclusion | null;
}

/** A suite with no runs yet is queued; it completes when all its latest runs have, with their highest conclusion. */
export function suiteState(latest: readonly CheckRunRecord[]): SuiteState {
  if (latest.length === 0 || latest.every((r) => r.status === "queued")) return { status: "queued", conclusion: null };
  if (latest.some((r) => r.status !== "completed")) return { status: "in_progress", conclusion: null };
  const conclusion =
    CONCLUSION_PRIORITY.find((c) => latest.some((r) => r.conclusion === c)) ?? latest[0]?.conclusion ?? null;
  return { status: "completed", conclusion };
}
