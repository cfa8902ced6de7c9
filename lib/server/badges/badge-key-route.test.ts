import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { startGitHubStandIn } from "@/github-stand-in";
import type { BadgeKeyView } from "@/lib/badges/schemas";
import type { Viewer } from "@/lib/server/auth/visibility";
import type * as DbClient from "@/lib/server/db/client";
import { callRoute, ROUTE_ORIGIN, routeViewer, signInUsers, type RouteHandler } from "@/lib/server/testing/route-test";
import type { TestDatabase } from "@/lib/server/testing/test-database";

// The badge-key route as Next calls it, on a real Postgres and the GitHub stand-in (every read and rotation asks
// it for the person's permission now), and the badge route the key opens. The session is stubbed: no cookie store
// outside a request.
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
let route: { GET: RouteHandler; POST: RouteHandler };
let badgeRoute: RouteHandler;
let users: Record<string, string> = {};
const ORIGIN = ROUTE_ORIGIN;
const REPO_ID = 9001n;
const PUBLIC_ID = 9002n;

const viewerFor = (login: string, cached: string, isAdmin = false) =>
  routeViewer({
    userId: users[login] ?? "",
    login,
    cached,
    isAdmin,
    repositories: { "acme/web-app": REPO_ID, "acme/api": PUBLIC_ID },
  });

const call = (method: "GET" | "POST", name = "web-app", init: { origin?: string | null } = {}) =>
  callRoute<BadgeKeyView>(route[method], {
    method,
    path: `/api/repositories/acme/${name}/badge-key`,
    params: { owner: "acme", name },
    ...(method === "POST" ? { raw: "{}" } : {}),
    origin: init.origin,
  });

async function badgeSays(path: string): Promise<string> {
  const url = new URL(path, ORIGIN);
  const [owner = "", repo = ""] = url.pathname.split("/").slice(2);
  const response = await badgeRoute(new Request(url), { params: Promise.resolve({ owner, repo }) });
  const title = /<title>([^<]*)<\/title>/.exec(await response.text())?.[1] ?? "";
  return title.slice(title.lastIndexOf(": ") + 2);
}

const auditEntries = () =>
  database.db.auditEntry.findMany({ where: { repositoryGithubId: REPO_ID }, orderBy: { id: "asc" } });

beforeAll(async () => {
  standIn = await startGitHubStandIn({ port: 0, repositories: ["acme/web-app", "acme/api"] });
  vi.stubEnv("GITHUB_URL", standIn.url);
  vi.stubEnv("GITHUB_API_URL", `${standIn.url}/api/v3`);
  vi.stubEnv("TOKEN_ENCRYPTION_KEY", randomBytes(32).toString("base64"));
  vi.stubEnv("NEXTAUTH_URL", ORIGIN);
  const { createTestDatabase } = await import("@/lib/server/testing/test-database");
  database = await createTestDatabase();
  state.db = database.db;
  const db = database.db;
  await db.target.create({ data: { id: "t", accountId: "111122223333", region: "us-east-1" } });
  const web = await db.repository.create({
    data: {
      fullName: "acme/web-app",
      owner: "acme",
      name: "web-app",
      githubId: REPO_ID,
      githubFullName: "acme/web-app",
    },
  });
  await db.repository.create({
    data: { fullName: "acme/api", owner: "acme", name: "api", githubId: PUBLIC_ID, private: false },
  });
  const pipeline = await db.pipeline.create({
    data: { targetId: "t", name: "deploy", version: 1, repositoryId: web.id, sourceBranch: "main" },
  });
  const now = new Date();
  await db.execution.create({
    data: {
      pipelineId: pipeline.id,
      executionId: "x1",
      status: "Succeeded",
      branch: "main",
      startTime: now,
      lastUpdateTime: now,
    },
  });
  users = await signInUsers(db, standIn.url, ["ada", "linus", "grace"]);
  route = await import("@/app/api/repositories/[owner]/[name]/badge-key/route");
  badgeRoute = (await import("@/app/badges/[owner]/[repo]/route")).GET as RouteHandler;
});
afterAll(async () => {
  await database.drop();
  await standIn.stop();
  vi.unstubAllEnvs();
});
beforeEach(() => {
  state.viewer = viewerFor("ada", "admin");
});

