// Idempotent writes of executions and their action/rule executions, keyed by AWS ids: re-applying a page
// (after a crash, or twice by two processes) changes nothing.
import "server-only";
import { Prisma } from "@/lib/generated/prisma/client";
import type {
  ActionExecutionInfo,
  ExecutionDetailInfo,
  ExecutionSummaryInfo,
  RuleExecutionInfo,
} from "@/lib/server/aws/types";
import type { Db } from "@/lib/server/db/client";
import { commitInfo } from "../decide/commit-info";
import { deriveStageStatus } from "../decide/execution-status";

export interface PipelineContext {
  id: string;
  name: string;
  repositoryFullName: string | null;
  sourceBranch: string | null;
  sourceActionName: string | null;
  githubUrl: string;
}

export interface StoredExecution {
  rowId: string;
  executionId: string;
  status: string;
  isNew: boolean;
  changed: boolean;
  completed: boolean;
}

const json = (value: unknown) => value as Prisma.InputJsonValue;

function summaryData(ctx: PipelineContext, s: ExecutionSummaryInfo, now: Date) {
  const commit = commitInfo({
    revisions: s.sourceRevisions,
    sourceActionName: ctx.sourceActionName,
    repositoryFullName: ctx.repositoryFullName,
    defaultBranch: ctx.sourceBranch,
    githubUrl: ctx.githubUrl,
  });
  return {
    status: s.status,
    statusSummary: s.statusSummary,
    triggerType: s.triggerType,
    triggerDetail: s.triggerDetail,
    executionMode: s.executionMode,
    executionType: s.executionType,
    rollbackTargetExecutionId: s.rollbackTargetExecutionId,
    stopReason: s.stopReason,
    startTime: s.startTime ?? s.lastUpdateTime ?? now,
    lastUpdateTime: s.lastUpdateTime ?? s.startTime ?? now,
    sourceRevisions: s.sourceRevisions.length ? json(s.sourceRevisions) : Prisma.DbNull,
    ...commit,
  };
}

export async function upsertExecutionSummaries(
  db: Db,
  ctx: PipelineContext,
  summaries: ExecutionSummaryInfo[],
  now: Date,
): Promise<StoredExecution[]> {
  if (summaries.length === 0) return [];
  const unique = [...new Map(summaries.map((s) => [s.executionId, s])).values()];
  const existing = await db.execution.findMany({
    where: { pipelineId: ctx.id, executionId: { in: unique.map((s) => s.executionId) } },
    select: {
      id: true,
      executionId: true,
      status: true,
      lastUpdateTime: true,
      completedAt: true,
      stopReason: true,
      statusSummary: true,
    },
  });
  const known = new Map(existing.map((e) => [e.executionId, e]));
  const fresh = unique.filter((s) => !known.has(s.executionId));
  if (fresh.length) {
    await db.execution.createMany({
      data: fresh.map((s) => ({ pipelineId: ctx.id, executionId: s.executionId, ...summaryData(ctx, s, now) })),
      skipDuplicates: true,
    });
  }
  const out: StoredExecution[] = [];
  for (const s of unique) {
    const row = known.get(s.executionId);
    if (!row) continue;
    const changed =
      row.status !== s.status ||
      row.lastUpdateTime.getTime() !== (s.lastUpdateTime ?? row.lastUpdateTime).getTime() ||
      row.stopReason !== s.stopReason ||
      row.statusSummary !== s.statusSummary;
    if (changed) {
      // A status change reopens a finished execution (a retried Failed execution runs again).
      await db.execution.update({
        where: { id: row.id },
        data: { ...summaryData(ctx, s, now), ...(row.status !== s.status ? { completedAt: null } : {}) },
      });
    }
    out.push({
      rowId: row.id,
      executionId: s.executionId,
      status: s.status,
      isNew: false,
      changed,
      completed: !!row.completedAt && row.status === s.status,
    });
  }
  if (fresh.length) {
    const created = await db.execution.findMany({
      where: { pipelineId: ctx.id, executionId: { in: fresh.map((s) => s.executionId) } },
      select: { id: true, executionId: true, status: true },
    });
    for (const row of created)
      out.push({
        rowId: row.id,
        executionId: row.executionId,
        status: row.status,
        isNew: true,
        changed: true,
        completed: false,
      });
  }
  return out;
}

