// How a manual approval ended, from its finished approval action. CodePipeline reports a rejection and an
// expiry alike, as a Failed action: an expiry carries AWS's own words ("The approval request expired before
// it received a response.") and nobody as `updatedBy`. Telling them apart matters beyond the label: a
// Rejected row is logged as a console decision and notified as "approval.rejected"; an expiry is neither.
import "server-only";

/** The approval action as the sync stored it (ActionExecution). */
export interface ApprovalActionResult {
  status: string;
  errorCode: string | null;
  errorMessage: string | null;
  updatedBy: string | null;
  lastUpdateTime: Date | null;
  externalExecutionSummary: string | null;
}

/** AWS's clock and ours (or the time the approval was first seen) may disagree by this much. */
export const CLOCK_SKEW_MS = 60_000;

// No word boundaries: error codes run words together ("ApprovalTimeout", "RequestExpired").
const EXPIRY_WORDS = /expir(?:e|ed|es|y|ation)|time[sd]?[\s_-]?out/i;

/**
 * Approved, Rejected or Expired for a finished approval action; any other final status (Abandoned when its
 * execution was stopped, ...) is kept as AWS reported it. A Failed action answered by someone is a
 * rejection whatever its message says: the message of a rejection carries the reviewer's own words. One
 * nobody answered expired when its error says so, or when it ended at or after `expiresAt`.
 */
export function settledApprovalStatus(action: ApprovalActionResult, expiresAt: Date | null): string {
  if (action.status === "Succeeded") return "Approved";
  if (action.status !== "Failed") return action.status;
  if (action.updatedBy?.trim()) return "Rejected";
  const says = [action.errorCode, action.errorMessage].some((text) => text !== null && EXPIRY_WORDS.test(text));
  const late =
    expiresAt !== null &&
    action.lastUpdateTime !== null &&
    action.lastUpdateTime.getTime() >= expiresAt.getTime() - CLOCK_SKEW_MS;
  return says || late ? "Expired" : "Rejected";
}

export type ApprovalSettlement =
  | { kind: "wait" }
  | { kind: "settle"; status: string; decidedAt: Date; decidedBy: string | null; summary: string | null };

/**
 * What to store for a pending approval AWS no longer shows as waiting: how its action ended, or Expired once
 * its time ran out without a finished action to tell (the action row may not be stored yet).
 */
export function settleApproval(input: {
  action: ApprovalActionResult | null;
  expiresAt: Date | null;
  now: Date;
}): ApprovalSettlement {
  const { action, expiresAt, now } = input;
  if (action && action.status !== "InProgress") {
    const status = settledApprovalStatus(action, expiresAt);
    const expired = status === "Expired";
    return {
      kind: "settle",
      status,
      decidedAt: action.lastUpdateTime ?? (expired ? expiresAt : null) ?? now,
      decidedBy: expired ? null : action.updatedBy,
      summary: action.externalExecutionSummary,
    };
  }
  if (expiresAt && expiresAt.getTime() <= now.getTime())
    return { kind: "settle", status: "Expired", decidedAt: expiresAt, decidedBy: null, summary: null };
  return { kind: "wait" };
}
