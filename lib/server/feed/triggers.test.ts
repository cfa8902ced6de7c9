import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { markChangeOrigin } from "@/lib/server/feed/origin";
import { readChanges } from "@/lib/server/feed/read-changes";
import { createTestDatabase, type TestDatabase } from "@/lib/server/testing/test-database";

// The triggers of migration change_feed, through the same Prisma writes the sync engine's stores make:
// a real status change writes exactly one row with before and after, a write that changes nothing writes
// none, and a transaction marked as backfill labels its rows so.
let t: TestDatabase;
let n = 0;

beforeAll(async () => {
  t = await createTestDatabase();
  await t.db.target.create({ data: { id: "t1", accountId: "123456789012", region: "us-east-1" } });
});
afterAll(async () => t?.drop());
beforeEach(async () => {
  await t.db.$executeRaw`DELETE FROM "ChangeEvent"`;
});

/** Every row, once none waits behind a transaction still open elsewhere on the server. */
async function all() {
  for (;;) {
    const read = await readChanges(t.db, { after: null, limit: 1000 });
    if (!read.held) return read.changes;
  }
}

async function pipeline() {
  const id = `p${++n}`;
  await t.db.pipeline.create({ data: { id, targetId: "t1", name: id, version: 1 } });
  return id;
}

async function execution(pipelineId: string, status = "InProgress") {
  return t.db.execution.create({
    data: {
      pipelineId,
      executionId: `e-${++n}`,
      status,
      startTime: new Date("2026-12-01T10:00:00.000Z"),
      lastUpdateTime: new Date(),
    },
  });
}

