import { randomBytes } from "node:crypto";
import { CreatePipelineCommand } from "@aws-sdk/client-codepipeline";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { RunningGitHubStandIn } from "@/github-stand-in";
import { build, harness, pipeline, type Harness } from "@/sandbox/testing/harness";
import type * as DbClient from "@/lib/server/db/client";
import { startAppStandIn, stubAppEnv, WRITEBACK_PERMISSIONS } from "@/lib/server/testing/github-app";
import { standInControl } from "@/lib/server/testing/github-user";
import type { TestDatabase } from "@/lib/server/testing/test-database";
import type * as ControlClient from "@/lib/server/aws/control-client";
import type * as Evaluate from "./evaluate-commits";
import type * as ReadChecks from "./read-checks";
import type * as Record from "./record-events";
import type * as Start from "./start";
import type * as Writeback from "@/lib/server/writeback/writeback-loop";

// A release gate in "required" mode waits for exactly the checks the branch requires before merging, as GitHub says
// them: a ruleset's required_status_checks rule, or the classic branch protection's required checks (which GitHub
// shows the App only with the administration permission). Nothing replaced: the GitHub stand-in serves both through
// the App's installation, the CodePipeline sandbox receives the start, and the gate's check run is read back.
const state = vi.hoisted(() => ({ db: undefined as object | undefined }));
vi.mock("@/lib/server/db/client", async (importOriginal) => ({
  ...(await importOriginal<typeof DbClient>()),
  get db() {
    return state.db;
  },
}));

const APP_ID = 320017;
const ACTIONS_APP = 15368;
const BASE = "https://stageboard.example.com";
// acme's installation granted what the App asks for, administration included; globex's did not grant that.
const WITH_ADMINISTRATION = { ...WRITEBACK_PERMISSIONS, administration: "read" } as const;

let h: Harness;
let standIn: RunningGitHubStandIn;
let database: TestDatabase;
let control: typeof ControlClient;
let evaluate: typeof Evaluate;
let readChecks: typeof ReadChecks;
let record: typeof Record;
let start: typeof Start;
let writeback: typeof Writeback;
let n = 0;
let shas = 0;
const logger = { warn: () => {}, info: () => {} };

const newSha = () => `${(++shas).toString(16).padStart(8, "0")}${randomBytes(16).toString("hex")}`;
const startsSent = () => h.sandbox.stats.requests.StartPipelineExecution ?? 0;
const pass = () =>
  evaluate.evaluateDueCommits({ ...start.gateDeps(database.db, logger, APP_ID), baseUrl: BASE, now: () => new Date() });

/** A repository of its own on the stand-in, and a pipeline gated on the branch's required checks. */
async function requiredGate(owner: "acme" | "globex") {
  const name = `required${++n}`;
  const fullName = `${owner}/${name}`;
  await standInControl(standIn.url, "repositories", { repositories: [fullName] });
  const declaration = pipeline(name, [{ name: "Deploy", actions: [build("Deploy")] }]);
  const source = declaration.stages?.[0]?.actions?.[0];
  if (source?.configuration) source.configuration.FullRepositoryId = fullName;
  await h.client.send(new CreatePipelineCommand({ pipeline: declaration }));
  await h.advance(3_600_000);
  const repository = await database.db.repository.create({
    data: { fullName, owner, name, githubId: BigInt(7000 + n) },
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
    data: { pipelineId: row.id, updatedByLogin: "ada", branches: [], checkNames: [], checks: "required" },
  });
  return { id: row.id, name, repository: fullName };
}

type Gate = Awaited<ReturnType<typeof requiredGate>>;

const branchRules = (gate: Gate, rules: object) =>
  standInControl(standIn.url, "branch-rules", { repository: gate.repository, ...rules });

// Deliveries are processed a few seconds before the gate's pass, so the first look after a push is due.
const deliver = (event: string, payload: object) =>
  database.db.$transaction((tx) =>
    record.recordGateEvent(tx, { event, payload }, new Date(Date.now() - 5_000), APP_ID),
  );

