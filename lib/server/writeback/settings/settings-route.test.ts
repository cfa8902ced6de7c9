import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { startGitHubStandIn } from "@/github-stand-in";
import type { Viewer } from "@/lib/server/auth/visibility";
import type * as DbClient from "@/lib/server/db/client";
import { callRoute, ROUTE_ORIGIN, routeViewer, signInUsers, type RouteHandler } from "@/lib/server/testing/route-test";
import type { TestDatabase } from "@/lib/server/testing/test-database";
import type * as Loop from "@/lib/server/writeback/writeback-loop";
import type * as Rows from "@/lib/server/writeback/testing/pipeline-rows";
import type { WritebackSettingsView } from "@/lib/writeback/settings-schemas";

// A repository's write-back settings route as Next calls it, on a real PostgreSQL and the GitHub stand-in (every
// read and change asks it for the person's permission now), and the outbox mapping executions under what was
// stored. The session is stubbed: there is no cookie store outside a request.
const state = vi.hoisted(() => ({ viewer: null as Viewer | null, db: undefined as object | undefined }));
vi.mock("@/lib/server/db/client", async (importOriginal) => ({
  ...(await importOriginal<typeof DbClient>()),
  get db() {
    return state.db;
  },
}));
vi.mock("@/lib/server/session", () => ({ getViewer: () => Promise.resolve(state.viewer) }));
vi.mock("@/lib/server/rate-limit/store", () => ({
  appRateLimits: () => ({ consume: () => Promise.resolve({ kind: "allowed" }) }),
}));

let standIn: Awaited<ReturnType<typeof startGitHubStandIn>>;
let database: TestDatabase;
let route: { GET: RouteHandler; PUT: RouteHandler };
let loop: typeof Loop;
let rows: typeof Rows;
let users: Record<string, string> = {};
const ORIGIN = ROUTE_ORIGIN;
const WEB_ID = 7001n;
const API_ID = 7002n;
const STAGES = ["Source", "Build", "Staging", "Prod"];
const SHA = "b".repeat(40);

const viewerFor = (login: string, cached: string, isAdmin = false) =>
  routeViewer({
    userId: users[login] ?? "",
    login,
    cached,
    isAdmin,
    repositories: { "acme/web-app": WEB_ID, "acme/api": API_ID },
  });

function call(method: "GET" | "PUT", input: { body?: unknown; raw?: string; name?: string; origin?: string } = {}) {
  const name = input.name ?? "web-app";
  return callRoute<WritebackSettingsView>(route[method], {
    method,
    path: `/api/repositories/acme/${encodeURIComponent(name)}/writeback`,
    params: { owner: "acme", name },
    ...(method === "PUT" ? { body: input.body, raw: input.raw } : {}),
    origin: input.origin,
  });
}
const put = (body: unknown) => call("PUT", { body });

const audit = () =>
  database.db.auditEntry.findMany({
    where: { repositoryGithubId: WEB_ID },
    orderBy: { id: "asc" },
    select: { entry: true, actorLogin: true, pipelineId: true, pipelineName: true, parameters: true },
  });
const storedRows = async () =>
  (await database.db.writebackSwitches.count()) + (await database.db.writebackEnvironment.count());

const consume = () =>
  loop.writebackOnce({
    db: database.db,
    logger: { warn: () => {}, info: () => {} },
    baseUrl: ORIGIN,
    appConfigured: () => Promise.resolve(true),
    deliver: { limit: 0 },
  });
const jobsOf = (pipelineId: string) =>
  database.db.writebackJob.findMany({
    where: { pipelineId },
    orderBy: { seq: "asc" },
    select: { kind: true, subject: true, desired: true },
  });

