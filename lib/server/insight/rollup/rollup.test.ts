import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/lib/server/testing/test-database";
import { at, plus, seedExecution, seedPipeline, type SeedExecution } from "../testing/seed";
import { applyExecutions } from "./apply";
import { insightOnce } from "./consumer";
import { rebuildRollups } from "./rebuild";

// Rollup maintenance against a real database: the feed consumer applies finished executions once however often
// their changes are read, replaces an execution retried after it finished, and a rebuild from history stores exactly
// what the consumer did.
let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase();
  await seedPipeline(t.db, "web", ["Source", "Build", "Prod"]);
});
afterAll(async () => t?.drop());

const day = at("2026-11-02T10:00:00Z");
function execution(id: string, start: Date, status: string, prodStatus = status): SeedExecution {
  return {
    executionId: id,
    status,
    start,
    end: plus(start, 30),
    sha: `${id}0000000`,
    stages: [
      { name: "Source", status: "Succeeded", start, end: plus(start, 1) },
      { name: "Build", status: "Succeeded", start: plus(start, 1), end: plus(start, 11) },
      { name: "Prod", status: prodStatus, start: plus(start, 11), end: plus(start, 30) },
    ],
    actions: [
      { stage: "Build", action: "Compile", status: "Failed", start: plus(start, 1), end: plus(start, 3) },
      { stage: "Build", action: "Compile", status: "Succeeded", start: plus(start, 5), end: plus(start, 11) },
      {
        stage: "Prod",
        action: "Approve",
        status: "Succeeded",
        start: plus(start, 11),
        end: plus(start, 20),
        category: "Approval",
      },
      { stage: "Prod", action: "Deploy", status: prodStatus, start: plus(start, 20), end: plus(start, 30) },
    ],
  };
}

type Snapshot = { daily: unknown[]; hist: unknown[]; deployments: unknown[] };
async function snapshot(): Promise<Snapshot> {
  return {
    daily: await t.db.$queryRaw`
      SELECT "pipelineId", day::text, "stageName", "actionName", kind, outcome, n, "sumMs"::text FROM "InsightDaily"
      ORDER BY 1, 2, 3, 4, 5, 6`,
    hist: await t.db.$queryRaw`
      SELECT "pipelineId", day::text, "stageName", "actionName", outcome, bucket, n FROM "InsightHistogram"
      ORDER BY 1, 2, 3, 4, 5, 6`,
    deployments: await t.db.$queryRaw`
      SELECT "pipelineId", "executionId", "stageName", outcome, at, sha, rollback, "approvalWaitMs"::text
      FROM "InsightDeployment" ORDER BY 1, 2, 3`,
  };
}
const runs = async (stage: string, action: string, outcome: string) => {
  const [row] = await t.db.$queryRaw<{ n: number }[]>`
    SELECT COALESCE(sum(n), 0)::int AS n FROM "InsightDaily"
    WHERE "stageName" = ${stage} AND "actionName" = ${action} AND kind = 'run' AND outcome = ${outcome}`;
  return row?.n ?? 0;
};

describe("insight rollups", () => {
  it("counts finished executions from the feed once, however often their changes are read", async () => {
    await insightOnce(t.db); // first run: rebuilds (nothing yet) and takes its cursor
    await seedExecution(t.db, "web", execution("e1", day, "Succeeded"));
    await seedExecution(t.db, "web", execution("e2", plus(day, 60), "Failed"));
    await seedExecution(t.db, "web", { ...execution("e3", plus(day, 120), "InProgress"), stages: [], actions: [] });
    await insightOnce(t.db);
    expect(await runs("", "", "Succeeded")).toBe(1);
    expect(await runs("", "", "Failed")).toBe(1);
    expect(await runs("", "", "InProgress")).toBe(0);
    expect(await runs("Build", "Compile", "Failed")).toBe(2);
    const before = await snapshot();

    // The same executions applied again (a change read twice) add nothing.
    await t.db.$transaction((tx) =>
      applyExecutions(tx, [
        { pipelineId: "web", executionId: "e1" },
        { pipelineId: "web", executionId: "e2" },
      ]),
    );
    expect(await snapshot()).toEqual(before);

    const [flaky] = await t.db.$queryRaw<{ n: number; lost: string }[]>`
      SELECT sum(n)::int AS n, sum("sumMs")::text AS lost FROM "InsightDaily" WHERE kind = 'flaky'`;
    expect(flaky).toEqual({ n: 2, lost: String(2 * 4 * 60_000) });
    const deployments = await t.db.insightDeployment.findMany({ orderBy: { executionId: "asc" } });
    expect(deployments.map((d) => [d.executionId, d.stageName, d.outcome, Number(d.approvalWaitMs)])).toEqual([
      ["e1", "Prod", "success", 9 * 60_000],
      ["e2", "Prod", "failure", 9 * 60_000],
    ]);
  });

  it("replaces an execution retried after it finished, and a rebuild equals what the feed built", async () => {
    // e2's production stage is retried and succeeds: its failure leaves the figures, its success enters them.
    await seedExecution(t.db, "web", { ...execution("e2", plus(day, 60), "InProgress"), stages: [], actions: [] });
    await insightOnce(t.db);
    expect(await runs("", "", "Failed")).toBe(0);
    expect(await t.db.insightDeployment.count({ where: { executionId: "e2" } })).toBe(0);
    await seedExecution(t.db, "web", execution("e2", plus(day, 60), "Succeeded"));
    await seedExecution(t.db, "web", execution("e3", plus(day, 24 * 60), "Succeeded"));
    await insightOnce(t.db);
    expect(await runs("", "", "Succeeded")).toBe(3);
    expect(await runs("", "", "Failed")).toBe(0);

    const incremental = await snapshot();
    expect(await rebuildRollups(t.db)).toBe(3);
    expect(await snapshot()).toEqual(incremental);
    // And the consumer reading on after a rebuild changes nothing either.
    await insightOnce(t.db);
    expect(await snapshot()).toEqual(incremental);
  });

  it("counts the time a disabled transition held its stage once it is enabled again", async () => {
    await t.db.stage.update({
      where: { pipelineId_name: { pipelineId: "web", name: "Prod" } },
      data: { transitionEnabled: false },
    });
    await insightOnce(t.db);
    await t.db.stage.update({
      where: { pipelineId_name: { pipelineId: "web", name: "Prod" } },
      data: { transitionEnabled: true },
    });
    await insightOnce(t.db);
    const held = await t.db.insightDaily.findMany({ where: { kind: "held" } });
    expect(held.map((h) => [h.stageName, h.n])).toEqual([["Prod", 1]]);
    expect(held[0]!.sumMs).toBeGreaterThanOrEqual(0n);
  });
});
