import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { RunningGitHubStandIn } from "@/github-stand-in";
import { connectionSource, declaration, gitHubV1Source, pushTrigger } from "@/lib/pipelines/testing/declarations";
import type { Viewer } from "@/lib/server/auth/visibility";
import type * as DbClient from "@/lib/server/db/client";
import { startAppStandIn, stubAppEnv } from "@/lib/server/testing/github-app";
import { callRoute, ROUTE_ORIGIN, routeViewer, signInUsers, type RouteHandler } from "@/lib/server/testing/route-test";
import type { TestDatabase } from "@/lib/server/testing/test-database";
import type { GateSettingsView } from "./schemas";

// A pipeline's release gate route as Next calls it, on a real PostgreSQL and the GitHub stand-in with Stageboard's
// App (every read and change asks it for the person's permission now). The session is stubbed: there is no cookie
// store outside a request.
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

let standIn: RunningGitHubStandIn;
let database: TestDatabase;
let route: { GET: RouteHandler; PUT: RouteHandler };
let users: Record<string, string> = {};
const ORIGIN = ROUTE_ORIGIN;
const WEB_ID = 8001n;
const REPOSITORY = "acme/web-app";

const viewerFor = (login: string, cached: string) =>
  routeViewer({ userId: users[login] ?? "", login, cached, repositories: { [REPOSITORY]: WEB_ID } });

function call(
  method: "GET" | "PUT",
  pipelineId: string,
  input: { body?: unknown; raw?: string; origin?: string } = {},
) {
  return callRoute<GateSettingsView>(route[method], {
    method,
    path: `/api/pipelines/${encodeURIComponent(pipelineId)}/gate`,
    params: { id: pipelineId },
    ...(method === "PUT" ? { body: input.body, raw: input.raw } : {}),
    origin: input.origin,
  });
}
const put = (pipelineId: string, body: unknown) => call("PUT", pipelineId, { body });

const audit = () =>
  database.db.auditEntry.findMany({
    where: { entry: "policy-change" },
    orderBy: { id: "asc" },
    select: { actorLogin: true, pipelineId: true, repositoryGithubId: true, parameters: true },
  });
const gateRow = (pipelineId: string) => database.db.releaseGate.findUnique({ where: { pipelineId } });

async function seedPipeline(id: string, pipelineType: "V1" | "V2", definition: unknown) {
  const repository = await database.db.repository.upsert({
    where: { fullName: REPOSITORY },
    create: { fullName: REPOSITORY, owner: "acme", name: "web-app", githubId: WEB_ID, githubFullName: REPOSITORY },
    update: {},
  });
  await database.db.pipeline.create({
    data: {
      id,
      targetId: "t1",
      name: id,
      version: 1,
      pipelineType,
      sourceBranch: "main",
      repositoryId: repository.id,
      definitions: { create: { version: 1, definition: JSON.parse(JSON.stringify(definition)) as object } },
    },
  });
}

beforeAll(async () => {
  const started = await startAppStandIn(
    { id: 330016, name: "Stageboard (gate settings)", slug: "stageboard-gate-settings", installations: [] },
    { repositories: [REPOSITORY] },
  );
  standIn = started.standIn;
  stubAppEnv(standIn.url, started.app);
  vi.stubEnv("NEXTAUTH_URL", ORIGIN);
  const { createTestDatabase } = await import("@/lib/server/testing/test-database");
  database = await createTestDatabase();
  state.db = database.db;
  const db = database.db;
  await db.target.create({ data: { id: "t1", accountId: "123456789012", region: "us-east-1" } });
  // Releasable, but still starting itself on every push to main (DetectChanges left out) and on its V2 trigger.
  await seedPipeline(
    "web-deploy",
    "V2",
    declaration({ sources: [connectionSource("Source", REPOSITORY)], triggers: [pushTrigger("Source")] }),
  );
  // Stageboard the only trigger.
  await seedPipeline(
    "web-quiet",
    "V2",
    declaration({ sources: [connectionSource("Source", REPOSITORY, { DetectChanges: "false" })] }),
  );
  // Cannot start a chosen commit.
  await seedPipeline(
    "web-legacy",
    "V1",
    declaration({ type: "V1", sources: [connectionSource("Source", REPOSITORY, { DetectChanges: "false" })] }),
  );
  await seedPipeline(
    "web-oauth",
    "V2",
    declaration({ sources: [gitHubV1Source("Source", "acme", "web-app", { PollForSourceChanges: "false" })] }),
  );
  // A pipeline of a repository nobody here can see.
  await db.repository.create({ data: { fullName: "acme/secret", owner: "acme", name: "secret", githubId: 8002n } });
  await db.pipeline.create({
    data: {
      id: "secret-deploy",
      targetId: "t1",
      name: "secret-deploy",
      version: 1,
      repositoryId: (await db.repository.findUniqueOrThrow({ where: { fullName: "acme/secret" } })).id,
    },
  });
  users = await signInUsers(db, standIn.url, ["ada", "linus", "grace"]);
  route = await import("@/app/api/pipelines/[id]/gate/route");
});
afterAll(async () => {
  await database.drop();
  await standIn.stop();
  vi.unstubAllEnvs();
});
beforeEach(() => {
  state.viewer = viewerFor("ada", "admin");
});

