// Everything one execution's details say, stored in one transaction: its action and rule executions, its
// detail (variables), the stage rows derived from them and, last, that it is complete. A crash anywhere
// leaves the execution open with its earlier rows, so the next step fetches and stores it again; were
// `completedAt` to commit alone, its stage rows would stay stale for good (complete executions are never
// fetched again).
import "server-only";
import type { ActionExecutionInfo, ExecutionDetailInfo, RuleExecutionInfo } from "@/lib/server/aws/types";
import type { Db } from "@/lib/server/db/client";
import {
  applyExecutionDetail,
  deriveStageExecutions,
  type PipelineContext,
  upsertActionExecutions,
  upsertRuleExecutions,
} from "./executions";

export interface ExecutionDetails {
  rowId: string;
  actions: ActionExecutionInfo[];
  rules: RuleExecutionInfo[];
  detail: ExecutionDetailInfo | null;
  complete: boolean;
  now: Date;
}

/** Returns whether any action row changed. */
export async function storeExecutionDetails(
  db: Db,
  pipeline: PipelineContext,
  details: ExecutionDetails,
): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const stored = await upsertActionExecutions(tx, pipeline.id, details.actions);
    await upsertRuleExecutions(tx, pipeline.id, details.rules);
    if (details.detail) await applyExecutionDetail(tx, pipeline, details.rowId, details.detail);
    await deriveStageExecutions(tx, [details.rowId]);
    if (details.complete)
      await tx.execution.update({ where: { id: details.rowId }, data: { completedAt: details.now } });
    return stored.changed.size > 0;
  });
}
