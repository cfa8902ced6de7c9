import { randomBytes } from "node:crypto";
import { CreatePipelineCommand, GetPipelineExecutionCommand } from "@aws-sdk/client-codepipeline";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { RunningGitHubStandIn } from "@/github-stand-in";
import { build, harness, pipeline, type Harness } from "@/sandbox/testing/harness";
import type * as DbClient from "@/lib/server/db/client";
import { startAppStandIn, stubAppEnv } from "@/lib/server/testing/github-app";
import { standInControl } from "@/lib/server/testing/github-user";
import type { TestDatabase } from "@/lib/server/testing/test-database";
import type * as ControlClient from "@/lib/server/aws/control-client";
import type * as Evaluate from "./evaluate-commits";
import type * as Record from "./record-events";
import type * as Start from "./start";
import type * as Writeback from "@/lib/server/writeback/writeback-loop";

// Release gates end to end, with nothing replaced: deliveries as GitHub sends them recorded in a transaction, the
// commit's checks read from the GitHub stand-in through the App's installation, StartPipelineExecution sent to the
// CodePipeline sandbox over HTTP, the audit log and the gate's own check run read back.
const state = vi.hoisted(() => ({ db: undefined as object | undefined }));
vi.mock("@/lib/server/db/client", async (importOriginal) => ({
  ...(await importOriginal<typeof DbClient>()),
  get db() {
    return state.db;
  },
}));

const APP_ID = 320016;
const ACTIONS_APP = 15368;
const REPOSITORY = "acme/test";
const BASE = "https://stageboard.example.com";

let h: Harness;
let standIn: RunningGitHubStandIn;
let database: TestDatabase;
let control: typeof ControlClient;
let evaluate: typeof Evaluate;
let record: typeof Record;
let start: typeof Start;
let writeback: typeof Writeback;
let n = 0;
let shas = 0;
const logger = { warn: () => {}, info: () => {} };

const newSha = () => `${(++shas).toString(16).padStart(8, "0")}${randomBytes(16).toString("hex")}`;
const startsSent = () => h.sandbox.stats.requests.StartPipelineExecution ?? 0;
const deps = (now = new Date()) => ({
  ...start.gateDeps(database.db, logger, APP_ID),
  baseUrl: BASE,
  now: () => now,
});
const pass = (now?: Date) => evaluate.evaluateDueCommits(deps(now));

/** A gated V2 pipeline in the sandbox (its creation run finished) and its rows, as the sync engine stores them. */
async function gatedPipeline(gate: { checks?: string; checkNames?: string[]; releaseOrder?: string } = {}) {
  const name = `gated${++n}`;
  const declaration = pipeline(name, [{ name: "Deploy", actions: [build("Deploy")] }]);
  await h.client.send(new CreatePipelineCommand({ pipeline: declaration }));
  await h.advance(3_600_000);
  const repository = await database.db.repository.upsert({
    where: { fullName: REPOSITORY },
    create: { fullName: REPOSITORY, owner: "acme", name: "test", githubId: 4242n },
    update: {},
  });
  const row = await database.db.pipeline.create({
    data: {
      targetId: "sandbox",
      name,
      version: 1,
      pipelineType: "V2",
      sourceBranch: "main",
      repositoryId: repository.id,
      definitions: { create: { version: 1, definition: JSON.parse(JSON.stringify(declaration)) as object } },
    },
  });
  await database.db.releaseGate.create({
    data: { pipelineId: row.id, updatedByLogin: "ada", branches: [], checkNames: [], ...gate },
  });
  return { id: row.id, name };
}

// Deliveries are processed a few seconds before the gate's pass, so the first look after a push is due.
async function deliver(event: string, payload: object, now = new Date(Date.now() - 5_000)) {
  return database.db.$transaction((tx) => record.recordGateEvent(tx, { event, payload }, now, APP_ID));
}

const push = (sha: string, at = new Date()) =>
  deliver("push", {
    ref: "refs/heads/main",
    after: sha,
    deleted: false,
    head_commit: { timestamp: at.toISOString() },
    repository: { full_name: REPOSITORY },
  });

/** GitHub Actions reports a check run on the commit (the stand-in's CI control), and GitHub's webhook says so. */
async function check(sha: string, name: string, conclusion: string | null) {
  await standInControl(standIn.url, "checks", {
    repository: REPOSITORY,
    sha,
    name,
    ...(conclusion ? { conclusion } : { status: "in_progress", conclusion: null }),
  });
  await deliver("check_run", {
    check_run: { head_sha: sha, app: { id: ACTIONS_APP } },
    repository: { full_name: REPOSITORY },
  });
}

