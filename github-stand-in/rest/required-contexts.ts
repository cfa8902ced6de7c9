import type { Records } from "../world/records";
import { key } from "../world/names";

export interface ContextState {
  context: string;
  state: string;
}

const PASSING_CONCLUSIONS = new Set(["success", "neutral", "skipped"]);

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
  for (const run of records.checkRunsFor(repository, sha)) {
    const state =
      run.status !== "completed" ? "pending" : PASSING_CONCLUSIONS.has(run.conclusion ?? "") ? "success" : "failure";
    reported.set(key(run.name), { context: run.name, state });
  }
  const considered =
    required === undefined
      ? [...reported.values()]
      : required.map((name) => reported.get(key(name)) ?? { context: name, state: "missing" });
  return considered.some((c) => c.state !== "success") ? considered : [];
}
