import type { Records } from "../world/records";
import { key } from "../world/names";
import { latestRuns } from "./check-runs-state";

export interface ContextState {
  context: string;
  state: string;
}

const PASSING_CONCLUSIONS = new Set(["success", "neutral", "skipped"]);

const RANK = ["success", "pending", "failure", "error"];

function worse(a: string, b: string): string {
  return RANK.indexOf(a) >= RANK.indexOf(b) ? a : b;
}

/**
 * What blocks a deployment: with required_contexts omitted every status context and check run must
 * pass; with a list only those must (and a missing one counts as failing); `[]` bypasses the check.
 * The answer lists every context with its state, as GitHub's 409 body does, or [] when nothing fails.
 */
export function failingContexts(
  records: Records,
  repository: string,
  sha: string,
  required: string[] | undefined,
): ContextState[] {
  const reported = new Map<string, ContextState>();
  for (const status of records.latestStatusesFor(repository, sha)) {
    reported.set(key(status.context), { context: status.context, state: status.state });
  }
  for (const run of latestRuns(records.checks.runsFor(repository, sha))) {
    const state =
      run.status !== "completed" ? "pending" : PASSING_CONCLUSIONS.has(run.conclusion ?? "") ? "success" : "failure";
    // A check run and a status of the same name must both pass.
    const status = reported.get(key(run.name));
    reported.set(key(run.name), { context: run.name, state: status ? worse(status.state, state) : state });
  }
  const considered =
    required === undefined
      ? [...reported.values()]
      : required.map((name) => reported.get(key(name)) ?? { context: name, state: "missing" });
  return considered.some((c) => c.state !== "success") ? considered : [];
}
