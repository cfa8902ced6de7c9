import type { Db } from "@/lib/server/db/client";

// A small history written straight into the tables the sync engine fills, for the insight tests: the feed's
// triggers record its changes as they would for synced executions.

export type SeedAction = {
  stage: string;
  action: string;
  status: string;
  start: Date;
  end: Date;
  category?: string;
};
export type SeedExecution = {
  executionId: string;
  status: string;
  start: Date;
  end: Date;
  sha?: string;
  executionType?: string;
  rollbackTarget?: string;
  stages: { name: string; status: string; start: Date; end: Date }[];
  actions?: SeedAction[];
};

export async function seedPipeline(db: Db, id: string, stages: string[]): Promise<void> {
  await db.target.upsert({
    where: { id: "t-insight" },
    create: { id: "t-insight", accountId: "1", region: "eu-west-1" },
    update: {},
  });
  await db.pipeline.create({ data: { id, targetId: "t-insight", name: id, version: 1 } });
  for (const [position, name] of stages.entries()) await db.stage.create({ data: { pipelineId: id, name, position } });
}

export async function seedExecution(db: Db, pipelineId: string, e: SeedExecution): Promise<void> {
  const row = await db.execution.upsert({
    where: { pipelineId_executionId: { pipelineId, executionId: e.executionId } },
    create: {
      pipelineId,
      executionId: e.executionId,
      status: e.status,
      startTime: e.start,
      lastUpdateTime: e.end,
      commitSha: e.sha ?? null,
      executionType: e.executionType ?? null,
      rollbackTargetExecutionId: e.rollbackTarget ?? null,
    },
    update: { status: e.status, lastUpdateTime: e.end },
  });
  await db.stageExecution.deleteMany({ where: { executionId: row.id } });
  await db.actionExecution.deleteMany({ where: { executionId: row.id } });
  for (const s of e.stages)
    await db.stageExecution.create({
      data: { executionId: row.id, stageName: s.name, status: s.status, startTime: s.start, endTime: s.end },
    });
  for (const [i, a] of (e.actions ?? []).entries())
    await db.actionExecution.create({
      data: {
        executionId: row.id,
        actionExecutionId: `${e.executionId}-${i}`,
        stageName: a.stage,
        actionName: a.action,
        status: a.status,
        startTime: a.start,
        lastUpdateTime: a.end,
        category: a.category ?? "Build",
      },
    });
}

export const at = (iso: string) => new Date(iso);
export const plus = (d: Date, minutes: number) => new Date(d.getTime() + minutes * 60_000);
