// Manual approvals: pending ones come from GetPipelineState tokens (or, in PARALLEL mode, from the
// approval action's externalExecutionId); they are decided when the approval action finishes.
import "server-only";
import type { PendingApprovalInfo } from "@/lib/server/aws/types";
import type { Writer } from "./writer";

const DEFAULT_TIMEOUT_MS = 7 * 24 * 3_600_000;

export interface PendingApproval extends PendingApprovalInfo {
  timeoutMinutes: number | null;
}

/** `executionId` on Approval is the AWS pipeline execution id (what PutApprovalResult callers need). */
export async function upsertPendingApprovals(
  db: Writer,
  pipelineId: string,
  pending: PendingApproval[],
  now: Date,
): Promise<void> {
  for (const p of pending) {
    const requestedAt = p.since ?? now;
    const timeoutMs = p.timeoutMinutes ? p.timeoutMinutes * 60_000 : DEFAULT_TIMEOUT_MS;
    await db.approval.upsert({
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
        expiresAt: new Date(requestedAt.getTime() + timeoutMs),
      },
      update: {},
    });
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
        })
      : null;
    if (action && action.status !== "InProgress") {
      const status =
        action.status === "Succeeded" ? "Approved" : action.status === "Failed" ? "Rejected" : action.status;
      await db.approval.update({
        where: { id: approval.id },
        data: {
          status,
          decidedAt: action.lastUpdateTime ?? now,
          decidedBy: action.updatedBy,
          summary: action.externalExecutionSummary,
        },
      });
    } else if (approval.expiresAt && approval.expiresAt.getTime() <= now.getTime()) {
      await db.approval.update({
        where: { id: approval.id },
        data: { status: "Expired", decidedAt: approval.expiresAt },
      });
    }
  }
}
