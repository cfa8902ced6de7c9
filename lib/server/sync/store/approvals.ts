// Manual approvals: pending ones come from GetPipelineState tokens (or, in PARALLEL mode, from the
// approval action's externalExecutionId); they are decided when the approval action finishes.
import "server-only";
import type { PendingApprovalInfo } from "@/lib/server/aws/types";
import {
  approvalExpiresAt,
  approvalFactsUpdate,
  type ApprovalDeclaration,
  type ApprovalDeclarations,
} from "../decide/approval-declarations";
import { settleApproval } from "../decide/approval-settlement";
import { actionKey } from "../decide/keys";
import type { Writer } from "./writer";

export interface PendingApproval extends PendingApprovalInfo {
  /** The approval action's declaration; null when the pipeline's definition is not stored (yet). */
  declared: ApprovalDeclaration | null;
}

/**
 * `executionId` on Approval is the AWS pipeline execution id (what PutApprovalResult callers need). A row
 * stored before its declaration was known, or whose declaration changed, gets the declared CustomData and
 * review link; its status is never touched here.
 */
export async function upsertPendingApprovals(
  db: Writer,
  pipelineId: string,
  pending: PendingApproval[],
  now: Date,
): Promise<void> {
  for (const p of pending) {
    const requestedAt = p.since ?? now;
    const facts = {
      customData: p.declared?.customData ?? null,
      externalEntityLink: p.declared?.externalEntityLink ?? null,
    };
    const row = await db.approval.upsert({
      where: {
        pipelineId_stageName_actionName_token: {
          pipelineId,
          stageName: p.stageName,
          actionName: p.actionName,
          token: p.token,
        },
      },
      create: {
        pipelineId,
        executionId: p.executionId,
        stageName: p.stageName,
        actionName: p.actionName,
        token: p.token,
        status: "Pending",
        requestedAt,
        expiresAt: approvalExpiresAt(requestedAt, p.declared?.timeoutMinutes ?? null),
        ...facts,
      },
      update: {},
      select: { id: true, customData: true, externalEntityLink: true },
    });
    const update = approvalFactsUpdate(row, p.declared);
    if (update) await db.approval.update({ where: { id: row.id }, data: update });
  }
}

/**
 * Pending approvals of a pipeline whose state did not move since they were stored (so no refresh upserts
 * them) get their declared CustomData and review link all the same. Only rows with neither are looked at:
 * a changed declaration comes with a new pipeline version, which moves the state.
 */
export async function fillPendingApprovalFacts(
  db: Writer,
  pipelineId: string,
  declarations: () => Promise<ApprovalDeclarations>,
): Promise<void> {
  const bare = await db.approval.findMany({
    where: { pipelineId, status: "Pending", customData: null, externalEntityLink: null },
    select: { id: true, stageName: true, actionName: true, customData: true, externalEntityLink: true },
  });
  if (!bare.length) return;
  const declared = await declarations();
  for (const row of bare) {
    const update = approvalFactsUpdate(row, declared.get(actionKey(row.stageName, row.actionName)) ?? null);
    if (update) await db.approval.update({ where: { id: row.id }, data: update });
  }
}

/** Decides pending approvals whose approval action has finished (or whose time ran out). */
export async function settleApprovals(
  db: Writer,
  pipelineId: string,
  stillPendingTokens: Set<string>,
  now: Date,
): Promise<void> {
  const pending = await db.approval.findMany({ where: { pipelineId, status: "Pending" } });
  for (const approval of pending) {
    if (stillPendingTokens.has(approval.token)) continue;
    const execution = approval.executionId
      ? await db.execution.findUnique({
          where: { pipelineId_executionId: { pipelineId, executionId: approval.executionId } },
          select: { id: true },
        })
      : null;
    const action = execution
      ? await db.actionExecution.findFirst({
          where: { executionId: execution.id, stageName: approval.stageName, actionName: approval.actionName },
          orderBy: { startTime: "desc" },
          select: {
            status: true,
            errorCode: true,
            errorMessage: true,
            updatedBy: true,
            lastUpdateTime: true,
            externalExecutionSummary: true,
          },
        })
      : null;
    const settlement = settleApproval({ action, expiresAt: approval.expiresAt, now });
    if (settlement.kind === "wait") continue;
    const { status, decidedAt, decidedBy, summary } = settlement;
    await db.approval.update({ where: { id: approval.id }, data: { status, decidedAt, decidedBy, summary } });
  }
}