const push = (gate: Gate, sha: string) =>
  deliver("push", {
    ref: "refs/heads/main",
    after: sha,
    deleted: false,
    head_commit: { timestamp: new Date().toISOString() },
    repository: { full_name: gate.repository },
  });

/** GitHub Actions reports a check run on the commit (the stand-in's CI control), and GitHub's webhook says so. */
async function check(gate: Gate, sha: string, name: string, conclusion: string) {
  await standInControl(standIn.url, "checks", { repository: gate.repository, sha, name, conclusion });
  await deliver("check_run", {
    check_run: { head_sha: sha, app: { id: ACTIONS_APP } },
    repository: { full_name: gate.repository },
  });
}

const commitRow = (pipelineId: string, sha: string) =>
  database.db.gateCommit.findUniqueOrThrow({ where: { pipelineId_sha: { pipelineId, sha } } });

type StandInRun = { name: string; sha: string; status: string; output?: { title?: string; summary?: string } };
const gateRuns = async (sha: string) =>
  (await standInControl<StandInRun[]>(standIn.url, "checks")).filter(
    (r) => r.sha === sha && r.name.startsWith("Release gate"),
  );

beforeAll(async () => {
  h = await harness({ pipelines: 0 });
  const started = await startAppStandIn({
    id: APP_ID,
    name: "Stageboard (required checks test)",
    slug: "stageboard-required-test",
    permissions: WITH_ADMINISTRATION,
    installations: [
      { id: 520017, account: "acme" },
      { id: 520018, account: "globex", permissions: WRITEBACK_PERMISSIONS },
    ],
  });
  standIn = started.standIn;
  stubAppEnv(standIn.url, started.app);
  vi.stubEnv("AWS_ACCESS_KEY_ID", "AKIDSANDBOX");
  vi.stubEnv("AWS_SECRET_ACCESS_KEY", "sandbox-secret");
  vi.stubEnv("NEXTAUTH_SECRET", randomBytes(32).toString("base64"));
  vi.stubEnv("STAGEBOARD_TARGETS", JSON.stringify([{ id: "sandbox", region: "us-east-1", endpoint: h.sandbox.url }]));
  const { createTestDatabase } = await import("@/lib/server/testing/test-database");
  database = await createTestDatabase();
  state.db = database.db;
  await database.db.target.create({ data: { id: "sandbox", accountId: "111122223333", region: "us-east-1" } });
  control = await import("@/lib/server/aws/control-client");
  evaluate = await import("./evaluate-commits");
  readChecks = await import("./read-checks");
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

describe("a release gate waiting for the branch's required checks", () => {
  it("waits for exactly a ruleset's required checks, whatever else failed, and releases once they pass", async () => {
    const gate = await requiredGate("acme");
    await branchRules(gate, {
      rulesets: [
        { name: "CI", include: ["refs/heads/main"], checks: ["build", "lint"], rules: ["deletion"] },
        // Only evaluated, and on other branches: neither counts for main.
        { name: "Trial", enforcement: "evaluate", include: ["~ALL"], checks: ["perf"] },
        { name: "Releases", include: ["refs/heads/release/*"], checks: ["e2e"] },
      ],
    });
    const sha = newSha();
    await push(gate, sha);
    await check(gate, sha, "build", "success");
    await check(gate, sha, "flaky", "failure");
    const before = startsSent();
    await pass();
    expect(await commitRow(gate.id, sha)).toMatchObject({
      state: "waiting",
      verdict: { passed: ["build"], failed: [], waiting: ["lint"] },
    });
    expect(startsSent()).toBe(before);

    await check(gate, sha, "lint", "success");
    expect((await pass()).released).toBe(1);
    expect(await commitRow(gate.id, sha)).toMatchObject({ state: "released", verdict: { passed: ["build", "lint"] } });
    expect(startsSent()).toBe(before + 1);
  });

  it("waits for exactly the classic branch protection's required checks, and is blocked when one fails", async () => {
    const gate = await requiredGate("acme");
    await branchRules(gate, { protection: { main: { checks: ["build", { context: "test", appId: ACTIONS_APP }] } } });
    const sha = newSha();
    await push(gate, sha);
    await check(gate, sha, "build", "success");
    await check(gate, sha, "docs", "failure");
    const before = startsSent();
    await pass();
    expect(await commitRow(gate.id, sha)).toMatchObject({ state: "waiting", verdict: { waiting: ["test"] } });

    await check(gate, sha, "test", "failure");
    await pass();
    expect(await commitRow(gate.id, sha)).toMatchObject({ state: "blocked", verdict: { failed: ["test"] } });
    expect(startsSent()).toBe(before);

    await check(gate, sha, "test", "success");
    await pass();
    expect(await commitRow(gate.id, sha)).toMatchObject({ state: "released", lastError: null });
    expect(startsSent()).toBe(before + 1);
  });

  it("waits for the checks of both when the branch has a ruleset and classic protection", async () => {
    const gate = await requiredGate("acme");
    await branchRules(gate, { rulesets: [{ checks: ["build"] }], protection: { main: { checks: ["test"] } } });
    const sha = newSha();
    await push(gate, sha);
    await check(gate, sha, "build", "success");
    await pass();
    expect(await commitRow(gate.id, sha)).toMatchObject({ state: "waiting", verdict: { waiting: ["test"] } });
    await check(gate, sha, "test", "success");
    await pass();
    expect(await commitRow(gate.id, sha)).toMatchObject({ state: "released", lastError: null });
  });

  it("releases on a ruleset's checks where the App may not read the classic protection", async () => {
    const gate = await requiredGate("globex");
    await branchRules(gate, { rulesets: [{ checks: ["build"] }], protection: { main: { checks: ["build"] } } });
    const sha = newSha();
    await push(gate, sha);
    await check(gate, sha, "build", "success");
    await pass();
    expect(await commitRow(gate.id, sha)).toMatchObject({ state: "released", lastError: null });
  });
});

describe("required checks that cannot be read, or that are none", () => {
  it("releases nothing, and the gate's check run says the App cannot read them and what to do", async () => {
    // No rulesets route (an older GitHub Enterprise Server), and a classic protection the App may not read.
    const gate = await requiredGate("globex");
    await branchRules(gate, { rulesets: "unavailable", protection: { main: { checks: ["build"] } } });
    const sha = newSha();
    await push(gate, sha);
    await check(gate, sha, "build", "success");
    const before = startsSent();
    await pass();
    expect(startsSent()).toBe(before);
    const unreadable = readChecks.unreadableRequiredChecks("main");
    expect(await commitRow(gate.id, sha)).toMatchObject({
      state: "waiting",
      verdict: { passed: [], failed: [], waiting: [unreadable] },
    });

    await writeback.writebackOnce({ db: database.db, logger, baseUrl: BASE });
    const [run, ...others] = await gateRuns(sha);
    expect(others).toEqual([]);
    expect(run).toMatchObject({ name: `Release gate · ${gate.name}`, status: "in_progress" });
    expect(run?.output?.title).toBe("Waiting for 1 check");
    expect(run?.output?.summary).toContain("which Stageboard's GitHub App cannot read");
    expect(run?.output?.summary).toContain("give it the Administration");

    // Another look, checks still green, still releases nothing.
    await check(gate, sha, "build", "success");
    await pass();
    expect(startsSent()).toBe(before);
  });

  it("releases nothing where the branch requires no check, and says so", async () => {
    // The App could read both and neither requires anything: releasing would check nothing.
    const gate = await requiredGate("acme");
    await branchRules(gate, { rulesets: [], protection: { main: null } });
    const sha = newSha();
    await push(gate, sha);
    await check(gate, sha, "build", "success");
    const before = startsSent();
    await pass();
    expect(startsSent()).toBe(before);
    expect(await commitRow(gate.id, sha)).toMatchObject({
      state: "waiting",
      verdict: { waiting: [readChecks.noRequiredChecks("main")] },
    });
  });
});
