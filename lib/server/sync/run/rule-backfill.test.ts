import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { targetStillBackfills } from "./backfill";
import { syncOnce } from "./engine";
import { compareWithTruth, fetchTruth, type Truth } from "../testing/compare-truth";
import { createFixture, TEST_SETTINGS, type Fixture } from "../testing/fixture";

const WITH_CONDITIONS = "web-app-prod";
const TARGET = "sandbox";

function rulesIn(truth: Truth, name: string): number {
  const p = truth.pipelines.find((x) => x.name === name);
  return p?.executions.reduce((n, e) => n + e.stages.reduce((m, s) => m + s.rules.length, 0), 0) ?? 0;
}

/** The data statements of the migration that added the rule backfill (its columns already exist here). */
function migrationUpdates(): string[] {
  const root = path.join(process.cwd(), "prisma", "migrations");
  const dir = readdirSync(root).find((d) => d.endsWith("_rule_backfill"));
  if (!dir) throw new Error("rule_backfill migration not found");
  const sql = readFileSync(path.join(root, dir, "migration.sql"), "utf8");
  const statements = sql.split(";").map((s) =>
    s
      .split("\n")
      .filter((line) => !line.trim().startsWith("--"))
      .join("\n")
      .trim(),
  );
  return statements.filter((s) => s.startsWith("UPDATE"));
}

