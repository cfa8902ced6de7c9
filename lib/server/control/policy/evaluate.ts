import "server-only";
import type { ControlCommand } from "@/lib/config/policy";
import { REPOSITORY_PERMISSIONS, type RepositoryPermission, type Right } from "@/lib/control/contract";
import type { ApprovalPolicy, Policy } from "./policy";

// What the policy lets one person do, with the reason in words when it does not. Pure: GitHub's answers
// (permission, team membership), the execution's authors and the votes so far are read by the caller and
// passed in, so every rule here is tested without a network.

export const READ_ONLY_REASON = "this Stageboard instance is read-only";

const rank = (p: RepositoryPermission) => REPOSITORY_PERMISSIONS.indexOf(p);

export function atLeast(have: RepositoryPermission | null, need: RepositoryPermission): boolean {
  return have !== null && rank(have) >= rank(need);
}

/** "needs write on acme/web-app; you have read" (or "no access"). */
export function permissionRight(
  have: RepositoryPermission | null,
  need: RepositoryPermission,
  repository: string,
): Right {
  if (atLeast(have, need)) return { allowed: true };
  return { allowed: false, reason: `needs ${need} on ${repository}; you have ${have ?? "no access"}` };
}

export function commandRight(input: {
  kind: ControlCommand;
  policy: Policy;
  permission: RepositoryPermission | null;
  repository: string | null;
  readOnly: boolean;
}): Right {
  if (input.readOnly) return { allowed: false, reason: READ_ONLY_REASON };
  // A pipeline without a GitHub repository has no GitHub permission to judge by: nobody commands it from here.
  if (!input.repository)
    return { allowed: false, reason: "this pipeline has no GitHub repository whose permissions could allow it" };
  return permissionRight(input.permission, input.policy.commands[input.kind], input.repository);
}

export interface ApprovalCommitAuthor {
  sha: string;
  /** GitHub account id of the author; null when the commit's author has no linked GitHub account. */
  authorGithubId: bigint | null;
}

/** The change's commits as read, and how many it has in all (more than read: the others' authors are unknown). */
export interface ChangeAuthors {
  commits: readonly ApprovalCommitAuthor[];
  totalCommits: number;
}

export interface VoteSoFar {
  githubId: bigint;
  login: string;
  decision: "approve" | "reject";
}

/** "unchecked": the teams were not asked about; else the first required team the viewer is in, or null. */
export type TeamCheck = { kind: "unchecked" } | { kind: "checked"; team: string | null };

export interface ApprovalRightInput {
  policy: ApprovalPolicy;
  readOnly: boolean;
  repository: string | null;
  permission: RepositoryPermission | null;
  viewer: { githubId: bigint; login: string };
  /** The required teams as GitHub answered (the decision always asks; advisory rights may not). */
  team: TeamCheck;
  /** Who started the execution in Stageboard, when it was. */
  startedBy: { githubId: bigint } | null;
  /** The execution's commits; null when they could not be resolved (self-approval then cannot be ruled out). */
  authors: ChangeAuthors | null;
  votes: readonly VoteSoFar[];
  /** The approval's state: only a pending, unexpired one can be decided. */
  status: string;
  expired: boolean;
  decision: "approve" | "reject" | null;
  comment: string | null;
  /**
   * Where to write a comment, when the decision comes from somewhere that cannot take one (a button on GitHub):
   * a policy that requires a written comment sends the person there. Null: the comment is the person's own words.
   */
  writeCommentAt?: string | null;
}

const count = (n: number) => n.toLocaleString("en-US");
const needed = (n: number) => `${n} more approval${n === 1 ? "" : "s"} needed`;

/** Whether the viewer may decide (with `decision`, when given) this approval now. */
export function approvalRight(input: ApprovalRightInput): Right {
  const { policy } = input;
  if (input.readOnly) return { allowed: false, reason: READ_ONLY_REASON };
  if (input.status !== "Pending") return { allowed: false, reason: `this approval is ${input.status.toLowerCase()}` };
  if (input.expired) return { allowed: false, reason: "this approval has expired" };
  if (!input.repository)
    return { allowed: false, reason: "this pipeline has no GitHub repository whose permissions could allow it" };
  const permission = permissionRight(input.permission, policy.minPermission, input.repository);
  if (!permission.allowed) return permission;
  if (policy.requiredTeams.length > 0 && input.team.kind === "checked" && input.team.team === null)
    return {
      allowed: false,
      reason: `needs a member of ${policy.requiredTeams.length === 1 ? policy.requiredTeams[0] : `one of ${policy.requiredTeams.join(", ")}`}`,
    };
  if (policy.preventSelfApproval) {
    const me = input.viewer.githubId;
    if (input.startedBy?.githubId === me) return { allowed: false, reason: "you started this execution" };
    if (input.authors === null)
      return { allowed: false, reason: "the commits of this change could not be read from GitHub; try again" };
    const own = input.authors.commits.find((a) => a.authorGithubId === me);
    if (own) return { allowed: false, reason: `you wrote a commit in this change (${own.sha.slice(0, 7)})` };
    const { commits, totalCommits } = input.authors;
    if (totalCommits > commits.length)
      return {
        allowed: false,
        reason: `this change has more commits than Stageboard can check for their authors (it read ${count(commits.length)} of ${count(totalCommits)})`,
      };
  }
  const mine = input.votes.find((v) => v.githubId === input.viewer.githubId);
  if (mine) {
    const approvals = input.votes.filter((v) => v.decision === "approve").length;
    return {
      allowed: false,
      reason: `you already ${mine.decision === "approve" ? "approved" : "rejected"}; ${needed(Math.max(1, policy.requiredApprovals - approvals))}`,
    };
  }
  if (input.decision === "reject" && !input.comment?.trim())
    return { allowed: false, reason: "a comment is required to reject" };
  if (input.decision === "approve" && policy.requireApproveComment && input.writeCommentAt)
    return { allowed: false, reason: `write your comment on Stageboard: ${input.writeCommentAt}` };
  if (input.decision === "approve" && policy.requireApproveComment && !input.comment?.trim())
    return { allowed: false, reason: "a comment is required to approve" };
  return { allowed: true };
}

/**
 * Whether a vote decides the approval: a rejection by an allowed person always does; approvals do once
 * `requiredApprovals` distinct people (this one included) have approved.
 */
export function voteOutcome(
  policy: ApprovalPolicy,
  votes: readonly VoteSoFar[],
  decision: "approve" | "reject",
): { kind: "send"; status: "Approved" | "Rejected" } | { kind: "record"; remaining: number } {
  if (decision === "reject") return { kind: "send", status: "Rejected" };
  const approvals = votes.filter((v) => v.decision === "approve").length + 1;
  if (approvals >= policy.requiredApprovals) return { kind: "send", status: "Approved" };
  return { kind: "record", remaining: policy.requiredApprovals - approvals };
}

export const remainingText = needed;