describe("a pipeline's release gate settings", () => {
  it("show the defaults, the source branch, the App, and the pipeline's own triggers until an admin sets them", async () => {
    const answer = await call("GET", "web-deploy");
    expect(answer.status).toBe(200);
    expect(answer.data).toMatchObject({
      pipeline: { id: "web-deploy", name: "web-deploy", repository: REPOSITORY, sourceBranch: "main" },
      settings: { enabled: false, branches: [], checks: "all", checkNames: [], releaseOrder: "newest", stored: false },
      commitStart: { ok: true, actionName: "Source" },
      githubApp: { configured: true },
      recentCommits: [],
    });
    expect(answer.data?.ownTriggers.map((t) => [t.kind, t.sourceActionName, t.seen])).toEqual([
      ["push-trigger", "Source", true],
    ]);
    expect(answer.data?.ownTriggers[0]?.description).toContain('branches "main"');
    expect((await call("GET", "web-quiet")).data?.ownTriggers).toEqual([]);
  });

  it("are set and turned off by an admin GitHub confirms, each change audited with before and after", async () => {
    const auditedBefore = (await audit()).length;
    const saved = await put("web-quiet", {
      enabled: true,
      branches: ["  main ", "release/*"],
      checks: "named",
      checkNames: ["build", "test (ubuntu)"],
      releaseOrder: "each",
    });
    expect(saved.status).toBe(200);
    expect(saved.data?.settings).toMatchObject({
      enabled: true,
      branches: ["main", "release/*"],
      checks: "named",
      checkNames: ["build", "test (ubuntu)"],
      releaseOrder: "each",
      stored: true,
      updatedByLogin: "ada",
    });
    // A later GET reads what was stored.
    expect((await call("GET", "web-quiet")).data?.settings).toMatchObject({ enabled: true, releaseOrder: "each" });

    const off = await put("web-quiet", { enabled: false });
    expect(off.status).toBe(200);
    // The row stays, with its settings, for the next time it is turned on.
    expect(await gateRow("web-quiet")).toMatchObject({
      enabled: false,
      branches: ["main", "release/*"],
      checks: "named",
      checkNames: ["build", "test (ubuntu)"],
    });
    const entries = (await audit()).slice(auditedBefore);
    expect(entries).toHaveLength(2);
    const on = {
      enabled: true,
      branches: ["main", "release/*"],
      checks: "named",
      checkNames: ["build", "test (ubuntu)"],
      releaseOrder: "each",
    };
    expect(entries[0]).toMatchObject({
      actorLogin: "ada",
      pipelineId: "web-quiet",
      repositoryGithubId: WEB_ID,
      parameters: { before: { releaseGate: null }, after: { releaseGate: on } },
    });
    expect(entries[1]?.parameters).toEqual({
      before: { releaseGate: on },
      after: { releaseGate: { ...on, enabled: false } },
    });
  });

  it("are refused to a reader, and to one whose cached admin GitHub no longer confirms", async () => {
    const auditedBefore = (await audit()).length;
    state.viewer = viewerFor("linus", "read");
    const read = await call("GET", "web-deploy");
    expect(read).toMatchObject({
      status: 403,
      error: { message: "The release gate needs admin on acme/web-app; you have read" },
    });
    // linus's cached list says admin; GitHub says read.
    state.viewer = viewerFor("linus", "admin");
    const stale = await put("web-deploy", { enabled: true });
    expect(stale.status).toBe(403);
    expect(stale.error?.message).toMatch(/you have read$/);
    state.viewer = viewerFor("grace", "admin");
    expect((await put("web-deploy", { enabled: true })).error?.message).toMatch(/you have no access$/);
    state.viewer = viewerFor("ada", "admin");
    const foreign = await call("PUT", "web-deploy", { body: { enabled: true }, origin: "https://evil.example" });
    expect(foreign.status).toBe(403);
    expect(await gateRow("web-deploy")).toBeNull();
    expect(await audit()).toHaveLength(auditedBefore);
  });

  it("answer 404 for an unknown pipeline and for one the viewer cannot see, alike", async () => {
    const unknown = await call("GET", "no-such-pipeline");
    const hidden = await call("GET", "secret-deploy");
    expect(unknown).toMatchObject({ status: 404, error: { code: "not_found", message: "No such pipeline" } });
    expect(hidden).toEqual(unknown);
    expect((await put("secret-deploy", { enabled: true })).status).toBe(404);
    expect(await gateRow("secret-deploy")).toBeNull();
  });

  it("refuse a body that is not JSON, and an id that is not one, with 400", async () => {
    expect((await call("PUT", "web-deploy", { raw: "{not json" })).status).toBe(400);
    expect((await call("GET", "<b>")).status).toBe(400);
    expect(await gateRow("web-deploy")).toBeNull();
  });

  // JSON that is not what the route takes is unprocessable, as everywhere in the API.
  it.each([
    ["an unknown field", { enabled: true, mode: "all" }, undefined],
    ["an empty branch pattern", { branches: ["  "] }, "a branch pattern needs at least one character"],
    ["a branch pattern of 256 characters", { branches: ["b".repeat(256)] }, "at most 255"],
    ["a control character", { branches: ["main\u0007"] }, "control characters"],
    ["21 branch patterns", { branches: Array.from({ length: 21 }, (_, i) => `b${i}`) }, undefined],
    ["an empty check name", { checks: "named", checkNames: [""] }, "a check name needs at least one character"],
    ["51 check names", { checkNames: Array.from({ length: 51 }, (_, i) => `c${i}`) }, undefined],
    ["an unknown check mode", { checks: "some" }, undefined],
    ["an unknown release order", { releaseOrder: "oldest" }, undefined],
    ["named checks without a name", { enabled: true, checks: "named" }, "Name at least one check"],
  ])("refuse %s with 422, storing nothing", async (_, body, message) => {
    const answer = await put("web-deploy", body);
    expect(answer.status).toBe(422);
    if (message) expect(answer.error?.message).toContain(message);
    expect(await gateRow("web-deploy")).toBeNull();
  });

  it("refuse enabling a pipeline that cannot start a chosen commit with 422 and the reason, and allow turning it off", async () => {
    const auditedBefore = (await audit()).length;
    const v1 = await put("web-legacy", { enabled: true });
    expect(v1).toMatchObject({ status: 422, error: { code: "unprocessable_entity" } });
    expect(v1.error?.message).toBe(
      "This pipeline cannot be started at a chosen commit: it is a V1 pipeline; make it a V2 pipeline (update-pipeline with pipelineType V2): only V2 pipelines start at a chosen commit",
    );
    const oauth = await put("web-oauth", { enabled: true, checks: "required" });
    expect(oauth.status).toBe(422);
    expect(oauth.error?.message).toContain("GitHub (version 1) action");
    const view = await call("GET", "web-legacy");
    expect(view.data?.commitStart).toEqual({ ok: false, reason: expect.stringContaining("V1 pipeline") as string });
    expect(await gateRow("web-legacy")).toBeNull();
    expect(await audit()).toHaveLength(auditedBefore);
    // Saving it off (say, to prepare the branches) is allowed: it releases nothing.
    expect((await put("web-legacy", { enabled: false, branches: ["main"] })).status).toBe(200);
  });

  it("list the last commits at the gate, newest first, with their verdicts and executions", async () => {
    await put("web-deploy", { enabled: true });
    const base = Date.parse("2026-01-01T00:00:00Z");
    await database.db.gateCommit.createMany({
      data: Array.from({ length: 22 }, (_, i) => ({
        pipelineId: "web-deploy",
        repository: REPOSITORY,
        sha: i.toString(16).padStart(40, "0"),
        branch: "main",
        pushedAt: new Date(base + i * 60_000),
        state: i === 21 ? "blocked" : "released",
        verdict: i === 21 ? { passed: ["build"], failed: ["test <script>"], waiting: [] } : undefined,
        executionId: i === 21 ? null : `exec-${i}`,
      })),
    });
    const commits = (await call("GET", "web-deploy")).data?.recentCommits ?? [];
    expect(commits).toHaveLength(20);
    expect(commits[0]).toMatchObject({
      sha: (21).toString(16).padStart(40, "0"),
      state: "blocked",
      verdict: { passed: ["build"], failed: ["test <script>"], waiting: [] },
      executionId: null,
    });
    expect(commits[1]).toMatchObject({ state: "released", executionId: "exec-20", verdict: null });
    expect(commits.at(-1)?.executionId).toBe("exec-2");
  });
});
