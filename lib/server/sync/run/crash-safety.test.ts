import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deriveStageStatus } from "../decide/execution-status";
import { createFixture, TEST_SETTINGS, type Fixture } from "../testing/fixture";

const settings = { ...TEST_SETTINGS, idleIntervalMs: 300_000, maxIdleIntervalMs: 1_200_000 };

// The process dies while storing a finished execution's details: simulated by the database refusing the
// first stage row written for an execution whose stored status is final (a sequence counts across
// rolled-back transactions, so the refusal happens exactly once).
const ARM = [
  `CREATE SEQUENCE crash_once`,
  `CREATE FUNCTION crash_on_final_stage() RETURNS trigger AS $f$
   BEGIN
     IF (SELECT status FROM "Execution" WHERE id = NEW."executionId") IN ('Succeeded', 'Failed', 'Stopped')
        AND nextval('crash_once') = 1 THEN
       RAISE EXCEPTION 'simulated crash';
     END IF;
     RETURN NEW;
   END $f$ LANGUAGE plpgsql`,
  `CREATE TRIGGER crash_on_final_stage BEFORE INSERT OR UPDATE ON "StageExecution"
   FOR EACH ROW EXECUTE FUNCTION crash_on_final_stage()`,
];

describe("crash safety", () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await createFixture({ pipelines: 4, historyDays: 1 });
    await f.drain({ settings });
    await f.advance(2 * 3_600_000, 120_000, { settings });
  });
  afterAll(async () => f?.close());

  it("recovers an execution's stage rows when a step dies while storing its completion", async () => {
    const { db } = f.database;
    await f.control("scripts", { pipeline: "web-app-staging", stage: "Build", action: "Build", durationMs: 3_600_000 });
    const started = (await f.control("activity", { pipelines: ["web-app-staging"] })) as {
      started: { pipelineExecutionId: string }[];
    };
    const executionId = started.started[0]!.pipelineExecutionId;
    for (let waited = 0; waited < 2_400_000; waited += 60_000) {
      await f.advance(60_000, 60_000, { settings });
      if (await db.execution.findFirst({ where: { executionId } })) break;
    }
    expect((await db.execution.findFirstOrThrow({ where: { executionId } })).completedAt).toBeNull();
    for (const sql of ARM) await db.$executeRawUnsafe(sql);
    let crashed = 0;
    for (let waited = 0; waited < 7_200_000; waited += 30_000) {
      await f.advance(30_000, 30_000, { settings });
      crashed = Number(
        (
          await db.$queryRawUnsafe<{ n: bigint }[]>(
            `SELECT CASE WHEN is_called THEN last_value ELSE 0 END AS n FROM crash_once`,
          )
        )[0]!.n,
      );
      const row = await db.execution.findFirstOrThrow({ where: { executionId } });
      if (row.completedAt && crashed >= 1) break;
    }
    // The crash happened, and the steps after it stored the execution completely all the same.
    expect(crashed).toBeGreaterThanOrEqual(1);
    const row = await db.execution.findFirstOrThrow({
      where: { executionId },
      include: { actionExecutions: true, stageExecutions: true },
    });
    expect(row.completedAt).not.toBeNull();
    const byStage = new Map<string, typeof row.actionExecutions>();
    for (const a of row.actionExecutions) byStage.set(a.stageName, [...(byStage.get(a.stageName) ?? []), a]);
    expect(byStage.size).toBeGreaterThan(1);
    for (const [stageName, actions] of byStage) {
      const stage = row.stageExecutions.find((s) => s.stageName === stageName);
      const derived = deriveStageStatus(actions, row.status);
      expect({ stageName, status: stage?.status, endTime: stage?.endTime?.toISOString() ?? null }).toEqual({
        stageName,
        status: derived.status,
        endTime: derived.endTime?.toISOString() ?? null,
      });
    }
  });
});
