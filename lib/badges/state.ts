// What a status badge says, decided from the latest execution (or stage execution) that counts. Isomorphic and
// pure: the badge routes and their tests share it.

export type BadgeState = "passing" | "failing" | "running" | "waiting" | "unknown";

/** The words and colour of each state (shields.io's named colours). */
export const BADGE_MESSAGES: Record<BadgeState, { message: string; color: string }> = {
  passing: { message: "passing", color: "brightgreen" },
  failing: { message: "failing", color: "red" },
  running: { message: "running", color: "blue" },
  waiting: { message: "waiting for approval", color: "yellow" },
  unknown: { message: "unknown", color: "lightgrey" },
};

/**
 * The statuses a badge counts. A stopped, stopping, superseded, cancelled, abandoned or skipped run (and any status
 * AWS adds later) says nothing about whether the code works, so the badge looks past it to the latest run that
 * passed, failed or is still going; with none, it says "unknown".
 */
export const COUNTED_STATUSES: readonly string[] = ["Succeeded", "Failed", "InProgress"];

/** The latest counted run of one pipeline (or of one stage of it). */
export interface CountedRun {
  status: string;
  /** An approval in this run (in this stage, for a stage badge) is waiting for someone. */
  pendingApproval: boolean;
}

export function stateOf(run: CountedRun | null): BadgeState {
  switch (run?.status) {
    case "Succeeded":
      return "passing";
    case "Failed":
      return "failing";
    case "InProgress":
      return run.pendingApproval ? "waiting" : "running";
    default:
      return "unknown";
  }
}

/** Most severe first: one failing pipeline makes the repository's badge fail. */
const SEVERITY: readonly BadgeState[] = ["failing", "waiting", "running", "passing"];

/** The worst of several pipelines' states; pipelines with nothing counted add nothing, so none at all is unknown. */
export function worstState(states: readonly BadgeState[]): BadgeState {
  return SEVERITY.find((state) => states.includes(state)) ?? "unknown";
}

/** The worst state of the runs found (one per pipeline). */
export const stateOfRuns = (runs: readonly CountedRun[]): BadgeState => worstState(runs.map(stateOf));