const commitRow = (pipelineId: string, sha: string) =>
  database.db.gateCommit.findUniqueOrThrow({ where: { pipelineId_sha: { pipelineId, sha } } });

type StandInRun = { name: string; sha: string; status: string; conclusion: string | null; output?: { title?: string } };
const gateRuns = async (sha: string) =>
  (await standInControl<StandInRun[]>(standIn.url, "checks")).filter(
    (r) => r.sha === sha && r.name.startsWith("Release gate"),
  );

beforeAll(async () => {
  h = await harness({ pipelines: 0 });
  const started = await startAppStandIn({
    id: APP_ID,
    name: "Stageboard (gate test)",
    slug: "stageboard-gate-test",
    installations: [{ id: 520016, account: "acme" }],
  });
  standIn = started.standIn;
  stubAppEnv(standIn.url, started.app);
  vi.stubEnv("AWS_ACCESS_KEY_ID", "AKIDSANDBOX");
  vi.stubEnv("AWS_SECRET_ACCESS_KEY", "sandbox-secret");
  vi.stubEnv("NEXTAUTH_SECRET", randomBytes(32).toString("base64"));
  vi.stubEnv("STAGEBOARD_TARGETS", JSON.stringify([{ id: "sandbox", region: "us-east-1", endpoint: h.sandbox.url }]));
  await standInControl(standIn.url, "repositories", { repositories: [REPOSITORY] });
  const { createTestDatabase } = await import("@/lib/server/testing/test-database");
  database = await createTestDatabase();
  state.db = database.db;
  await database.db.target.create({ data: { id: "sandbox", accountId: "111122223333", region: "us-east-1" } });
  control = await import("@/lib/server/aws/control-client");
  evaluate = await import("./evaluate-commits");
  record = await import("./record-events");
  start = await import("./start");
  writeback = await import("@/lib/server/writeback/writeback-loop");
});
// Each test's gate alone: what an earlier test left waiting is never looked at again.
afterEach(async () => {
  await database.db.releaseGate.updateMany({ data: { enabled: false } });
  await database.db.gateCommit.updateMany({ data: { dueAt: null } });
});
afterAll(async () => {
  control?.resetControlClients();
  await h?.close();
  await database?.drop();
  await standIn?.stop();
  vi.unstubAllEnvs();
});

describe("a release gate waiting for every other check", () => {
  it("starts the pipeline for exactly that commit once its checks pass, once, and audits it", async () => {
    const p = await gatedPipeline();
    const sha = newSha();
    expect(await push(sha)).toEqual({ waiting: 1, due: 0 });

    await check(sha, "build", null);
    await pass();
    expect(await commitRow(p.id, sha)).toMatchObject({ state: "waiting", verdict: { waiting: ["build"] } });
    const before = startsSent();

    await check(sha, "build", "success");
    expect((await pass()).released).toBe(1);
    const released = await commitRow(p.id, sha);
    expect(released.state).toBe("released");
    expect(startsSent()).toBe(before + 1);
    const execution = await h.client.send(
      new GetPipelineExecutionCommand({ pipelineName: p.name, pipelineExecutionId: released.executionId ?? "" }),
    );
    expect(execution.pipelineExecution?.artifactRevisions?.[0]?.revisionId).toBe(sha);

    // The same news again (a duplicated delivery, another look) starts nothing more.
    await check(sha, "build", "success");
    await push(sha);
    await pass(new Date(Date.now() + 60_000));
    expect(startsSent()).toBe(before + 1);

    const audit = await database.db.auditEntry.findMany({ where: { pipelineId: p.id, action: "gate-release" } });
    expect(audit.map((a) => [a.entry, a.actorLogin, a.comment, a.outcome])).toEqual([
      ["attempt", "release gate", "released by the gate after checks build passed", "attempted"],
      ["outcome", "release gate", "released by the gate after checks build passed", "succeeded"],
    ]);
  });

  it("does not release a commit whose check failed, and its gate check run names the check", async () => {
    const p = await gatedPipeline();
    const sha = newSha();
    await push(sha);
    await check(sha, "build", "success");
    await check(sha, "lint", "failure");
    const before = startsSent();
    await pass();
    expect(await commitRow(p.id, sha)).toMatchObject({ state: "blocked", verdict: { failed: ["lint"] } });
    expect(startsSent()).toBe(before);

    await writeback.writebackOnce({ db: database.db, logger, baseUrl: BASE });
    const runs = await gateRuns(sha);
    expect(runs.map((r) => [r.name, r.status, r.conclusion, r.output?.title])).toEqual([
      [`Release gate · ${p.name}`, "completed", "failure", "Not released: lint failed"],
    ]);

    // A re-run that passes releases it after all.
    await check(sha, "lint", "success");
    await pass();
    expect((await commitRow(p.id, sha)).state).toBe("released");
  });

  it("waits while nothing but Stageboard itself reported on the commit", async () => {
    const p = await gatedPipeline();
    const sha = newSha();
    await push(sha);
    await pass();
    expect(await commitRow(p.id, sha)).toMatchObject({
      state: "waiting",
      verdict: { waiting: ["any check on this commit"] },
    });
  });
});

