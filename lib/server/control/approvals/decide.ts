import "server-only";
import { PutApprovalResultCommand } from "@aws-sdk/client-codepipeline";
import { fitApprovalSummary } from "@/lib/control/aws-limits";
import type { CommandOutcome } from "@/lib/control/contract";
import { ApiError } from "@/lib/server/api/errors";
import { db as appDb, type Db } from "@/lib/server/db/client";
import type { ActorInput } from "../actor-source";
import { approvalRight, voteOutcome, remainingText, type TeamCheck } from "../policy/evaluate";
import type { ApprovalPolicy } from "../policy/policy";
import { runCommand, type AuthorizeContext, type CommandDeps, type Send, type Verdict } from "../run-command";
import { resolveChange } from "./commit-authors";
import { alreadyDecided, isExpired } from "./approval-state";

// POST /api/approvals/[id]/decision behind the route. Exactly one PutApprovalResult per approval, however
// many people click at once: the vote and the claim are taken in one transaction holding the approval's
// row lock, and the ApprovalDecision row (one per approval) names who sends; everyone after is told who
// decided first (409). The send happens after that transaction, so nobody waits on AWS behind the lock. If
// AWS does not accept, the claim and the vote that made it are removed: nothing is recorded as decided that
// AWS refused, and the person can try again.

/**
 * A decision from the dashboard (a viewer, with the comment they wrote) or from a button on GitHub (a sender:
 * GitHub's buttons carry no text, so the comment says where it came from, and `writeCommentAt` is where a comment
 * the policy requires must be written instead).
 */
export type DecisionInput = {
  requestId: string;
  approvalId: string;
  decision: "approve" | "reject";
} & (
  | (Extract<ActorInput, { viewer: unknown }> & { comment: string; writeCommentAt?: undefined })
  | (Extract<ActorInput, { sender: unknown }> & { writeCommentAt: string; comment?: undefined })
);

/** "Approved on GitHub by @ada": the comment of a decision taken with a GitHub button. */
export function gitHubDecisionComment(decision: "approve" | "reject", login: string): string {
  return `${decision === "approve" ? "Approved" : "Rejected"} on GitHub by @${login}`;
}

const commentOf = (input: DecisionInput): string =>
  input.sender ? gitHubDecisionComment(input.decision, input.sender.login) : input.comment;

type Actor = AuthorizeContext["actor"];
type Claim =
  | { kind: "conflict"; reason: string }
  | { kind: "recorded"; remaining: number }
  | { kind: "send"; status: "Approved" | "Rejected"; approvers: { login: string; name: string | null }[] };

const person = (p: { login: string; name: string | null }) => `@${p.login}${p.name ? ` (${p.name})` : ""}`;

/** "Approved by @ada (Ada Lovelace) via Stageboard: ship it", fitted to AWS's 512 characters. */
export function approvalSummary(
  status: "Approved" | "Rejected",
  approvers: { login: string; name: string | null }[],
  comment: string,
): string {
  const who = approvers.map(person).join(", ");
  return fitApprovalSummary(`${status} by ${who} via Stageboard${comment.trim() ? `: ${comment.trim()}` : ""}`);
}

