import "server-only";
import type { Db } from "@/lib/server/db/client";
import type { FeedTx } from "@/lib/server/feed/consumer";
import { environmentUrlOf, type ActionOutputs } from "./environment-url";
import type { ApprovalFacts, ExecutionFacts, FailedActionFacts, GitHubClickFacts, StageFacts } from "./execution-facts";

// Reads an execution's stored state as write-back needs it (execution-facts.ts), inside whatever transaction the
// caller runs: the feed consumer's, so the state read is the latest committed one the changes led to.

type Reader = FeedTx | Db;

export type ExecutionKey = { pipelineId: string; executionId: string };

function latestPer<T>(rows: readonly T[], key: (row: T) => string, time: (row: T) => number): T[] {
  const latest = new Map<string, T>();
  for (const row of rows) {
    const seen = latest.get(key(row));
    if (!seen || time(row) >= time(seen)) latest.set(key(row), row);
  }
  return [...latest.values()];
}

/** Stages in the pipeline's order (stages no longer defined, but run by this execution, after them). */
function orderStages(
  defined: readonly { name: string; position: number }[],
  ran: readonly { stageName: string; status: string; startTime: Date | null; endTime: Date | null }[],
  actions: readonly (ActionOutputs & { stageName: string })[],
): StageFacts[] {
  const runs = new Map(ran.map((r) => [r.stageName, r]));
  const names = [...[...defined].sort((a, b) => a.position - b.position).map((s) => s.name)];
  for (const r of ran) if (!names.includes(r.stageName)) names.push(r.stageName);
  return names.map((name) => {
    const run = runs.get(name);
    return {
      name,
      status: run?.status ?? null,
      startTime: run?.startTime ?? null,
      endTime: run?.endTime ?? null,
      environmentUrl: environmentUrlOf(actions.filter((a) => a.stageName === name)),
    };
  });
}

export async function loadExecutionFacts(db: Reader, key: ExecutionKey): Promise<ExecutionFacts | null> {
  // Relations are read one query after another, not nested: nested relations run as concurrent queries, which a
  // transaction's single connection does not take.
  const execution = await db.execution.findUnique({
    where: { pipelineId_executionId: key },
    select: {
      id: true,
      executionId: true,
      status: true,
      statusSummary: true,
      commitSha: true,
      branch: true,
      startTime: true,
      lastUpdateTime: true,
      triggerType: true,
      triggerDetail: true,
    },
  });
  if (!execution) return null;
  const pipeline = await db.pipeline.findUnique({
    where: { id: key.pipelineId },
    select: { id: true, name: true, repository: { select: { fullName: true, githubFullName: true } } },
  });
  if (!pipeline) return null;
  const definedStages = await db.stage.findMany({
    where: { pipelineId: key.pipelineId },
    select: { name: true, position: true },
  });
  const stageExecutions = await db.stageExecution.findMany({
    where: { executionId: execution.id },
    select: { stageName: true, status: true, startTime: true, endTime: true },
  });
  const actionExecutions = await db.actionExecution.findMany({
    where: { executionId: execution.id },
    select: {
      stageName: true,
      actionName: true,
      status: true,
      startTime: true,
      errorCode: true,
      errorMessage: true,
      externalExecutionUrl: true,
      category: true,
      outputVariables: true,
    },
  });
  const approvalRows = await db.approval.findMany({
    where: { pipelineId: key.pipelineId, executionId: key.executionId },
    orderBy: { requestedAt: "asc" },
    select: {
      stageName: true,
      actionName: true,
      status: true,
      requestedAt: true,
      expiresAt: true,
      decidedAt: true,
      decidedBy: true,
      summary: true,
      decision: { select: { login: true, comment: true } },
    },
  });
  const starter = await db.executionStarter.findUnique({
    where: { pipelineId_executionId: key },
    select: { login: true },
  });
  const clicks = await db.gitHubRequestedAction.findMany({
    where: { pipelineId: key.pipelineId, executionId: key.executionId, outcome: { not: null } },
    orderBy: { processedAt: "asc" },
    select: { kind: true, stageName: true, result: true, outcome: true, processedAt: true },
  });
  // CodePipeline does not say which execution took a superseded one's place: the next one of the pipeline to start.
  const supersededBy =
    execution.status === "Superseded"
      ? await db.execution.findFirst({
          where: { pipelineId: key.pipelineId, startTime: { gt: execution.startTime } },
          orderBy: { startTime: "asc" },
          select: { executionId: true },
        })
      : null;
  // An action retried in the same execution counts by its latest attempt: a failure retried into success is gone.
  const failedActions: FailedActionFacts[] = latestPer(
    actionExecutions,
    (a) => `${a.stageName}\u0000${a.actionName}`,
    (a) => a.startTime?.getTime() ?? 0,
  )
    .filter((a) => a.status === "Failed")
    .map((a) => ({
      stageName: a.stageName,
      actionName: a.actionName,
      errorCode: a.errorCode,
      errorMessage: a.errorMessage,
      externalUrl: a.externalExecutionUrl,
    }));
  const approvals: ApprovalFacts[] = latestPer(
    approvalRows,
    (a) => `${a.stageName}\u0000${a.actionName}`,
    (a) => a.requestedAt.getTime(),
  ).map((a) => ({
    stageName: a.stageName,
    actionName: a.actionName,
    status: a.status,
    requestedAt: a.requestedAt,
    expiresAt: a.expiresAt,
    decidedAt: a.decidedAt,
    decider: a.decision
      ? { kind: "person", login: a.decision.login, comment: a.decision.comment || null }
      : a.decidedBy
        ? { kind: "aws", identity: a.decidedBy, comment: a.summary }
        : null,
  }));
  return {
    pipeline: { id: pipeline.id, name: pipeline.name },
    repository: pipeline.repository ? (pipeline.repository.githubFullName ?? pipeline.repository.fullName) : null,
    executionId: execution.executionId,
    status: execution.status,
    statusSummary: execution.statusSummary,
    commitSha: execution.commitSha,
    branch: execution.branch,
    startTime: execution.startTime,
    lastUpdateTime: execution.lastUpdateTime,
    triggerType: execution.triggerType,
    triggerDetail: execution.triggerDetail,
    startedBy: starter?.login ?? null,
    stages: orderStages(definedStages, stageExecutions, actionExecutions),
    failedActions,
    approvals,
    supersededBy: supersededBy?.executionId ?? null,
    ...(clicks.length > 0 ? { gitHubClicks: latestClicks(clicks) } : {}),
  };
}

/** The latest answered click per approval stage (approve and reject alike) and the latest re-run. */
function latestClicks(
  rows: readonly { kind: string; stageName: string; result: string | null; outcome: string | null }[],
): GitHubClickFacts[] {
  const latest = new Map<string, GitHubClickFacts>();
  for (const row of rows)
    latest.set(row.kind === "retry" ? "retry" : `decision\u0000${row.stageName}`, {
      kind: row.kind,
      stageName: row.stageName,
      result: row.result ?? "failed",
      outcome: row.outcome ?? "",
    });
  return [...latest.values()];
}

/** The execution of the pipeline that started last on the commit (`sha` lower-case), or null. */
export async function newestExecutionOnCommit(db: Reader, pipelineId: string, sha: string): Promise<string | null> {
  const newest = await db.execution.findFirst({
    where: { pipelineId, commitSha: { in: [sha, sha.toUpperCase()] } },
    orderBy: [{ startTime: "desc" }, { executionId: "desc" }],
    select: { executionId: true },
  });
  return newest?.executionId ?? null;
}
