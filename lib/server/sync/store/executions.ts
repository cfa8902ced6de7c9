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
import type { Writer } from "./writer";
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
  db: Writer,
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
  db: Writer,
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

/** How one kind of run (action execution, rule execution) is keyed, compared and written. */
interface RunKind<T, Row extends { id: string; executionId: string; runId: string }> {
  executionIdOf(item: T): string;
  runIdOf(item: T): string;
  findExisting(db: Writer, executionIds: string[], runIds: string[]): Promise<Row[]>;
  createMany(db: Writer, rows: { executionId: string; item: T }[]): Promise<void>;
  update(db: Writer, id: string, item: T): Promise<void>;
  same(row: Row, item: T): boolean;
}

/**
 * The one upsert of runs belonging to stored executions, keyed by (execution row, AWS run id): a page costs
 * a few statements (one read, one insert of the new runs, an update per run that changed), not one per run.
 * Runs of executions not stored are skipped.
 */
async function upsertRuns<T, Row extends { id: string; executionId: string; runId: string }>(
  db: Writer,
  pipelineId: string,
  items: T[],
  kind: RunKind<T, Row>,
): Promise<StoredActions> {
  const touched = new Set<string>();
  if (items.length === 0) return { changed: touched, executions: [] };
  const executions = await db.execution.findMany({
    where: { pipelineId, executionId: { in: [...new Set(items.map((item) => kind.executionIdOf(item)))] } },
    select: { id: true, executionId: true },
  });
  const rowOf = new Map(executions.map((e) => [e.executionId, e.id]));
  const rows = [
    ...new Map(
      items.flatMap((item) => {
        const executionId = rowOf.get(kind.executionIdOf(item));
        return executionId ? [[`${executionId}|${kind.runIdOf(item)}`, { executionId, item }] as const] : [];
      }),
    ).entries(),
  ];
  const result = { changed: touched, executions: executions.map((e) => e.id) };
  if (rows.length === 0) return result;
  const existing = await kind.findExisting(
    db,
    [...new Set(rows.map(([, r]) => r.executionId))],
    rows.map(([, r]) => kind.runIdOf(r.item)),
  );
  const known = new Map(existing.map((e) => [`${e.executionId}|${e.runId}`, e]));
  const fresh = rows.filter(([key]) => !known.has(key)).map(([, r]) => r);
  if (fresh.length) {
    await kind.createMany(db, fresh);
    for (const { executionId } of fresh) touched.add(executionId);
  }
  for (const [key, { executionId, item }] of rows) {
    const row = known.get(key);
    if (!row || kind.same(row, item)) continue;
    await kind.update(db, row.id, item);
    touched.add(executionId);
  }
  return result;
}

const time = (d: Date | null | undefined) => d?.getTime() ?? null;

function actionData(a: ActionExecutionInfo) {
  return {
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
  };
}

/** Action executions for executions already stored. */
export function upsertActionExecutions(
  db: Writer,
  pipelineId: string,
  actions: ActionExecutionInfo[],
): Promise<StoredActions> {
  return upsertRuns(db, pipelineId, actions, {
    executionIdOf: (a) => a.executionId,
    runIdOf: (a) => a.actionExecutionId,
    findExisting: async (tx, executionIds, runIds) =>
      (
        await tx.actionExecution.findMany({
          where: { executionId: { in: executionIds }, actionExecutionId: { in: runIds } },
          select: { id: true, executionId: true, actionExecutionId: true, status: true, lastUpdateTime: true },
        })
      ).map((r) => ({ ...r, runId: r.actionExecutionId })),
    createMany: async (tx, rows) => {
      await tx.actionExecution.createMany({
        data: rows.map(({ executionId, item }) => ({
          executionId,
          actionExecutionId: item.actionExecutionId,
          ...actionData(item),
        })),
        skipDuplicates: true,
      });
    },
    update: async (tx, id, item) => {
      await tx.actionExecution.update({ where: { id }, data: actionData(item) });
    },
    same: (row, a) => row.status === a.status && time(row.lastUpdateTime) === time(a.lastUpdateTime),
  });
}

function ruleData(r: RuleExecutionInfo) {
  return {
    stageName: r.stageName,
    ruleName: r.ruleName,
    status: r.status,
    startTime: r.startTime,
    lastUpdateTime: r.lastUpdateTime,
    provider: r.provider,
    summary: r.summary,
    errorCode: r.errorCode,
    errorMessage: r.errorMessage,
  };
}

/** Rule executions for executions already stored. */
export async function upsertRuleExecutions(db: Writer, pipelineId: string, rules: RuleExecutionInfo[]): Promise<void> {
  await upsertRuns(db, pipelineId, rules, {
    executionIdOf: (r) => r.executionId,
    runIdOf: (r) => r.ruleExecutionId,
    findExisting: async (tx, executionIds, runIds) =>
      (
        await tx.ruleExecution.findMany({
          where: { executionId: { in: executionIds }, ruleExecutionId: { in: runIds } },
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
        })
      ).map((r) => ({ ...r, runId: r.ruleExecutionId })),
    createMany: async (tx, rows) => {
      await tx.ruleExecution.createMany({
        data: rows.map(({ executionId, item }) => ({
          executionId,
          ruleExecutionId: item.ruleExecutionId,
          ...ruleData(item),
        })),
        skipDuplicates: true,
      });
    },
    update: async (tx, id, item) => {
      await tx.ruleExecution.update({ where: { id }, data: ruleData(item) });
    },
    same: (row, r) =>
      row.status === r.status &&
      time(row.startTime) === time(r.startTime) &&
      time(row.lastUpdateTime) === time(r.lastUpdateTime) &&
      row.summary === r.summary &&
      row.errorCode === r.errorCode &&
      row.errorMessage === r.errorMessage,
  });
}

/** Recomputes StageExecution rows of the given executions from their stored action executions. */
export async function deriveStageExecutions(db: Writer, executionRowIds: Iterable<string>): Promise<void> {
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
