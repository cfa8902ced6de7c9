import { safeHttpUrl } from "@/lib/safe-url";
import type { ApprovalCommit, ApprovalView } from "./contract";

// How an approval's people are shown: a commit author with a linked GitHub account as a link to their
// profile, one without as a plain name marked so (never matched to anyone by name or e-mail).

export type CommitAuthor =
  { kind: "login"; login: string; href: string | null } | { kind: "unlinked"; name: string } | { kind: "unknown" };

const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;

export function commitAuthor(commit: ApprovalCommit): CommitAuthor {
  if (commit.authorLogin && LOGIN.test(commit.authorLogin)) {
    // The profile lives on the GitHub that serves the commit (github.com or an Enterprise Server).
    const commitUrl = safeHttpUrl(commit.url);
    const href = commitUrl ? `${new URL(commitUrl).origin}/${encodeURIComponent(commit.authorLogin)}` : null;
    return { kind: "login", login: commit.authorLogin, href };
  }
  if (commit.authorName?.trim()) return { kind: "unlinked", name: commit.authorName.trim() };
  return { kind: "unknown" };
}

/** "1 of 2 approvals" while a multi-approval collects votes; null when one approval decides. */
export function approvalsProgress(approval: Pick<ApprovalView, "requiredApprovals" | "votes">): string | null {
  if (approval.requiredApprovals < 2) return null;
  const approvals = approval.votes.filter((v) => v.decision === "approve").length;
  return `${approvals} of ${approval.requiredApprovals} approvals`;
}

/** A decided approval in one line: "Approved by @ada", "Rejected by arn:aws:iam::…:user/ops", "Expired". */
export function decisionLine(approval: Pick<ApprovalView, "status" | "decidedBy">): string | null {
  if (approval.status === "Pending") return null;
  // Nobody decides an expiry, whatever identity a row stored before expiries were told apart may carry.
  if (approval.status === "Expired" || !approval.decidedBy) return approval.status;
  return `${approval.status} by ${approval.decidedBy}`;
}

/**
 * The panel's expiry fact: a live countdown while it waits; once expired, when that happened ("Expired at",
 * the end AWS reported, else the computed expiry); once decided, when it would have expired.
 */
export function expiryFact(approval: Pick<ApprovalView, "status" | "expiresAt" | "decidedAt">): {
  term: "Expires" | "Expired at";
  at: string | null;
  countdown: boolean;
} {
  if (approval.status === "Pending") return { term: "Expires", at: approval.expiresAt, countdown: true };
  if (approval.status === "Expired")
    return { term: "Expired at", at: approval.decidedAt ?? approval.expiresAt, countdown: false };
  return { term: "Expires", at: approval.expiresAt, countdown: false };
}