beforeAll(async () => {
  standIn = await startGitHubStandIn({ port: 0, repositories: ["acme/web-app", "acme/api"] });
  vi.stubEnv("GITHUB_URL", standIn.url);
  vi.stubEnv("GITHUB_API_URL", `${standIn.url}/api/v3`);
  vi.stubEnv("TOKEN_ENCRYPTION_KEY", randomBytes(32).toString("base64"));
  vi.stubEnv("NEXTAUTH_URL", ORIGIN);
  vi.stubEnv("WRITEBACK_CHECK_RUNS", "true");
  vi.stubEnv("WRITEBACK_STATUSES", "false");
  vi.stubEnv("WRITEBACK_STAGE_STATUSES", "false");
  vi.stubEnv("WRITEBACK_DEPLOYMENTS", "true");
  const { createTestDatabase } = await import("@/lib/server/testing/test-database");
  database = await createTestDatabase();
  state.db = database.db;
  const db = database.db;
  rows = await import("@/lib/server/writeback/testing/pipeline-rows");
  loop = await import("@/lib/server/writeback/writeback-loop");
  for (const [fullName, githubId] of [
    ["acme/web-app", WEB_ID],
    ["acme/api", API_ID],
  ] as const) {
    const [owner = "", name = ""] = fullName.split("/");
    await db.repository.create({ data: { fullName, owner, name, githubId, githubFullName: fullName } });
  }
  await rows.seedPipeline(db, { pipelineId: "web-deploy", repository: "acme/web-app", stages: STAGES });
  await rows.seedPipeline(db, { pipelineId: "api-deploy", repository: "acme/api", stages: STAGES });
  users = await signInUsers(db, standIn.url, ["ada", "linus", "grace"]);
  route = await import("@/app/api/repositories/[owner]/[name]/writeback/route");
  await consume();
});
afterAll(async () => {
  await database.drop();
  await standIn.stop();
  vi.unstubAllEnvs();
});
beforeEach(async () => {
  state.viewer = viewerFor("ada", "admin");
  await consume();
  await database.db.writebackJob.deleteMany();
});

