import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { RunningGitHubStandIn } from "@/github-stand-in";
import { startAppStandIn, stubAppEnv } from "@/lib/server/testing/github-app";
import type * as DbClient from "@/lib/server/db/client";
import { standInControl } from "@/lib/server/testing/github-user";
import type { TestDatabase } from "@/lib/server/testing/test-database";
import type * as Budget from "@/lib/server/writeback/content-budget";
import type * as Loop from "@/lib/server/writeback/writeback-loop";
import type * as Rows from "@/lib/server/writeback/testing/pipeline-rows";

// Commit statuses and GitHub Deployments end to end, with nothing replaced: stored changes reach the change feed,
// become jobs, and are sent as the App's installation to the GitHub stand-in, whose records are then read back.
// The instance turns statuses (with stage statuses) on; deployments are on by default, and the stages Staging and
// Production map to environments of their names.
const state = vi.hoisted(() => ({ db: undefined as object | undefined }));
vi.mock("@/lib/server/db/client", async (importOriginal) => ({
  ...(await importOriginal<typeof DbClient>()),
  get db() {
    return state.db;
  },
}));

const APP_ID = 320002;
const BASE = "https://stageboard.example.com";
const STAGES = ["Source", "Staging", "Production"];

type StandInStatus = { sha: string; context: string; state: string; description: string | null; targetUrl: string };
type StandInDeployment = {
  id: number;
  sha: string;
  ref: string;
  environment: string;
  payload: unknown;
  productionEnvironment: boolean;
  statuses: { state: string; logUrl: string | null; environmentUrl: string | null }[];
};

let standIn: RunningGitHubStandIn;
let database: TestDatabase;
let loop: typeof Loop;
let rows: typeof Rows;
let budget: typeof Budget;
let shaCounter = 0;

const newSha = () => (++shaCounter).toString(16).padStart(40, "d");
const pass = () => loop.writebackOnce({ db: database.db, logger: { warn: () => {}, info: () => {} }, baseUrl: BASE });
const statusesOn = async (sha: string) =>
  (await standInControl<StandInStatus[]>(standIn.url, "statuses")).filter((s) => s.sha === sha);
const latestStatus = async (sha: string, context: string) =>
  (await statusesOn(sha)).filter((s) => s.context === context).at(-1);
const deploymentsOn = async (sha: string) =>
  (await standInControl<StandInDeployment[]>(standIn.url, "deployments")).filter((d) => d.sha === sha);
const stateOf = (deployment: StandInDeployment | undefined) => deployment?.statuses.at(-1)?.state;

async function deployThrough(sha: string, outcome: { production: "Succeeded" | "Failed" }) {
  const { db } = database;
  const execution = await rows.startExecution(db, { pipelineId: "r1", sha });
  await rows.setStage(db, execution, "Source", "Succeeded", { end: new Date() });
  await rows.setStage(db, execution, "Staging", "InProgress");
  await pass();
  await rows.setStage(db, execution, "Staging", "Succeeded", { end: new Date() });
  await rows.setStage(db, execution, "Production", "InProgress");
  await pass();
  await rows.setStage(db, execution, "Production", outcome.production, { end: new Date() });
  await rows.setExecutionStatus(db, execution, outcome.production);
  await pass();
  return execution;
}

beforeAll(async () => {
  const started = await startAppStandIn({
    id: APP_ID,
    name: "Stageboard (reports test)",
    slug: "stageboard-reports-test",
    installations: [{ id: 520002, account: "acme" }],
  });
  standIn = started.standIn;
  stubAppEnv(standIn.url, started.app);
  vi.stubEnv("WRITEBACK_STATUSES", "true");
  vi.stubEnv("WRITEBACK_STAGE_STATUSES", "true");
  const { createTestDatabase } = await import("@/lib/server/testing/test-database");
  database = await createTestDatabase();
  state.db = database.db;
  loop = await import("@/lib/server/writeback/writeback-loop");
  rows = await import("@/lib/server/writeback/testing/pipeline-rows");
  budget = await import("@/lib/server/writeback/content-budget");
  await rows.seedPipeline(database.db, {
    pipelineId: "r1",
    repository: "acme/web-app",
    name: "web-app",
    stages: STAGES,
  });
  await pass();
});
afterAll(async () => {
  await database.drop();
  await standIn.stop();
  vi.unstubAllEnvs();
});
beforeEach(async () => {
  await standInControl(standIn.url, "faults", { clear: true });
});

