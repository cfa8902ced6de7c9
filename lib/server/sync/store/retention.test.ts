import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/lib/server/testing/test-database";
import { pruneHistory } from "./retention";

describe("retention", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => t?.drop());

  it("prunes finished executions older than the cutoff with their details, keeping recent and running ones", async () => {
    const now = new Date("2026-11-26T00:00:00Z");
    const day = 86_400_000;
    await t.db.target.create({ data: { id: "t", accountId: "111122223333", region: "us-east-1" } });
    const p = await t.db.pipeline.create({ data: { targetId: "t", name: "p", version: 1 } });
    const make = (id: string, ageDays: number, done: boolean) =>
      t.db.execution.create({
        data: {
          pipelineId: p.id,
          executionId: id,
          status: done ? "Succeeded" : "InProgress",
          startTime: new Date(now.getTime() - ageDays * day),
          lastUpdateTime: new Date(now.getTime() - ageDays * day),
          completedAt: done ? now : null,
          actionExecutions: {
            create: { actionExecutionId: `${id}-a`, stageName: "Build", actionName: "Build", status: "Succeeded" },
          },
        },
      });
    await make("old", 400, true);
    await make("old-running", 400, false);
    await make("recent", 10, true);
    expect(await pruneHistory(t.db, 365, now)).toBe(1);
    const left = await t.db.execution.findMany({ select: { executionId: true }, orderBy: { executionId: "asc" } });
    expect(left.map((e) => e.executionId)).toEqual(["old-running", "recent"]);
    expect(await t.db.actionExecution.count()).toBe(2);
  });
});