describe("rule backfill", () => {
  let f: Fixture;
  const responses: {
    status: number;
    body: { ruleExecutionDetails?: { pipelineExecutionId: string }[]; __type?: string };
  }[] = [];
  beforeAll(async () => {
    f = await createFixture({
      pipelines: 3,
      historyDays: 180,
      onResponse: (operation, status, body) => {
        if (operation === "ListRuleExecutions")
          responses.push({ status, body: body as (typeof responses)[number]["body"] });
      },
    });
  });
  afterAll(async () => f?.close());

  const db = () => f.database.db;
  const syncOf = (name: string) =>
    db().pipelineSync.findFirstOrThrow({
      where: { pipeline: { name } },
      include: { pipeline: { select: { name: true } } },
    });
  const storedRules = (name: string) => db().ruleExecution.count({ where: { execution: { pipeline: { name } } } });
  const allRulesDone = async () =>
    (await db().pipelineSync.count({ where: { ruleBackfillDone: false } })) === 0 &&
    (await db().pipelineSync.count()) === 3;

  it("stores the rule executions of backfilled executions page by page, resuming at the saved page, asking only pipelines with conditions", async () => {
    const settings = { ...TEST_SETTINGS, backfillPagesPerStep: 1 };
    // A first process stops right after the first page of rule executions (as if killed there).
    const token = async () =>
      (await db().pipelineSync.findFirst({ where: { pipeline: { name: WITH_CONDITIONS } } }))?.ruleBackfillToken;
    for (let round = 0; round < 100 && !(await token()); round++)
      await syncOnce(f.options({ settings, workerId: "first" }));
    expect(await storedRules(WITH_CONDITIONS)).toBe(100);
    expect(await targetStillBackfills(db(), TARGET)).toBe(true);

    // A new process picks up from the saved token: the next page adds rules (a restart would add none).
    const truth = await fetchTruth(f.sandbox.url);
    const total = rulesIn(truth, WITH_CONDITIONS);
    expect(total).toBeGreaterThan(100);
    await syncOnce(f.options({ settings, workerId: "second" }));
    expect(await storedRules(WITH_CONDITIONS)).toBe(Math.min(200, total));

    for (let round = 0; round < 100 && !(await allRulesDone()); round++)
      await syncOnce(f.options({ settings, workerId: "second" }));
    expect(await targetStillBackfills(db(), TARGET)).toBe(false);
    const ids = new Set(truth.pipelines.find((p) => p.name === WITH_CONDITIONS)?.executions.map((e) => e.id));
    // One full page after another for the pipeline with conditions, none for the others (theirs would be empty).
    expect(responses.map((r) => r.status)).toEqual(Array.from({ length: Math.ceil(total / 100) }, () => 200));
    for (const r of responses) {
      expect(r.body.ruleExecutionDetails?.length).toBeGreaterThan(0);
      expect(r.body.ruleExecutionDetails?.every((d) => ids.has(d.pipelineExecutionId))).toBe(true);
    }
    for (const name of ["web-app-staging", "api-prod"])
      expect(await syncOf(name)).toMatchObject({ ruleBackfillDone: true, ruleBackfillToken: null });

    await f.drain({ settings, workerId: "second" });
    const comparison = await compareWithTruth(db(), TARGET, await fetchTruth(f.sandbox.url));
    expect(comparison.samples).toEqual([]);
    expect(comparison.rules).toBeGreaterThanOrEqual(total);
  });

  it("starts the pass again from the first page when AWS rejects the saved token", async () => {
    const sync = await syncOf(WITH_CONDITIONS);
    const before = await storedRules(WITH_CONDITIONS);
    await db().ruleExecution.deleteMany({ where: { execution: { pipelineId: sync.pipelineId } } });
    await db().pipelineSync.update({
      where: { pipelineId: sync.pipelineId },
      data: { ruleBackfillDone: false, ruleBackfillToken: "Zm9yZ2Vk", nextSyncAt: new Date(f.now()) },
    });
    responses.length = 0;
    for (let round = 0; round < 10 && !(await allRulesDone()); round++) await syncOnce(f.options());
    expect(responses[0]).toMatchObject({ status: 400, body: { __type: "InvalidNextTokenException" } });
    expect(responses.slice(1).every((r) => r.status === 200)).toBe(true);
    expect(await storedRules(WITH_CONDITIONS)).toBe(before);
    expect(await syncOf(WITH_CONDITIONS)).toMatchObject({ ruleBackfillDone: true, ruleBackfillToken: null });
    const comparison = await compareWithTruth(db(), TARGET, await fetchTruth(f.sandbox.url, WITH_CONDITIONS));
    expect(comparison.samples).toEqual([]);
  });

  it("gives pipelines backfilled before rule backfill existed their rule executions, promptly and only where there are conditions", async () => {
    // A database as the migration finds it: histories backfilled, no rule executions, next checks far off.
    await db().ruleExecution.deleteMany({});
    const later = new Date(Date.now() + 3_600_000);
    await db().pipelineSync.updateMany({
      data: { ruleBackfillDone: false, ruleBackfillToken: null, nextSyncAt: later },
    });
    for (const statement of migrationUpdates()) await db().$executeRawUnsafe(statement);
    const rows = await db().pipelineSync.findMany({ include: { pipeline: { select: { name: true } } } });
    expect(rows.filter((s) => !s.ruleBackfillDone).map((s) => s.pipeline.name)).toEqual([WITH_CONDITIONS]);
    const owed = rows.find((s) => s.pipeline.name === WITH_CONDITIONS);
    expect(owed?.nextSyncAt.getTime()).toBeLessThanOrEqual(Date.now());
    expect(rows.filter((s) => s.ruleBackfillDone).every((s) => s.nextSyncAt.getTime() === later.getTime())).toBe(true);

    // The engine's clock is the wall clock in production; here it must be at least as late as the migration's.
    responses.length = 0;
    const now = () => Math.max(f.now(), Date.now());
    for (let round = 0; round < 10 && !(await allRulesDone()); round++) await syncOnce(f.options({ now }));
    expect(responses.length).toBe(Math.ceil(rulesIn(await fetchTruth(f.sandbox.url), WITH_CONDITIONS) / 100));
    const comparison = await compareWithTruth(db(), TARGET, await fetchTruth(f.sandbox.url, WITH_CONDITIONS));
    expect(comparison.samples).toEqual([]);
  });
});