export async function applyExecutionDetail(
  db: Db,
  ctx: PipelineContext,
  rowId: string,
  detail: ExecutionDetailInfo,
): Promise<void> {
  const current = await db.execution.findUnique({ where: { id: rowId }, select: { commitSha: true } });
  const commit = current?.commitSha
    ? {}
    : commitInfo({
        revisions: detail.artifactRevisions,
        sourceActionName: null,
        repositoryFullName: ctx.repositoryFullName,
        defaultBranch: ctx.sourceBranch,
        githubUrl: ctx.githubUrl,
      });
  await db.execution.update({
    where: { id: rowId },
    data: {
      status: detail.status,
      statusSummary: detail.statusSummary,
      pipelineVersion: detail.pipelineVersion,
      variables: detail.variables.length ? json(detail.variables) : Prisma.DbNull,
      ...(detail.triggerType ? { triggerType: detail.triggerType, triggerDetail: detail.triggerDetail } : {}),
      ...(detail.executionType ? { executionType: detail.executionType } : {}),
      ...(detail.rollbackTargetExecutionId ? { rollbackTargetExecutionId: detail.rollbackTargetExecutionId } : {}),
      ...commit,
    },
  });
}

export interface StoredActions {
  /** Row ids of the executions whose action rows changed. */
  changed: Set<string>;
  /** Row ids of every stored execution the actions belong to. */
  executions: string[];
}

/** Action executions for executions already stored. */
export async function upsertActionExecutions(
  db: Db,
  pipelineId: string,
  actions: ActionExecutionInfo[],
): Promise<StoredActions> {
  const touched = new Set<string>();
  if (actions.length === 0) return { changed: touched, executions: [] };
  const executions = await db.execution.findMany({
    where: { pipelineId, executionId: { in: [...new Set(actions.map((a) => a.executionId))] } },
    select: { id: true, executionId: true },
  });
  const rowOf = new Map(executions.map((e) => [e.executionId, e.id]));
  const rows = actions.flatMap((a) => {
    const executionId = rowOf.get(a.executionId);
    return executionId ? [{ executionId, a }] : [];
  });
  const result = { changed: touched, executions: executions.map((e) => e.id) };
  if (rows.length === 0) return result;
  const existing = await db.actionExecution.findMany({
    where: {
      OR: [...groupBy(rows).entries()].map(([executionId, ids]) => ({ executionId, actionExecutionId: { in: ids } })),
    },
    select: { id: true, executionId: true, actionExecutionId: true, status: true, lastUpdateTime: true },
  });
  const known = new Map(existing.map((e) => [`${e.executionId}|${e.actionExecutionId}`, e]));
  const data = (a: ActionExecutionInfo) => ({
    stageName: a.stageName,
    actionName: a.actionName,
    status: a.status,
    startTime: a.startTime,
    lastUpdateTime: a.lastUpdateTime,
    updatedBy: a.updatedBy,
    category: a.category,
    provider: a.provider,
    externalExecutionId: a.externalExecutionId,
    externalExecutionUrl: a.externalExecutionUrl,
    externalExecutionSummary: a.externalExecutionSummary,
    errorCode: a.errorCode,
    errorMessage: a.errorMessage,
    outputVariables: a.outputVariables ? json(a.outputVariables) : Prisma.DbNull,
  });
  const fresh = rows.filter(({ executionId, a }) => !known.has(`${executionId}|${a.actionExecutionId}`));
  if (fresh.length) {
    await db.actionExecution.createMany({
      data: fresh.map(({ executionId, a }) => ({ executionId, actionExecutionId: a.actionExecutionId, ...data(a) })),
      skipDuplicates: true,
    });
    for (const { executionId } of fresh) touched.add(executionId);
  }
  for (const { executionId, a } of rows) {
    const row = known.get(`${executionId}|${a.actionExecutionId}`);
    if (!row) continue;
    if (row.status === a.status && row.lastUpdateTime?.getTime() === a.lastUpdateTime?.getTime()) continue;
    await db.actionExecution.update({ where: { id: row.id }, data: data(a) });
    touched.add(executionId);
  }
  return result;
}

function groupBy(rows: { executionId: string; a: { actionExecutionId: string } }[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const { executionId, a } of rows) out.set(executionId, [...(out.get(executionId) ?? []), a.actionExecutionId]);
  return out;
}