async function claim(
  db: Db,
  input: { approvalId: string; decision: "approve" | "reject"; comment: string },
  actor: Actor,
  policy: ApprovalPolicy,
  now: Date,
): Promise<Claim> {
  if (actor.githubId === null) throw new ApiError({ code: "unauthorized", message: "Sign in to use this API" });
  const githubId = actor.githubId;
  return db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM "Approval" WHERE id = ${input.approvalId} FOR UPDATE`;
    const approval = await tx.approval.findUnique({ where: { id: input.approvalId }, include: { decision: true } });
    if (!approval) return { kind: "conflict", reason: "This approval no longer exists." };
    const decided = alreadyDecided(approval, now);
    if (decided) return { kind: "conflict", reason: decided };
    const votes = await tx.approvalVote.findMany({ where: { approvalId: approval.id }, orderBy: { createdAt: "asc" } });
    const mine = votes.find((v) => v.githubId === githubId);
    if (mine) {
      const approvals = votes.filter((v) => v.decision === "approve").length;
      return {
        kind: "conflict",
        reason: `you already ${mine.decision === "approve" ? "approved" : "rejected"}; ${remainingText(Math.max(1, policy.requiredApprovals - approvals))}`,
      };
    }
    const outcome = voteOutcome(
      policy,
      votes.map((v) => ({
        githubId: v.githubId,
        login: v.login,
        decision: v.decision === "reject" ? "reject" : "approve",
      })),
      input.decision,
    );
    await tx.approvalVote.create({
      data: {
        approvalId: approval.id,
        githubId,
        login: actor.login,
        name: actor.name,
        decision: input.decision,
        comment: input.comment,
      },
    });
    if (outcome.kind === "record") return { kind: "recorded", remaining: outcome.remaining };
    await tx.approvalDecision.create({
      data: {
        approvalId: approval.id,
        decision: input.decision,
        githubId,
        login: actor.login,
        name: actor.name,
        comment: input.comment,
        state: "sending",
      },
    });
    const approvers =
      outcome.status === "Approved"
        ? [...votes.filter((v) => v.decision === "approve"), { login: actor.login, name: actor.name }]
        : [{ login: actor.login, name: actor.name }];
    return {
      kind: "send",
      status: outcome.status,
      approvers: approvers.map((a) => ({ login: a.login, name: a.name })),
    };
  });
}

async function authorizeDecision(input: DecisionInput, ctx: AuthorizeContext, now: Date): Promise<Verdict> {
  const { db, actor, policy, pipeline, access } = ctx;
  // The approval, its decision and its votes from one snapshot, so a decision taken meanwhile is seen with its
  // vote or not at all: read apart (as an include is), a person's own vote could be seen without the decision it
  // made, and a second click of theirs be told "you already approved" instead of who decided.
  const { approval, votes } = await db.$transaction(
    async (tx) => ({
      approval: await tx.approval.findUnique({ where: { id: input.approvalId }, include: { decision: true } }),
      votes: await tx.approvalVote.findMany({ where: { approvalId: input.approvalId } }),
    }),
    { isolationLevel: "RepeatableRead" },
  );
  if (!approval) return { allowed: false, reason: "This approval no longer exists.", code: "conflict" };
  const decided = alreadyDecided(approval, now);
  if (decided) return { allowed: false, reason: decided, code: "conflict" };
  const rules = policy.approvals;
  const team: TeamCheck =
    rules.requiredTeams.length > 0
      ? {
          kind: "checked",
          team: pipeline.repositoryFullName
            ? await access.teamMembership(rules.requiredTeams, pipeline.repositoryFullName, db)
            : null,
        }
      : { kind: "unchecked" };
  const starter = approval.executionId
    ? await db.executionStarter.findUnique({
        where: { pipelineId_executionId: { pipelineId: pipeline.id, executionId: approval.executionId } },
      })
    : null;
  const change =
    rules.preventSelfApproval && approval.executionId && pipeline.repositoryFullName
      ? await resolveChange(
          db,
          { pipelineId: pipeline.id, executionId: approval.executionId, stageName: approval.stageName },
          pipeline.repositoryFullName,
          access.changeReader(pipeline.repositoryFullName, db),
        )
      : { commits: [], totalCommits: 0 };
  return approvalRight({
    policy: rules,
    readOnly: false,
    repository: pipeline.repositoryFullName,
    permission: ctx.permission,
    viewer: { githubId: actor.githubId ?? -1n, login: actor.login },
    team,
    startedBy: starter,
    authors: change,
    votes: votes.map((v) => ({
      githubId: v.githubId,
      login: v.login,
      decision: v.decision === "reject" ? "reject" : "approve",
    })),
    status: approval.status,
    expired: isExpired(approval, now),
    decision: input.decision,
    comment: commentOf(input),
    writeCommentAt: input.writeCommentAt ?? null,
  });
}

export async function decideApproval(input: DecisionInput, deps: CommandDeps = {}): Promise<CommandOutcome> {
  const db = deps.db ?? appDb;
  const comment = commentOf(input);
  const approval = await db.approval.findUnique({
    where: { id: input.approvalId },
    select: { id: true, pipelineId: true, stageName: true, actionName: true, executionId: true, token: true },
  });
  if (!approval) throw new ApiError({ code: "not_found", message: "Approval not found" });
  let authorized: AuthorizeContext | null = null;
  const send: Send = async ({ client, pipeline }) => {
    if (!authorized) throw new Error("decision sent before it was authorized");
    const { actor, policy } = authorized;
    const claimed = await claim(
      db,
      { approvalId: input.approvalId, decision: input.decision, comment },
      actor,
      policy.approvals,
      new Date(),
    );
    if (claimed.kind === "conflict") throw new ApiError({ code: "conflict", message: claimed.reason });
    if (claimed.kind === "recorded")
      return {
        awsRequestId: null,
        result: "recorded",
        message: `Your approval is recorded; ${remainingText(claimed.remaining)}.`,
      };
    const summary = approvalSummary(claimed.status, claimed.approvers, comment);
    let awsRequestId: string | null;
    try {
      const out = await client.send(
        new PutApprovalResultCommand({
          pipelineName: pipeline.name,
          stageName: approval.stageName,
          actionName: approval.actionName,
          token: approval.token,
          result: { status: claimed.status, summary },
        }),
      );
      awsRequestId = out.$metadata.requestId ?? null;
    } catch (error) {
      // AWS did not accept it: neither the claim nor the vote that made it stands.
      await db.$transaction([
        db.approvalDecision.deleteMany({ where: { approvalId: approval.id, githubId: actor.githubId ?? -1n } }),
        db.approvalVote.deleteMany({ where: { approvalId: approval.id, githubId: actor.githubId ?? -1n } }),
      ]);
      throw error;
    }
    const at = new Date();
    await db.$transaction([
      db.approvalDecision.update({
        where: { approvalId: approval.id },
        data: { state: "sent", sentAt: at, awsRequestId },
      }),
      db.approval.updateMany({
        where: { id: approval.id, status: "Pending" },
        data: { status: claimed.status, decidedAt: at, decidedBy: actor.login, summary },
      }),
    ]);
    return {
      awsRequestId,
      message: `${claimed.status} in AWS; ${claimed.status === "Approved" ? "the pipeline continues" : "the stage fails"}.`,
    };
  };
  const actor = input.sender ? { sender: input.sender } : { viewer: input.viewer };
  return runCommand(
    {
      ...actor,
      requestId: input.requestId,
      pipelineId: approval.pipelineId,
      kind: input.decision,
      stageName: approval.stageName,
      actionName: approval.actionName,
      executionId: approval.executionId ?? undefined,
      params: { approvalId: approval.id, decision: input.decision },
      comment,
    },
    send,
    {
      ...deps,
      db,
      operation: "PutApprovalResult",
      authorize: async (ctx) => {
        authorized = ctx;
        return authorizeDecision(input, ctx, new Date());
      },
    },
  );
}