describe("a repository's write-back settings", () => {
  it("show the instance's switches and each stage's default environment until an admin sets any", async () => {
    const answer = await call("GET");
    expect(answer.status).toBe(200);
    expect(answer.data?.switches).toEqual({
      checkRuns: { effective: true, instance: true, override: null },
      statuses: { effective: false, instance: false, override: null },
      stageStatuses: { effective: false, instance: false, override: null },
      deployments: { effective: true, instance: true, override: null },
    });
    expect(answer.data?.pipelines).toEqual([
      {
        id: "web-deploy",
        name: "web-deploy",
        stages: [
          { stage: "Source", source: "default", target: null, default: null },
          { stage: "Build", source: "default", target: null, default: null },
          {
            stage: "Staging",
            source: "default",
            target: { environment: "Staging", production: false, transient: false },
            default: { environment: "Staging", production: false, transient: false },
          },
          {
            stage: "Prod",
            source: "default",
            target: { environment: "Prod", production: true, transient: false },
            default: { environment: "Prod", production: true, transient: false },
          },
        ],
      },
    ]);
  });

  it("are changed by an admin GitHub confirms, each change audited with before and after", async () => {
    const saved = await put({
      switches: { statuses: true, stageStatuses: true, checkRuns: false },
      pipeline: {
        pipelineId: "web-deploy",
        stages: [
          { stage: "Staging", environment: null },
          { stage: "Prod", environment: "  production-eu  ", production: true },
        ],
      },
    });
    expect(saved.status).toBe(200);
    expect(saved.data?.switches).toMatchObject({
      checkRuns: { effective: false, instance: true, override: false },
      statuses: { effective: true, instance: false, override: true },
      stageStatuses: { effective: true, instance: false, override: true },
      deployments: { effective: true, override: null },
    });
    expect(saved.data?.pipelines[0]?.stages.slice(2)).toEqual([
      {
        stage: "Staging",
        source: "stored",
        target: null,
        default: { environment: "Staging", production: false, transient: false },
      },
      {
        stage: "Prod",
        source: "stored",
        target: { environment: "production-eu", production: true, transient: false },
        default: { environment: "Prod", production: true, transient: false },
      },
    ]);
    expect(await call("GET")).toMatchObject({ status: 200, data: saved.data });
    const none = { checkRuns: null, statuses: null, stageStatuses: null, deployments: null };
    expect(await audit()).toEqual([
      {
        entry: "policy-change",
        actorLogin: "ada",
        pipelineId: null,
        pipelineName: null,
        parameters: {
          before: { writeback: none },
          after: { writeback: { ...none, checkRuns: false, statuses: true, stageStatuses: true } },
        },
      },
      {
        entry: "policy-change",
        actorLogin: "ada",
        pipelineId: "web-deploy",
        pipelineName: "web-deploy",
        parameters: {
          before: { writebackEnvironments: {} },
          after: {
            writebackEnvironments: {
              Staging: null,
              Prod: { environment: "production-eu", production: true, transient: false },
            },
          },
        },
      },
    ]);

    // Clearing gives each back to its default, audited too.
    const cleared = await put({ switches: { checkRuns: null }, pipeline: { pipelineId: "web-deploy", stages: null } });
    expect(cleared.data?.switches.checkRuns).toEqual({ effective: true, instance: true, override: null });
    expect(cleared.data?.switches.statuses.override).toBe(true);
    expect(cleared.data?.pipelines[0]?.stages.every((s) => s.source === "default")).toBe(true);
    const [, , switchesCleared, mappingCleared] = await audit();
    expect(switchesCleared?.parameters).toMatchObject({
      before: { writeback: { checkRuns: false } },
      after: { writeback: { checkRuns: null, statuses: true } },
    });
    expect(mappingCleared?.parameters).toMatchObject({
      before: { writebackEnvironments: { Staging: null } },
      after: { writebackEnvironments: {} },
    });
    await put({ switches: { statuses: null, stageStatuses: null } });
    expect(await storedRows()).toBe(0);
  });

  it("are refused to a reader, and to one whose cached admin GitHub no longer confirms", async () => {
    const auditedBefore = (await audit()).length;
    state.viewer = viewerFor("linus", "read");
    const read = await call("GET");
    expect(read.status).toBe(403);
    expect(read.error?.message).toBe("The write-back settings need admin on acme/web-app; you have read");
    expect((await put({ switches: { statuses: true } })).status).toBe(403);
    // linus's cached list says admin; GitHub says read.
    state.viewer = viewerFor("linus", "admin");
    const stale = await put({ switches: { statuses: true } });
    expect(stale.status).toBe(403);
    expect(stale.error?.message).toMatch(/needs? admin on acme\/web-app; you have read/);
    // grace cannot read acme at all, whatever her cached list says.
    state.viewer = viewerFor("grace", "admin");
    expect((await put({ switches: { statuses: true } })).error?.message).toMatch(/you have no access$/);
    state.viewer = viewerFor("ada", "admin");
    expect((await call("PUT", { body: { switches: { statuses: true } }, origin: "https://evil.example" })).status).toBe(
      403,
    );
    expect(await storedRows()).toBe(0);
    expect(await audit()).toHaveLength(auditedBefore);
  });

  it("answer 404 for a pipeline or stage the repository does not have", async () => {
    const auditedBefore = (await audit()).length;
    const missing = await put({ pipeline: { pipelineId: "nope", stages: null } });
    expect(missing).toMatchObject({
      status: 404,
      error: { code: "not_found", message: "No pipeline nope delivers acme/web-app" },
    });
    // Another repository's pipeline is not this one's.
    expect((await put({ pipeline: { pipelineId: "api-deploy", stages: null } })).status).toBe(404);
    const stage = await put({
      pipeline: { pipelineId: "web-deploy", stages: [{ stage: "Deploy", environment: "x" }] },
    });
    expect(stage).toMatchObject({ status: 404, error: { message: "Pipeline web-deploy has no stage Deploy" } });
    expect((await call("GET", { name: "no-such-repo" })).status).toBe(404);
    expect(await storedRows()).toBe(0);
    expect(await audit()).toHaveLength(auditedBefore);
  });

  it("refuse malformed requests: 400 for what is no JSON or no address, 422 for JSON that is no change", async () => {
    expect((await call("PUT", { raw: "{not json" })).status).toBe(400);
    expect((await call("GET", { name: "<b>" })).status).toBe(400);
    const env = (environment: unknown) => ({
      pipeline: { pipelineId: "web-deploy", stages: [{ stage: "Prod", environment }] },
    });
    for (const body of [
      {},
      { switches: { statuses: "yes" } },
      { switches: { everything: true } },
      { pipeline: { pipelineId: "web-deploy" } },
      { pipeline: { pipelineId: "../x", stages: null } },
      env("x".repeat(256)),
      env("   "),
      env("prod\u0000uction"),
      env("prod\nuction"),
      env(42),
      {
        pipeline: {
          pipelineId: "web-deploy",
          stages: [
            { stage: "Prod", environment: "a" },
            { stage: "Prod", environment: "b" },
          ],
        },
      },
    ])
      expect((await put(body)).status, JSON.stringify(body)).toBe(422);
    expect((await put(env("x".repeat(255)))).status).toBe(200);
    await put({ pipeline: { pipelineId: "web-deploy", stages: null } });
  });
});