/** Rule executions for executions already stored; a backfill page of them costs a few statements, not one per rule. */
export async function upsertRuleExecutions(db: Db, pipelineId: string, rules: RuleExecutionInfo[]): Promise<void> {
  if (rules.length === 0) return;
  const executions = await db.execution.findMany({
    where: { pipelineId, executionId: { in: [...new Set(rules.map((r) => r.executionId))] } },
    select: { id: true, executionId: true },
  });
  const rowOf = new Map(executions.map((e) => [e.executionId, e.id]));
  const rows = [
    ...new Map(
      rules.flatMap((r) => {
        const executionId = rowOf.get(r.executionId);
        return executionId ? [[`${executionId}|${r.ruleExecutionId}`, { executionId, r }] as const] : [];
      }),
    ).values(),
  ];
  if (rows.length === 0) return;
  const existing = await db.ruleExecution.findMany({
    where: {
      executionId: { in: [...new Set(rows.map((x) => x.executionId))] },
      ruleExecutionId: { in: rows.map((x) => x.r.ruleExecutionId) },
    },
    select: {
      id: true,
      executionId: true,
      ruleExecutionId: true,
      status: true,
      startTime: true,
      lastUpdateTime: true,
      summary: true,
      errorCode: true,
      errorMessage: true,
    },
  });
  const known = new Map(existing.map((e) => [`${e.executionId}|${e.ruleExecutionId}`, e]));
  const data = (r: RuleExecutionInfo) => ({
    stageName: r.stageName,
    ruleName: r.ruleName,
    status: r.status,
    startTime: r.startTime,
    lastUpdateTime: r.lastUpdateTime,
    provider: r.provider,
    summary: r.summary,
    errorCode: r.errorCode,
    errorMessage: r.errorMessage,
  });
  const fresh = rows.filter(({ executionId, r }) => !known.has(`${executionId}|${r.ruleExecutionId}`));
  if (fresh.length) {
    await db.ruleExecution.createMany({
      data: fresh.map(({ executionId, r }) => ({ executionId, ruleExecutionId: r.ruleExecutionId, ...data(r) })),
      skipDuplicates: true,
    });
  }
  const time = (d: Date | null) => d?.getTime() ?? null;
  for (const { executionId, r } of rows) {
    const row = known.get(`${executionId}|${r.ruleExecutionId}`);
    if (!row) continue;
    const same =
      row.status === r.status &&
      time(row.startTime) === time(r.startTime) &&
      time(row.lastUpdateTime) === time(r.lastUpdateTime) &&
      row.summary === r.summary &&
      row.errorCode === r.errorCode &&
      row.errorMessage === r.errorMessage;
    if (!same) await db.ruleExecution.update({ where: { id: row.id }, data: data(r) });
  }
}

/** Recomputes StageExecution rows of the given executions from their stored action executions. */
export async function deriveStageExecutions(db: Db, executionRowIds: Iterable<string>): Promise<void> {
  const ids = [...executionRowIds];
  if (ids.length === 0) return;
  const executions = await db.execution.findMany({
    where: { id: { in: ids } },
    select: {
      id: true,
      status: true,
      executionType: true,
      actionExecutions: {
        select: { stageName: true, actionName: true, status: true, startTime: true, lastUpdateTime: true },
      },
    },
  });
  const rows: {
    executionId: string;
    stageName: string;
    status: string;
    type: string;
    startTime: string | null;
    endTime: string | null;
  }[] = [];
  for (const e of executions) {
    const byStage = new Map<string, typeof e.actionExecutions>();
    for (const a of e.actionExecutions) byStage.set(a.stageName, [...(byStage.get(a.stageName) ?? []), a]);
    for (const [stageName, actions] of byStage) {
      const derived = deriveStageStatus(actions, e.status);
      const type = e.executionType === "ROLLBACK" ? "ROLLBACK" : "STANDARD";
      rows.push({
        executionId: e.id,
        stageName,
        status: derived.status,
        type,
        startTime: derived.startTime?.toISOString() ?? null,
        endTime: derived.endTime?.toISOString() ?? null,
      });
    }
  }
  if (rows.length === 0) return;
  // One statement for every stage of every execution (a backfill page touches dozens of executions).
  // Times are UTC ISO strings; Prisma keeps DateTime as UTC in timestamp(3) columns.
  await db.$executeRaw`
    INSERT INTO "StageExecution" ("executionId", "stageName", "status", "type", "startTime", "endTime")
    SELECT * FROM unnest(${rows.map((r) => r.executionId)}::text[], ${rows.map((r) => r.stageName)}::text[], ${rows.map((r) => r.status)}::text[],
      ${rows.map((r) => r.type)}::text[], ${rows.map((r) => r.startTime)}::timestamp(3)[], ${rows.map((r) => r.endTime)}::timestamp(3)[])
    ON CONFLICT ("executionId", "stageName") DO UPDATE SET
      "status" = EXCLUDED."status", "type" = EXCLUDED."type", "startTime" = EXCLUDED."startTime", "endTime" = EXCLUDED."endTime"`;
}
