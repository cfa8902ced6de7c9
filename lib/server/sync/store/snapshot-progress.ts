// While an execution runs, GetPipelineState already shows each action's latest run: its id, status, time of
// the last change, external links, summary and error. Storing those keeps action rows live without a
// ListActionExecutions per change; the execution's own list call is made once, when it ends, for what the
// state lacks (output variables, the start of an action that began and ended between two looks).
import "server-only";
import { actionKey } from "../decide/keys";
import { isActiveStatus, type PipelineStateSnapshot } from "@/lib/pipelines/state-snapshot";
import type { Db } from "@/lib/server/db/client";

export interface OpenExecution {
  id: string;
  executionId: string;
  startTime: Date;
}

/** Category and provider per `stage/action`, from the stored definition (the state does not carry them). */
export type ActionKinds = ReadonlyMap<string, { category: string | null; provider: string | null }>;

export interface SnapshotProgress {
  /** Execution row ids whose action rows changed. */
  touched: Set<string>;
  /** Open execution row ids with an action the state shows finished but never seen running: list them. */
  needsListing: Set<string>;
}

export async function applySnapshotProgress(
  db: Db,
  pipelineId: string,
  snapshot: PipelineStateSnapshot,
  open: OpenExecution[],
  kinds: ActionKinds,
): Promise<SnapshotProgress> {
  const out: SnapshotProgress = { touched: new Set(), needsListing: new Set() };
  const openById = new Map(open.map((e) => [e.executionId, e]));
  const seen = snapshot.stages.flatMap((stage) =>
    stage.actions.flatMap((action) =>
      action.latestExecutionId && action.status && action.lastStatusChange
        ? [
            {
              stage,
              action,
              id: action.latestExecutionId,
              status: action.status,
              at: new Date(action.lastStatusChange),
            },
          ]
        : [],
    ),
  );
  if (seen.length === 0) return out;
  const stored = await db.actionExecution.findMany({
    where: { actionExecutionId: { in: seen.map((s) => s.id) }, execution: { pipelineId } },
    select: {
      id: true,
      executionId: true,
      actionExecutionId: true,
      status: true,
      lastUpdateTime: true,
      execution: { select: { completedAt: true } },
    },
  });
  const byId = new Map(stored.map((row) => [row.actionExecutionId, row]));
  const latest = new Map<string, Date>();
  const touch = (executionRowId: string, at: Date) => {
    out.touched.add(executionRowId);
    if (at > (latest.get(executionRowId) ?? 0)) latest.set(executionRowId, at);
  };
  for (const { stage, action, id, status, at } of seen) {
    const live = {
      status,
      lastUpdateTime: at,
      externalExecutionId: action.externalExecutionId,
      externalExecutionUrl: action.externalExecutionUrl,
      externalExecutionSummary: action.summary,
      errorCode: action.errorCode,
      errorMessage: action.errorMessage,
    };
    const row = byId.get(id);
    if (row) {
      // A finished execution's rows came from its list call, which is the more complete source.
      if (row.execution.completedAt || (row.status === status && row.lastUpdateTime?.getTime() === at.getTime()))
        continue;
      await db.actionExecution.update({ where: { id: row.id }, data: live });
      touch(row.executionId, at);
      continue;
    }
    // An unknown run belongs to the execution the stage shows, if that one is open and started before it.
    // Only one execution occupies a stage at a time outside PARALLEL mode, so a running action is that
    // execution's; a finished one may be an older execution's that left the stage unseen, which only a
    // list call can tell.
    const owner = stage.latestExecution ? openById.get(stage.latestExecution.executionId) : undefined;
    if (!owner || at < owner.startTime) continue;
    if (status !== "InProgress" || !isActiveStatus(stage.latestExecution?.status)) {
      out.needsListing.add(owner.id);
      continue;
    }
    const kind = kinds.get(actionKey(stage.name, action.name));
    await db.actionExecution.createMany({
      data: [
        {
          executionId: owner.id,
          actionExecutionId: id,
          stageName: stage.name,
          actionName: action.name,
          startTime: at,
          category: kind?.category ?? null,
          provider: kind?.provider ?? null,
          ...live,
        },
      ],
      skipDuplicates: true,
    });
    touch(owner.id, at);
  }
  // An execution's last update is its latest change, which is at least its latest action change.
  for (const [id, at] of latest)
    await db.execution.updateMany({ where: { id, lastUpdateTime: { lt: at } }, data: { lastUpdateTime: at } });
  return out;
}
