import { randomUUID } from "node:crypto";
import type { Db } from "@/lib/server/db/client";
import { markChangeOrigin } from "@/lib/server/feed/origin";

// Stored pipeline state for write-back's tests, written the way the sync engine stores it (the change feed's
// triggers then record each status change): a pipeline of acme/web-app with stages Source, Build and Prod (a manual
// approval), and helpers that move one execution through its life.

export const STAGES = ["Source", "Build", "Prod"] as const;

export async function seedPipeline(
  db: Db,
  input: { pipelineId: string; repository: string; name?: string; stages?: readonly string[] },
) {
  const [owner = "", name = ""] = input.repository.split("/");
  await db.target.upsert({
    where: { id: "t1" },
    create: { id: "t1", accountId: "123456789012", region: "us-east-1" },
    update: {},
  });
  const repository = await db.repository.upsert({
    where: { fullName: input.repository },
    create: { fullName: input.repository, owner, name, githubId: BigInt(Math.floor(Math.random() * 1e9)) },
    update: {},
  });
  await db.pipeline.create({
    data: {
      id: input.pipelineId,
      targetId: "t1",
      name: input.name ?? input.pipelineId,
      version: 1,
      repositoryId: repository.id,
      stages: { create: (input.stages ?? STAGES).map((stage, position) => ({ name: stage, position })) },
    },
  });
}

export type ExecutionRow = { rowId: string; pipelineId: string; executionId: string };

export async function startExecution(
  db: Db,
  input: { pipelineId: string; sha: string | null; startTime?: Date; origin?: "live" | "backfill" },
): Promise<ExecutionRow> {
  const executionId = randomUUID();
  const startTime = input.startTime ?? new Date();
  const rowId = await db.$transaction(async (tx) => {
    if (input.origin === "backfill") await markChangeOrigin(tx, "backfill");
    const row = await tx.execution.create({
      data: {
        pipelineId: input.pipelineId,
        executionId,
        status: "InProgress",
        startTime,
        lastUpdateTime: startTime,
        commitSha: input.sha,
        branch: "main",
        triggerType: "Webhook",
      },
      select: { id: true },
    });
    await tx.stageExecution.create({
      data: { executionId: row.id, stageName: "Source", status: "InProgress", startTime },
    });
    return row.id;
  });
  return { rowId, pipelineId: input.pipelineId, executionId };
}

export async function setStage(
  db: Db,
  execution: ExecutionRow,
  stageName: string,
  status: string,
  times: { start?: Date; end?: Date } = {},
) {
  await db.stageExecution.upsert({
    where: { executionId_stageName: { executionId: execution.rowId, stageName } },
    create: {
      executionId: execution.rowId,
      stageName,
      status,
      startTime: times.start ?? new Date(),
      endTime: times.end,
    },
    update: { status, endTime: times.end },
  });
}

export async function failAction(
  db: Db,
  execution: ExecutionRow,
  stageName: string,
  actionName: string,
  message: string,
) {
  await db.actionExecution.create({
    data: {
      executionId: execution.rowId,
      actionExecutionId: randomUUID(),
      stageName,
      actionName,
      status: "Failed",
      startTime: new Date(),
      errorCode: "JobFailed",
      errorMessage: message,
      externalExecutionUrl: "https://console.aws.amazon.com/codesuite/codebuild/build/1",
    },
  });
}

export async function setExecutionStatus(db: Db, execution: ExecutionRow, status: string) {
  await db.execution.update({ where: { id: execution.rowId }, data: { status, lastUpdateTime: new Date() } });
}

export async function requestApproval(db: Db, execution: ExecutionRow, stageName = "Prod") {
  return db.approval.create({
    data: {
      pipelineId: execution.pipelineId,
      executionId: execution.executionId,
      stageName,
      actionName: "Approve",
      token: randomUUID(),
      status: "Pending",
      requestedAt: new Date(),
      expiresAt: new Date(Date.now() + 86_400_000),
    },
  });
}

/** Approved or rejected through Stageboard by `login`. */
export async function decideApproval(
  db: Db,
  approvalId: string,
  input: { login: string; approve: boolean; comment: string },
) {
  await db.approvalDecision.create({
    data: {
      approvalId,
      decision: input.approve ? "approve" : "reject",
      githubId: 1001n,
      login: input.login,
      comment: input.comment,
      state: "sent",
    },
  });
  await db.approval.update({
    where: { id: approvalId },
    data: { status: input.approve ? "Approved" : "Rejected", decidedAt: new Date() },
  });
}
