// GetPipelineState results: the pipeline's state snapshot, its stage transitions, the exact status of each
// stage's latest execution, and the pipeline's latest execution.
import "server-only";
import type { PipelineStateSnapshot } from "@/lib/pipelines/state-snapshot";
import { writeState } from "../snapshot/stored-state";
import type { Writer } from "./writer";

export async function storeState(
  db: Writer,
  pipelineId: string,
  snapshot: PipelineStateSnapshot,
  options: { sourceActionName: string | null; now: Date },
): Promise<void> {
  await writeState(db, pipelineId, snapshot, { sourceActionName: options.sourceActionName, fetchedAt: options.now });
  const stages = await db.stage.findMany({
    where: { pipelineId },
    select: { name: true, transitionEnabled: true, disabledReason: true, disabledBy: true, disabledAt: true },
  });
  const byName = new Map(stages.map((s) => [s.name, s]));
  for (const stage of snapshot.stages) {
    const row = byName.get(stage.name);
    const t = stage.inboundTransition;
    if (!row || !t) continue;
    const data = {
      transitionEnabled: t.enabled,
      disabledReason: t.enabled ? null : t.disabledReason,
      disabledBy: t.enabled ? null : t.lastChangedBy,
      disabledAt: t.enabled || !t.lastChangedAt ? null : new Date(t.lastChangedAt),
    };
    if (
      row.transitionEnabled === data.transitionEnabled &&
      row.disabledReason === data.disabledReason &&
      row.disabledBy === data.disabledBy &&
      row.disabledAt?.getTime() === data.disabledAt?.getTime()
    )
      continue;
    await db.stage.update({ where: { pipelineId_name: { pipelineId, name: stage.name } }, data });
  }
  // The state knows each stage's latest execution exactly (including statuses actions cannot tell).
  const refs = snapshot.stages.flatMap((s) => (s.latestExecution ? [{ stage: s.name, ...s.latestExecution }] : []));
  if (refs.length === 0) return;
  const executions = await db.execution.findMany({
    where: { pipelineId, executionId: { in: [...new Set(refs.map((r) => r.executionId))] } },
    select: { id: true, executionId: true },
  });
  const rowOf = new Map(executions.map((e) => [e.executionId, e.id]));
  for (const ref of refs) {
    const executionId = rowOf.get(ref.executionId);
    if (!executionId) continue;
    const type = ref.type ?? "STANDARD";
    await db.stageExecution.upsert({
      where: { executionId_stageName: { executionId, stageName: ref.stage } },
      create: { executionId, stageName: ref.stage, status: ref.status, type },
      update: { status: ref.status, type },
    });
  }
}

export async function refreshLatest(db: Writer, pipelineId: string): Promise<{ latestStatus: string | null }> {
  const latest = await db.execution.findFirst({
    where: { pipelineId },
    orderBy: [{ startTime: "desc" }, { id: "desc" }],
    select: { executionId: true, status: true, startTime: true },
  });
  await db.pipeline.update({
    where: { id: pipelineId },
    data: {
      latestExecutionId: latest?.executionId ?? null,
      latestStatus: latest?.status ?? null,
      latestStartTime: latest?.startTime ?? null,
    },
  });
  return { latestStatus: latest?.status ?? null };
}
