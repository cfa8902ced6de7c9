// Event-driven sync of named executions: their action executions only (one ListActionExecutions each), the
// state snapshot patched from them. Falls back (returns false) when an approval is running, whose token only
// GetPipelineState has.
import "server-only";
import type { PipelineStateSnapshot } from "@/lib/pipelines/state-snapshot";
import { listAllActionExecutions } from "@/lib/server/aws/all-pages";
import { patchSnapshot } from "../decide/patch-state";
import { writeState } from "../snapshot/stored-state";
import { settleApprovals } from "../store/approvals";
import { deriveStageExecutions, type PipelineContext, upsertActionExecutions } from "../store/executions";
import { refreshLatest } from "../store/state";
import type { SyncContext } from "./context";

export async function targetedSync(
  ctx: SyncContext,
  pipeline: PipelineContext,
  executionIds: Set<string>,
  snapshot: PipelineStateSnapshot,
): Promise<boolean> {
  const { db, api } = ctx;
  const executions = await db.execution.findMany({
    where: { pipelineId: pipeline.id, executionId: { in: [...executionIds] }, completedAt: null },
    select: { id: true, executionId: true, status: true, executionType: true },
  });
  if (executions.length !== executionIds.size) return false;
  for (const execution of executions)
    await upsertActionExecutions(
      db,
      pipeline.id,
      await listAllActionExecutions(api, pipeline.name, execution.executionId),
    );
  await deriveStageExecutions(
    db,
    executions.map((e) => e.id),
  );
  const rows = await db.actionExecution.findMany({ where: { executionId: { in: executions.map((e) => e.id) } } });
  if (rows.some((r) => r.category === "Approval" && r.status === "InProgress")) return false;
  let patched = snapshot;
  for (const execution of executions) {
    patched = patchSnapshot(
      patched,
      execution.executionId,
      execution.status,
      execution.executionType,
      rows.filter((r) => r.executionId === execution.id),
    );
  }
  await writeState(db, pipeline.id, patched, { sourceActionName: pipeline.sourceActionName });
  await settleApprovals(db, pipeline.id, new Set(), new Date(ctx.now()));
  await refreshLatest(db, pipeline.id);
  return true;
}
