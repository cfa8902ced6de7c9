import "server-only";
import type { ApprovalView, ApprovalVote, Right } from "@/lib/control/contract";
import { env } from "@/lib/env";
import { Prisma } from "@/lib/generated/prisma/client";
import { safeHttpUrl } from "@/lib/safe-url";
import { db as appDb, type Db } from "@/lib/server/db/client";
import { REPOSITORY_NAME_SQL, visiblePipelinesSql } from "@/lib/server/pipelines/visibility";
import type { Viewer } from "@/lib/server/session";
import { approvalRight } from "../policy/evaluate";
import { policyFor } from "../policy/resolve";
import { alreadyDecided, isExpired } from "./approval-state";
import { cachedChange } from "./commit-authors";

// What the inbox and the panels read: approvals of pipelines the viewer can see (the one visibility rule),
// with what the policy lets this viewer do. Those rights are advisory: they use the cached repository
// permission and the cached commit authors, and never ask GitHub; the decision itself asks again.

export type ApprovalRow = {
  id: string;
  pipelineId: string;
  pipelineName: string;
  repository: string | null;
  repositoryGithubId: string | null;
  executionId: string | null;
  stageName: string;
  actionName: string;
  status: string;
  requestedAt: Date;
  expiresAt: Date | null;
  decidedAt: Date | null;
  decidedBy: string | null;
  summary: string | null;
  customData: string | null;
  externalEntityLink: string | null;
};

export function approvalRowsSql(viewer: Viewer, where: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`
    SELECT a.id, a."pipelineId", p.name AS "pipelineName", ${REPOSITORY_NAME_SQL} AS repository,
           r."githubId"::text AS "repositoryGithubId", a."executionId", a."stageName", a."actionName", a.status,
           a."requestedAt", a."expiresAt", a."decidedAt", a."decidedBy", a.summary, a."customData", a."externalEntityLink"
    FROM "Approval" a JOIN "Pipeline" p ON p.id = a."pipelineId" LEFT JOIN "Repository" r ON r.id = p."repositoryId"
    WHERE ${visiblePipelinesSql(viewer)} AND p."deletedAt" IS NULL AND ${where}`;
}

/** One approval as the viewer sees it, with the policy's advisory answer for them. */
export async function approvalView(db: Db, viewer: Viewer, row: ApprovalRow, now: Date): Promise<ApprovalView> {
  const repositoryGithubId = row.repositoryGithubId === null ? null : BigInt(row.repositoryGithubId);
  const policy = await policyFor(db, {
    repository: row.repository,
    repositoryGithubId,
    pipelineId: row.pipelineId,
    stageName: row.stageName,
  });
  const [votes, decision, user, starter, change] = await Promise.all([
    db.approvalVote.findMany({ where: { approvalId: row.id }, orderBy: { createdAt: "asc" } }),
    db.approvalDecision.findUnique({ where: { approvalId: row.id } }),
    db.user.findUnique({ where: { id: viewer.userId }, select: { githubId: true } }),
    row.executionId
      ? db.executionStarter.findUnique({
          where: { pipelineId_executionId: { pipelineId: row.pipelineId, executionId: row.executionId } },
        })
      : null,
    row.executionId && row.repository
      ? cachedChange(
          db,
          { pipelineId: row.pipelineId, executionId: row.executionId, stageName: row.stageName },
          row.repository,
        )
      : null,
  ]);
  const closed = alreadyDecided({ ...row, decision }, now);
  const decide: Right = closed
    ? { allowed: false, reason: closed }
    : approvalRight({
        policy: policy.approvals,
        readOnly: env.STAGEBOARD_READ_ONLY,
        repository: row.repository,
        permission: row.repository ? (viewer.repositories.get(row.repository.toLowerCase()) ?? null) : null,
        viewer: { githubId: user?.githubId ?? -1n, login: viewer.login },
        team: { kind: "unchecked" },
        startedBy: starter,
        // Not resolved yet: the decision resolves it; until then nothing is held against the viewer.
        authors: change ?? { commits: [], totalCommits: 0 },
        votes: votes.map((v) => ({
          githubId: v.githubId,
          login: v.login,
          decision: v.decision === "reject" ? "reject" : "approve",
        })),
        status: row.status,
        expired: isExpired(row, now),
        decision: null,
        comment: null,
      });
  const shownVotes: ApprovalVote[] = votes.map((v) => ({
    login: v.login,
    name: v.name,
    decision: v.decision === "reject" ? "reject" : "approve",
    comment: v.comment,
    at: v.createdAt.toISOString(),
  }));
  return {
    id: row.id,
    pipelineId: row.pipelineId,
    pipelineName: row.pipelineName,
    repository: row.repository,
    stageName: row.stageName,
    actionName: row.actionName,
    executionId: row.executionId,
    status: row.status === "Pending" && isExpired(row, now) ? "Expired" : row.status,
    requestedAt: row.requestedAt.toISOString(),
    expiresAt: row.expiresAt?.toISOString() ?? null,
    customData: row.customData,
    externalEntityLink: safeHttpUrl(row.externalEntityLink),
    requiredApprovals: policy.approvals.requiredApprovals,
    votes: shownVotes,
    decidedBy: row.decidedBy,
    decidedAt: row.decidedAt?.toISOString() ?? null,
    summary: row.summary,
    rights: { decide },
    requireApproveComment: policy.approvals.requireApproveComment,
  };
}

export interface Inbox {
  data: ApprovalView[];
  meta: { pending: number; decidable: number };
}

/** Every pending, unexpired approval the viewer can see: the ones they may decide first, then oldest first. */
export async function listInbox(viewer: Viewer, deps: { db?: Db; now?: Date } = {}): Promise<Inbox> {
  const db = deps.db ?? appDb;
  const now = deps.now ?? new Date();
  const rows = await db.$queryRaw<ApprovalRow[]>(
    approvalRowsSql(
      viewer,
      Prisma.sql`a.status = 'Pending' AND (a."expiresAt" IS NULL OR a."expiresAt" > ${now})
        AND NOT EXISTS (SELECT 1 FROM "ApprovalDecision" d WHERE d."approvalId" = a.id) ORDER BY a."requestedAt" ASC LIMIT 500`,
    ),
  );
  const views = await Promise.all(rows.map((row) => approvalView(db, viewer, row, now)));
  const decidable = views.filter((v) => v.rights.decide.allowed);
  const rest = views.filter((v) => !v.rights.decide.allowed);
  return { data: [...decidable, ...rest], meta: { pending: views.length, decidable: decidable.length } };
}
