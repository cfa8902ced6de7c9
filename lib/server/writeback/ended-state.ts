// How GitHub's commit statuses and deployment statuses both name an ended CodePipeline status (pure): success and
// failure as such, and every way of not finishing (stopped, cancelled, abandoned, superseded) as `error`, which
// GitHub shows as neither passing nor failing the code. Statuses still running give undefined: each caller knows
// its own word for that ("pending", "in_progress").
const ENDED = {
  Succeeded: "success",
  Failed: "failure",
  Stopped: "error",
  Stopping: "error",
  Cancelled: "error",
  Abandoned: "error",
  Superseded: "error",
} as const;

export type EndedState = (typeof ENDED)[keyof typeof ENDED];

export function endedState(status: string): EndedState | undefined {
  return Object.hasOwn(ENDED, status) ? ENDED[status as keyof typeof ENDED] : undefined;
}