describe("commit statuses", () => {
  it("follow the execution on the pipeline's context and each stage's, ending in success", async () => {
    const sha = newSha();
    const execution = await deployThrough(sha, { production: "Succeeded" });
    const pipelineStatuses = (await statusesOn(sha)).filter((s) => s.context === "codepipeline/web-app");
    expect(pipelineStatuses.map((s) => s.state)).toEqual(["pending", "pending", "success"]);
    expect(pipelineStatuses.at(-1)?.description).toMatch(/^Succeeded in \d+s$/);
    expect(pipelineStatuses.at(-1)?.targetUrl).toBe(`${BASE}/pipelines/r1/executions/${execution.executionId}`);
    for (const stage of STAGES)
      expect((await latestStatus(sha, `codepipeline/web-app/${stage}`))?.state, stage).toBe("success");
  });

  it("say failure with the stage that failed, and a newer execution of the same commit takes the context over", async () => {
    const sha = newSha();
    await deployThrough(sha, { production: "Failed" });
    expect(await latestStatus(sha, "codepipeline/web-app")).toMatchObject({
      state: "failure",
      description: "Failed at Production",
    });
    expect((await latestStatus(sha, "codepipeline/web-app/Production"))?.state).toBe("failure");
    // Retried as a new execution of the same commit: its state replaces the failed one's.
    await deployThrough(sha, { production: "Succeeded" });
    expect((await latestStatus(sha, "codepipeline/web-app"))?.state).toBe("success");
    const jobs = await database.db.writebackJob.findMany({ where: { headSha: sha, kind: "status.execution" } });
    expect(jobs.map((j) => [j.executionId, j.state])).toEqual([["", "delivered"]]);
  });
});

describe("GitHub Deployments", () => {
  it("deploy the exact commit to Staging, then Production, each in progress, then successful", async () => {
    const sha = newSha();
    const execution = await deployThrough(sha, { production: "Succeeded" });
    const deployments = await deploymentsOn(sha);
    expect(deployments.map((d) => [d.environment, d.ref, d.productionEnvironment])).toEqual([
      ["Staging", sha, false],
      ["Production", sha, true],
    ]);
    expect(deployments.map((d) => d.statuses.map((s) => s.state))).toEqual([
      ["in_progress", "success"],
      ["in_progress", "success"],
    ]);
    expect(deployments[0]?.payload).toMatchObject({ pipelineId: "r1", executionId: execution.executionId });
    expect(deployments[0]?.statuses[0]?.logUrl).toBe(`${BASE}/pipelines/r1/executions/${execution.executionId}`);
  });

  it("link the environment that the stage's deploy action exported, once it succeeded", async () => {
    const { db } = database;
    const sha = newSha();
    const execution = await rows.startExecution(db, { pipelineId: "r1", sha });
    await rows.setStage(db, execution, "Source", "Succeeded", { end: new Date() });
    await rows.setStage(db, execution, "Staging", "InProgress");
    await pass();
    await db.actionExecution.create({
      data: {
        executionId: execution.rowId,
        actionExecutionId: randomUUID(),
        stageName: "Staging",
        actionName: "Deploy",
        category: "Deploy",
        status: "Succeeded",
        startTime: new Date(),
        outputVariables: { StackName: "web-staging", EnvironmentUrl: "https://staging.acme.example/" },
      },
    });
    await rows.setStage(db, execution, "Staging", "Succeeded", { end: new Date() });
    await pass();
    const [staging] = await deploymentsOn(sha);
    expect(staging?.statuses.map((s) => [s.state, s.environmentUrl])).toEqual([
      ["in_progress", null],
      ["success", "https://staging.acme.example/"],
    ]);
  });

  it("make the deployments a newer one replaced inactive, production included", async () => {
    const first = newSha();
    const second = newSha();
    await deployThrough(first, { production: "Succeeded" });
    await deployThrough(second, { production: "Succeeded" });
    await pass();
    expect((await deploymentsOn(first)).map((d) => [d.environment, stateOf(d)])).toEqual([
      ["Staging", "inactive"],
      ["Production", "inactive"],
    ]);
    expect((await deploymentsOn(second)).map((d) => [d.environment, stateOf(d)])).toEqual([
      ["Staging", "success"],
      ["Production", "success"],
    ]);
  });

  it("a failed production deployment leaves the one before it running there", async () => {
    const good = newSha();
    const bad = newSha();
    await deployThrough(good, { production: "Succeeded" });
    await deployThrough(bad, { production: "Failed" });
    await pass();
    expect(stateOf((await deploymentsOn(good)).find((d) => d.environment === "Production"))).toBe("success");
    expect(stateOf((await deploymentsOn(bad)).find((d) => d.environment === "Production"))).toBe("failure");
  });

  it("a creation whose answer GitHub lost is found, not made twice", async () => {
    const sha = newSha();
    await standInControl(standIn.url, "faults", { loseAnswers: { count: 2, mode: "502", kinds: ["deployment"] } });
    const { db } = database;
    const execution = await rows.startExecution(db, { pipelineId: "r1", sha });
    await rows.setStage(db, execution, "Source", "Succeeded", { end: new Date() });
    await rows.setStage(db, execution, "Staging", "InProgress");
    await pass();
    const deployments = await deploymentsOn(sha);
    expect(deployments.map((d) => [d.environment, d.statuses.map((s) => s.state)])).toEqual([
      ["Staging", ["in_progress"]],
    ]);
  });
});

describe("the content-creation budget", () => {
  it("lets exactly the limit through when processes reserve at once", async () => {
    const limits = { perMinute: 3, perHour: 100 };
    const now = new Date();
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => budget.reserveContent(database.db, { installationId: 999_001, limits, now })),
    );
    expect(answers.filter((a) => a.kind === "reserved")).toHaveLength(3);
    const waits = answers.flatMap((a) => (a.kind === "wait" ? [a.ms] : []));
    expect(waits).toHaveLength(5);
    for (const ms of waits) expect(ms).toBe(60_000);
  });
});