describe("several commits at one gate", () => {
  it("releases only the newest green one by default and skips the older ones", async () => {
    const p = await gatedPipeline();
    const [older, newer] = [newSha(), newSha()];
    await push(older, new Date(Date.now() - 60_000));
    await push(newer);
    await check(older, "build", "success");
    await check(newer, "build", "success");
    const before = startsSent();
    await pass();
    expect(startsSent()).toBe(before + 1);
    expect((await commitRow(p.id, newer)).state).toBe("released");
    expect(await commitRow(p.id, older)).toMatchObject({ state: "skipped", supersededBy: newer });
  });

  it("releases each green commit in push order when asked to", async () => {
    const p = await gatedPipeline({ releaseOrder: "each" });
    const [first, second] = [newSha(), newSha()];
    await push(first, new Date(Date.now() - 60_000));
    await push(second);
    await check(second, "build", "success");
    await pass();
    // The second waits for the first, still without checks.
    expect((await commitRow(p.id, second)).state).toBe("green");
    await check(first, "build", "success");
    await pass();
    expect((await commitRow(p.id, first)).state).toBe("released");
    expect((await commitRow(p.id, second)).state).toBe("released");
  });
});

describe("a named list of checks", () => {
  it("releases once the named checks pass, whatever else failed", async () => {
    const p = await gatedPipeline({ checks: "named", checkNames: ["build"] });
    const sha = newSha();
    await push(sha);
    await check(sha, "flaky", "failure");
    await pass();
    expect((await commitRow(p.id, sha)).state).toBe("waiting");
    await check(sha, "build", "success");
    await pass();
    expect((await commitRow(p.id, sha)).state).toBe("released");
  });
});

describe("crashes and refusals", () => {
  it("sends a release whose process died again with the same token: AWS starts nothing new", async () => {
    const p = await gatedPipeline();
    const sha = newSha();
    await push(sha);
    await check(sha, "build", "success");
    await pass();
    const released = await commitRow(p.id, sha);
    // As if the process had died after AWS started the execution and before it stored the answer.
    await database.db.gateCommit.update({
      where: { id: released.id },
      data: { state: "releasing", executionId: null, claimedUntil: new Date(Date.now() - 1_000) },
    });
    const before = startsSent();
    await pass();
    expect(startsSent()).toBe(before + 1);
    expect(await commitRow(p.id, sha)).toMatchObject({ state: "released", executionId: released.executionId });
  });

  it("refuses, with the reason, a pipeline that cannot start a chosen commit", async () => {
    const p = await gatedPipeline();
    await database.db.pipeline.update({ where: { id: p.id }, data: { pipelineType: "V1" } });
    const sha = newSha();
    await push(sha);
    await check(sha, "build", "success");
    const before = startsSent();
    await pass();
    expect(startsSent()).toBe(before);
    const row = await commitRow(p.id, sha);
    expect(row.state).toBe("refused");
    expect(row.lastError).toContain("it is a V1 pipeline");
  });

  it("reads nothing for a commit no gate waits for, and counts no event of Stageboard's own runs", async () => {
    const sha = newSha();
    expect(await deliver("status", { sha, state: "success", repository: { full_name: REPOSITORY } })).toEqual({
      waiting: 0,
      due: 0,
    });
    const p = await gatedPipeline();
    await push(sha);
    const own = { check_run: { head_sha: sha, app: { id: APP_ID } }, repository: { full_name: REPOSITORY } };
    expect((await deliver("check_run", own)).due).toBe(0);
    expect((await commitRow(p.id, sha)).state).toBe("waiting");
  });
});
