// First-sight backfill: every execution AWS still has (ListPipelineExecutions at 100 a page), then every
// action execution of the pipeline (ListActionExecutions at 100 a page, not one call per execution), then,
// for pipelines with stage conditions, every rule execution (ListRuleExecutions, likewise pipeline-wide).
// The page token is saved after each page, so a crash resumes where it stopped.
import "server-only";
import { AwsCallError } from "@/lib/server/aws/errors";
import type { Db } from "@/lib/server/db/client";
import { isFinalExecutionStatus } from "../decide/execution-status";
import { refreshLatest } from "../store/state";
import type { SyncContext } from "./context";
import {
  deriveStageExecutions,
  type PipelineContext,
  upsertActionExecutions,
  upsertExecutionSummaries,
  upsertRuleExecutions,
} from "../store/executions";

async function restartOnBadToken<T>(run: () => Promise<T>, reset: () => Promise<void>): Promise<T | null> {
  try {
    return await run();
  } catch (error) {
    // A page token that AWS no longer accepts: start that pass again from the first page (upserts are idempotent).
    if (error instanceof AwsCallError && error.kind === "invalid-token") {
      await reset();
      return null;
    }
    throw error;
  }
}

/** Returns true when the execution backfill is complete. */
export async function backfillExecutions(
  ctx: SyncContext,
  pipeline: PipelineContext,
  startToken: string | null,
): Promise<boolean> {
  let token = startToken;
  const { db } = ctx;
  for (let page = 0; page < ctx.settings.backfillPagesPerStep; page++) {
    const result = await restartOnBadToken(
      () => ctx.api.listExecutions(pipeline.name, 100, token),
      () =>
        db.pipelineSync.update({ where: { pipelineId: pipeline.id }, data: { backfillToken: null } }).then(() => {}),
    );
    if (!result) return false;
    await upsertExecutionSummaries(db, pipeline, result.items, new Date(ctx.now()));
    // The first page already tells the dashboard the latest execution.
    if (page === 0 && !startToken) await refreshLatest(db, pipeline.id);
    token = result.nextToken;
    await db.pipelineSync.update({
      where: { pipelineId: pipeline.id },
      data: token ? { backfillToken: token } : { backfillToken: null, backfillDone: true },
    });
    if (!token) return true;
  }
  return false;
}

export async function backfillActions(
  ctx: SyncContext,
  pipeline: PipelineContext,
  startToken: string | null,
): Promise<boolean> {
  let token = startToken;
  const { db } = ctx;
  for (let page = 0; page < ctx.settings.backfillPagesPerStep; page++) {
    const result = await restartOnBadToken(
      () => ctx.api.listActionExecutions(pipeline.name, { nextToken: token }),
      () =>
        db.pipelineSync
          .update({ where: { pipelineId: pipeline.id }, data: { actionBackfillToken: null } })
          .then(() => {}),
    );
    if (!result) return false;
    const stored = await upsertActionExecutions(db, pipeline.id, result.items);
    // Every execution on the page, not only those whose rows changed: a page fetched again after a crash
    // between its rows and its stage rows changes no action row, yet its stages still need deriving.
    await deriveStageExecutions(db, stored.executions);
    token = result.nextToken;
    await db.pipelineSync.update({
      where: { pipelineId: pipeline.id },
      data: token ? { actionBackfillToken: token } : { actionBackfillToken: null, actionBackfillDone: true },
    });
    if (!token) {
      await completeFinished(db, pipeline.id, new Date(ctx.now()));
      await releaseDeferredChecks(ctx);
      return true;
    }
  }
  return false;
}

/**
 * Live refreshes fetch rule executions only for executions they follow, so the history's come from here.
 * A pipeline whose stored definition declares no conditions is marked done without a request.
 */
export async function backfillRules(
  ctx: SyncContext,
  pipeline: PipelineContext,
  startToken: string | null,
): Promise<boolean> {
  const { db } = ctx;
  const stages = await db.stage.findMany({ where: { pipelineId: pipeline.id }, select: { conditions: true } });
  let token = startToken;
  let done = !stages.some((s) => s.conditions !== null);
  for (let page = 0; !done && page < ctx.settings.backfillPagesPerStep; page++) {
    const result = await restartOnBadToken(
      () => ctx.api.listRuleExecutions(pipeline.name, { nextToken: token }),
      () =>
        db.pipelineSync
          .update({ where: { pipelineId: pipeline.id }, data: { ruleBackfillToken: null } })
          .then(() => {}),
    );
    if (!result) return false;
    await upsertRuleExecutions(db, pipeline.id, result.items);
    token = result.nextToken;
    done = !token;
    if (token) await db.pipelineSync.update({ where: { pipelineId: pipeline.id }, data: { ruleBackfillToken: token } });
  }
  if (!done) return false;
  await db.pipelineSync.update({
    where: { pipelineId: pipeline.id },
    data: { ruleBackfillToken: null, ruleBackfillDone: true },
  });
  await releaseDeferredChecks(ctx);
  return true;
}

/** After the backfill, finished executions have everything AWS keeps for them: never fetch them again. */
async function completeFinished(db: Db, pipelineId: string, now: Date): Promise<void> {
  const open = await db.execution.findMany({
    where: { pipelineId, completedAt: null },
    select: { id: true, status: true },
  });
  const done = open.filter((e) => isFinalExecutionStatus(e.status)).map((e) => e.id);
  if (done.length) await db.execution.updateMany({ where: { id: { in: done } }, data: { completedAt: now } });
}

/** The target's last backfill finished: the live checks that waited for it are due now. */
async function releaseDeferredChecks(ctx: SyncContext): Promise<void> {
  if (await targetStillBackfills(ctx.db, ctx.targetId)) return;
  const now = new Date(ctx.now());
  await ctx.db.pipelineSync.updateMany({
    where: { pipeline: { targetId: ctx.targetId, deletedAt: null }, nextSyncAt: { gt: now }, leaseOwner: null },
    data: { nextSyncAt: now },
  });
}

/** Whether any live pipeline of the target has history left to backfill. */
export async function targetStillBackfills(db: Db, targetId: string): Promise<boolean> {
  const remaining = await db.pipelineSync.count({
    where: {
      pipeline: { targetId, deletedAt: null },
      OR: [{ backfillDone: false }, { actionBackfillDone: false }, { ruleBackfillDone: false }],
    },
  });
  return remaining > 0;
}