describe("change feed triggers", () => {
  it("record a pipeline's status and state changes, and nothing for a pipeline without either", async () => {
    const id = await pipeline();
    expect(await all()).toEqual([]);
    await t.db.pipeline.update({
      where: { id },
      data: { latestStatus: "InProgress", latestExecutionId: "e-1", state: { stages: [] } },
    });
    await t.db.pipeline.update({ where: { id }, data: { latestStatus: "InProgress", state: { stages: [] } } });
    await t.db.pipeline.update({ where: { id }, data: { state: { stages: [{ name: "Build" }] } } });
    const rows = await all();
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({
      pipelineId: id,
      executionId: "e-1",
      entity: "pipeline",
      name: null,
      origin: "live",
      before: { status: null, executionId: null, stateDigest: null },
      after: { status: "InProgress", executionId: "e-1" },
    });
    expect(rows[1]?.after.stateDigest).not.toEqual(rows[0]?.after.stateDigest);
    expect(rows[1]?.before?.stateDigest).toEqual(rows[0]?.after.stateDigest);
  });

  it("record an execution's insert and status change with its start time, not other updates", async () => {
    const id = await pipeline();
    const run = await execution(id);
    await t.db.execution.update({ where: { id: run.id }, data: { lastUpdateTime: new Date(), statusSummary: "x" } });
    await t.db.execution.update({ where: { id: run.id }, data: { status: "InProgress" } });
    await t.db.execution.update({ where: { id: run.id }, data: { status: "Succeeded" } });
    const rows = await all();
    expect(rows.map((r) => [r.entity, r.executionId, r.before, r.after])).toEqual([
      ["execution", run.executionId, null, { status: "InProgress", startTime: "2026-12-01T10:00:00.000Z" }],
      [
        "execution",
        run.executionId,
        { status: "InProgress", startTime: "2026-12-01T10:00:00.000Z" },
        { status: "Succeeded", startTime: "2026-12-01T10:00:00.000Z" },
      ],
    ]);
  });

  it("record stage and action executions under their pipeline and AWS execution id, without error messages", async () => {
    const id = await pipeline();
    const run = await execution(id);
    await t.db.$executeRaw`DELETE FROM "ChangeEvent"`;
    await t.db.stageExecution.create({ data: { executionId: run.id, stageName: "Build", status: "InProgress" } });
    await t.db.stageExecution.update({
      where: { executionId_stageName: { executionId: run.id, stageName: "Build" } },
      data: { endTime: new Date() },
    });
    const action = await t.db.actionExecution.create({
      data: {
        executionId: run.id,
        actionExecutionId: "ae-1",
        stageName: "Build",
        actionName: "Compile",
        status: "InProgress",
      },
    });
    await t.db.actionExecution.update({
      where: { id: action.id },
      data: { status: "Failed", errorCode: "JobFailed", errorMessage: "password=hunter2 printed by the build" },
    });
    const rows = await all();
    expect(rows.map((r) => [r.entity, r.pipelineId, r.executionId, r.name, r.before, r.after])).toEqual([
      ["stage", id, run.executionId, "Build", null, { status: "InProgress" }],
      ["action", id, run.executionId, "Build/Compile", null, { status: "InProgress", errorCode: null }],
      [
        "action",
        id,
        run.executionId,
        "Build/Compile",
        { status: "InProgress", errorCode: null },
        { status: "Failed", errorCode: "JobFailed" },
      ],
    ]);
    expect(JSON.stringify(rows.map((r) => [r.before, r.after]))).not.toContain("hunter2");
  });

  it("record approvals and transitions", async () => {
    const id = await pipeline();
    await t.db.stage.create({ data: { pipelineId: id, name: "Deploy", position: 1 } });
    await t.db.stage.update({
      where: { pipelineId_name: { pipelineId: id, name: "Deploy" } },
      data: { transitionEnabled: false, disabledBy: "ops", disabledReason: "freeze" },
    });
    await t.db.stage.update({ where: { pipelineId_name: { pipelineId: id, name: "Deploy" } }, data: { position: 2 } });
    const approval = await t.db.approval.create({
      data: {
        pipelineId: id,
        executionId: "e-9",
        stageName: "Deploy",
        actionName: "Ok",
        token: "tok",
        status: "Pending",
        requestedAt: new Date(),
      },
    });
    await t.db.approval.update({ where: { id: approval.id }, data: { summary: "later" } });
    await t.db.approval.update({ where: { id: approval.id }, data: { status: "Approved", decidedBy: "ada" } });
    const rows = await all();
    expect(rows.map((r) => [r.entity, r.executionId, r.name, r.before, r.after])).toEqual([
      ["transition", null, "Deploy", null, { enabled: true, disabledBy: null }],
      ["transition", null, "Deploy", { enabled: true, disabledBy: null }, { enabled: false, disabledBy: "ops" }],
      ["approval", "e-9", "Deploy/Ok", null, { status: "Pending", decidedBy: null }],
      [
        "approval",
        "e-9",
        "Deploy/Ok",
        { status: "Pending", decidedBy: null },
        { status: "Approved", decidedBy: "ada" },
      ],
    ]);
  });

  it("label the rows of a transaction marked as backfill, and only that transaction's", async () => {
    const id = await pipeline();
    await t.db.$transaction(async (tx) => {
      await markChangeOrigin(tx, "backfill");
      await tx.execution.create({
        data: {
          pipelineId: id,
          executionId: "old",
          status: "Succeeded",
          startTime: new Date(),
          lastUpdateTime: new Date(),
        },
      });
    });
    await execution(id);
    expect((await all()).map((r) => [r.executionId, r.origin])).toEqual([
      ["old", "backfill"],
      [expect.any(String), "live"],
    ]);
  });

  it("write every change of one transaction under its transaction id, in write order", async () => {
    const id = await pipeline();
    await t.db.$transaction(async (tx) => {
      const run = await tx.execution.create({
        data: {
          pipelineId: id,
          executionId: "tx",
          status: "InProgress",
          startTime: new Date(),
          lastUpdateTime: new Date(),
        },
      });
      await tx.stageExecution.create({ data: { executionId: run.id, stageName: "Source", status: "Succeeded" } });
      await tx.pipeline.update({ where: { id }, data: { latestStatus: "InProgress" } });
    });
    const rows = await all();
    expect(rows.map((r) => r.entity)).toEqual(["execution", "stage", "pipeline"]);
    expect(new Set(rows.map((r) => r.cursor.txid)).size).toBe(1);
  });

  it("let a pipeline with history be deleted (cascades write no rows and do not fail)", async () => {
    const id = await pipeline();
    const run = await execution(id);
    await t.db.stageExecution.create({ data: { executionId: run.id, stageName: "Build", status: "InProgress" } });
    await t.db.stage.create({ data: { pipelineId: id, name: "Build", position: 0 } });
    await t.db.$executeRaw`DELETE FROM "ChangeEvent"`;
    await t.db.pipeline.delete({ where: { id } });
    expect(await t.db.execution.count({ where: { pipelineId: id } })).toBe(0);
    expect(await all()).toEqual([]);
  });
});
