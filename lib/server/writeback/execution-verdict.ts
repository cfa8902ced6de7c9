import "server-only";
import type { CheckRunConclusion } from "./desired";
import type { ApprovalFacts, ExecutionFacts } from "./execution-facts";

// What a check run says about an execution or an approval, decided from stored statuses alone (no clock), so the
// same state always maps to the same run and a change that alters nothing sends nothing.

export type Verdict =
  | { status: "queued" }
  | { status: "in_progress"; waitingFor: string[] }
  | { status: "completed"; conclusion: CheckRunConclusion };

const CONCLUSION_OF: Record<string, CheckRunConclusion> = {
  Succeeded: "success",
  Failed: "failure",
  Stopped: "cancelled",
  Stopping: "cancelled",
  Cancelled: "cancelled",
  Abandoned: "cancelled",
  Superseded: "neutral",
};

/** The execution's run: finished statuses conclude it; an execution still going is queued until a stage starts. */
export function executionVerdict(facts: Pick<ExecutionFacts, "status" | "stages" | "approvals">): Verdict {
  const conclusion = CONCLUSION_OF[facts.status];
  if (conclusion) return { status: "completed", conclusion };
  const waitingFor = [...new Set(facts.approvals.filter((a) => a.status === "Pending").map((a) => a.stageName))];
  if (waitingFor.length) return { status: "in_progress", waitingFor };
  if (facts.stages.every((s) => s.status === null)) return { status: "queued" };
  return { status: "in_progress", waitingFor: [] };
}

/**
 * One stage's approval run. Waiting is a *completed* `action_required` run rather than an open one: GitHub shows it
 * as needing someone, and a run left incomplete for 14 days would turn stale on its own.
 */
export function approvalVerdict(
  approvals: readonly Pick<ApprovalFacts, "status">[],
): Verdict & { status: "completed" } {
  const statuses = approvals.map((a) => a.status);
  if (statuses.includes("Pending")) return { status: "completed", conclusion: "action_required" };
  if (statuses.some((s) => s === "Rejected" || s === "Expired")) return { status: "completed", conclusion: "failure" };
  if (statuses.length && statuses.every((s) => s === "Approved")) return { status: "completed", conclusion: "success" };
  return { status: "completed", conclusion: "cancelled" };
}