describe("the badge key of a private repository", () => {
  it("does not exist until an admin makes one: the badge is unknown meanwhile", async () => {
    const answer = await call("GET");
    expect(answer.status).toBe(200);
    expect(answer.data).toEqual({ repository: "acme/web-app", private: true, key: { kind: "none" }, urls: null });
    expect(await badgeSays("/badges/acme/web-app.svg")).toBe("unknown");
  });

  it("is refused to readers and writers, asked of GitHub now: a cached admin GitHub has demoted is refused too", async () => {
    state.viewer = viewerFor("linus", "read");
    expect((await call("GET")).status).toBe(403);
    expect((await call("POST")).status).toBe(403);
    // grace's cached list still says admin; GitHub says read.
    state.viewer = viewerFor("grace", "admin");
    const refused = await call("POST");
    expect(refused.status).toBe(403);
    expect(refused.error?.message).toMatch(/needs admin on acme\/web-app; you have (read|no access)/);
    expect(await database.db.badgeKey.count()).toBe(0);
    expect(await auditEntries()).toEqual([]);
  });

  it("is made by an admin from this origin only, shown with the Markdown, and opens the badges", async () => {
    expect((await call("POST", "web-app", { origin: null })).status).toBe(403);
    expect((await call("POST", "web-app", { origin: "https://evil.example" })).status).toBe(403);
    const made = await call("POST");
    expect(made.status).toBe(200);
    const key = made.data?.key.kind === "shown" ? made.data.key.value : "";
    expect(key).toMatch(/^sbk_[A-Za-z0-9_-]{43}$/);
    expect(made.data?.key).toMatchObject({ kind: "shown", createdBy: "ada" });
    expect(made.data?.urls?.markdown).toBe(
      `[![CodePipeline](${ORIGIN}/badges/acme/web-app.svg?key=${key})](${ORIGIN}/repositories/acme/web-app)`,
    );
    expect(made.data?.urls?.pipelineBadge).toBe(`${ORIGIN}/badges/acme/web-app/<pipeline>.svg?key=${key}`);
    expect(await call("GET")).toMatchObject({ status: 200, data: made.data });
    // Stored hashed and sealed: the row holds no copy of the key.
    const row = await database.db.badgeKey.findUniqueOrThrow({ where: { repositoryGithubId: REPO_ID } });
    expect(JSON.stringify(row, (_, v: unknown) => (typeof v === "bigint" ? String(v) : v))).not.toContain(key.slice(4));
    expect(await badgeSays(`/badges/acme/web-app.svg?key=${key}`)).toBe("passing");
    expect(await badgeSays("/badges/acme/web-app.svg")).toBe("unknown");
  });

  it("rotates: the old key stops working at once, and each rotation is audited without the key", async () => {
    const before = await call("GET");
    const old = before.data?.key.kind === "shown" ? before.data.key.value : "";
    const rotated = await call("POST");
    const fresh = rotated.data?.key.kind === "shown" ? rotated.data.key.value : "";
    expect(fresh).not.toBe(old);
    expect(await badgeSays(`/badges/acme/web-app.svg?key=${old}`)).toBe("unknown");
    expect(await badgeSays(`/badges/acme/web-app.svg?key=${fresh}`)).toBe("passing");
    const entries = await auditEntries();
    expect(entries.map((e) => [e.entry, e.actorLogin, e.repository, e.outcome])).toEqual([
      ["policy-change", "ada", "acme/web-app", "succeeded"],
      ["policy-change", "ada", "acme/web-app", "succeeded"],
    ]);
    expect(entries[0]?.parameters).toMatchObject({
      before: { badgeKey: null },
      after: { badgeKey: { createdBy: "ada" } },
    });
    expect(entries[1]?.parameters).toMatchObject({ before: { badgeKey: { createdBy: "ada" } } });
    const stored = JSON.stringify(entries.map((e) => e.parameters));
    for (const key of [old, fresh]) expect(stored).not.toContain(key.slice(4));
  });

  it("can be seen by a Stageboard administrator without admin on GitHub", async () => {
    state.viewer = viewerFor("linus", "read", true);
    const answer = await call("GET");
    expect(answer.status).toBe(200);
    expect(answer.data?.key.kind).toBe("shown");
  });

  it("says so when it cannot be shown any more (sealed with a key this instance lost), and can be rotated", async () => {
    await database.db.badgeKey.update({
      where: { repositoryGithubId: REPO_ID },
      data: { keySealed: "v2.gone.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA.AAAA" },
    });
    const answer = await call("GET");
    expect(answer.data?.key).toMatchObject({ kind: "unreadable", createdBy: "ada" });
    expect(answer.data?.urls).toBeNull();
    expect((await call("POST")).data?.key.kind).toBe("shown");
  });
});

describe("the badge key route", () => {
  it("shows a public repository's badge addresses without a key", async () => {
    const answer = await call("GET", "api");
    expect(answer.data).toMatchObject({ repository: "acme/api", private: false, key: { kind: "none" } });
    expect(answer.data?.urls?.markdown).toBe(
      `[![CodePipeline](${ORIGIN}/badges/acme/api.svg)](${ORIGIN}/repositories/acme/api)`,
    );
  });

  it("answers 404 for a repository the viewer cannot see, and 401 without a session", async () => {
    expect((await call("GET", "payments")).status).toBe(404);
    expect((await call("POST", "payments")).status).toBe(404);
    state.viewer = null;
    expect((await call("GET")).status).toBe(401);
  });
});
