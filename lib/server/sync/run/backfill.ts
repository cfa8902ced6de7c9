// First-sight backfill: every execution AWS still has (ListPipelineExecutions at 100 a page), then every
// action execution of the pipeline (ListActionExecutions at 100 a page, not one call per execution), then,
// for pipelines with stage conditions, every rule execution (ListRuleExecutions, likewise pipeline-wide).
// Each page is stored with the page token after it in one transaction, so a crash resumes where it stopped.
import "server-only";
import { AwsCallError } from "@/lib/server/aws/errors";
import type { Page } from "@/lib/server/aws/types";
import { markChangeOrigin } from "@/lib/server/feed/origin";
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
import type { Writer } from "../store/writer";

type TokenField = "backfillToken" | "actionBackfillToken" | "ruleBackfillToken";
type DoneField = "backfillDone" | "actionBackfillDone" | "ruleBackfillDone";

interface Pass<T> {
  token: TokenField;
  done: DoneField;
  fetch(nextToken: string | null): Promise<Page<T>>;
  /** Stores one page, inside the page's transaction. `first`: the first page of the whole pass. */
  store(tx: Writer, items: T[], first: boolean): Promise<void>;
}

/**
 * The one resumable page loop of every backfill pass: up to backfillPagesPerStep pages, each stored with
 * the page token that follows it in one transaction, so a crash resumes at the page it reached and never
 * skips one. A token AWS no longer accepts starts the pass again from its first page (upserts are
 * idempotent). Returns true when the pass is complete.
 */
async function runPass<T>(ctx: SyncContext, pipelineId: string, startToken: string | null, pass: Pass<T>) {
  let token = startToken;
  for (let page = 0; page < ctx.settings.backfillPagesPerStep; page++) {
    let result: Page<T>;
    try {
      result = await pass.fetch(token);
    } catch (error) {
      if (!(error instanceof AwsCallError && error.kind === "invalid-token")) throw error;
      await ctx.db.pipelineSync.update({ where: { pipelineId }, data: { [pass.token]: null } });
      return false;
    }
    const first = page === 0 && !startToken;
    token = result.nextToken;
    const next = token;
    await ctx.db.$transaction(async (tx) => {
      // History, not live syncing: consumers that act on the world skip these changes.
      await markChangeOrigin(tx, "backfill");
      await pass.store(tx, result.items, first);
      await tx.pipelineSync.update({
        where: { pipelineId },
        data: next ? { [pass.token]: next } : { [pass.token]: null, [pass.done]: true },
      });
    });
    if (!token) return true;
  }
  return false;
}

/** Returns true when the execution backfill is complete. */
export function backfillExecutions(
  ctx: SyncContext,
  pipeline: PipelineContext,
  startToken: string | null,
): Promise<boolean> {
  return runPass(ctx, pipeline.id, startToken, {
    token: "backfillToken",
    done: "backfillDone",
    fetch: (nextToken) => ctx.api.listExecutions(pipeline.name, 100, nextToken),
    async store(tx, items, first) {
      await upsertExecutionSummaries(tx, pipeline, items, new Date(ctx.now()));
      // The first page already tells the dashboard the latest execution.
      if (first) await refreshLatest(tx, pipeline.id);
    },
  });
}

export async function backfillActions(
  ctx: SyncContext,
  pipeline: PipelineContext,
  startToken: string | null,
): Promise<boolean> {
  const done = await runPass(ctx, pipeline.id, startToken, {
    token: "actionBackfillToken",
    done: "actionBackfillDone",
    fetch: (nextToken) => ctx.api.listActionExecutions(pipeline.name, { nextToken }),
    async store(tx, items) {
      const stored = await upsertActionExecutions(tx, pipeline.id, items);
      await deriveStageExecutions(tx, stored.executions);
    },
  });
  if (!done) return false;
  await ctx.db.$transaction(async (tx) => {
    await markChangeOrigin(tx, "backfill");
    await completeFinished(tx, pipeline.id, new Date(ctx.now()));
  });
  await releaseDeferredChecks(ctx);
  return true;
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
  const done = !stages.some((s) => s.conditions !== null)
    ? await db.pipelineSync
        .update({ where: { pipelineId: pipeline.id }, data: { ruleBackfillToken: null, ruleBackfillDone: true } })
        .then(() => true)
    : await runPass(ctx, pipeline.id, startToken, {
        token: "ruleBackfillToken",
        done: "ruleBackfillDone",
        fetch: (nextToken) => ctx.api.listRuleExecutions(pipeline.name, { nextToken }),
        store: (tx, items) => upsertRuleExecutions(tx, pipeline.id, items),
      });
  if (done) await releaseDeferredChecks(ctx);
  return done;
}

/** After the backfill, finished executions have everything AWS keeps for them: never fetch them again. */
async function completeFinished(db: Writer, pipelineId: string, now: Date): Promise<void> {
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