describe("the outbox under a repository's stored settings", () => {
  it("sends commit statuses for the repository that turned them on, and not for another", async () => {
    expect((await put({ switches: { statuses: true } })).status).toBe(200);
    await rows.startExecution(database.db, { pipelineId: "web-deploy", sha: SHA });
    await rows.startExecution(database.db, { pipelineId: "api-deploy", sha: SHA });
    await consume();
    const kinds = async (pipelineId: string) => (await jobsOf(pipelineId)).map((j) => j.kind).sort();
    expect(await kinds("web-deploy")).toEqual(["check-run.execution", "status.execution"]);
    expect(await kinds("api-deploy")).toEqual(["check-run.execution"]);
    await put({ switches: { statuses: null } });
  });

  it("makes no deployment for a stage mapped to none, and deploys a renamed one to its new environment", async () => {
    const saved = await put({
      pipeline: {
        pipelineId: "web-deploy",
        stages: [
          { stage: "Staging", environment: null },
          { stage: "Prod", environment: "production-eu", production: true },
        ],
      },
    });
    expect(saved.status).toBe(200);
    for (const pipelineId of ["web-deploy", "api-deploy"]) {
      const execution = await rows.startExecution(database.db, { pipelineId, sha: SHA });
      await rows.setStage(database.db, execution, "Source", "Succeeded", { end: new Date() });
      await rows.setStage(database.db, execution, "Staging", "Succeeded", { end: new Date() });
      await rows.setStage(database.db, execution, "Prod", "InProgress");
    }
    await consume();
    const deployments = async (pipelineId: string) =>
      (await jobsOf(pipelineId))
        .filter((j) => j.kind === "deployment.stage")
        .map((j) => [j.subject, (j.desired as { deployment: { environment: string } }).deployment.environment]);
    expect(await deployments("web-deploy")).toEqual([["Prod", "production-eu"]]);
    // The other repository's pipeline keeps the defaults.
    expect((await deployments("api-deploy")).sort()).toEqual([
      ["Prod", "Prod"],
      ["Staging", "Staging"],
    ]);

    // Deployments switched off for the repository: its next execution makes none.
    await database.db.writebackJob.deleteMany();
    await put({ switches: { deployments: false } });
    const next = await rows.startExecution(database.db, { pipelineId: "web-deploy", sha: "c".repeat(40) });
    await rows.setStage(database.db, next, "Prod", "InProgress");
    await consume();
    expect((await jobsOf("web-deploy")).map((j) => j.kind)).toEqual(["check-run.execution"]);
  });
});
