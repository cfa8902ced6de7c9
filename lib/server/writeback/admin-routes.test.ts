import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { startGitHubStandIn } from "@/github-stand-in";
import type { Viewer } from "@/lib/server/auth/visibility";
import type * as DbClient from "@/lib/server/db/client";
import { createSignedInUser, standInAccountId, standInToken } from "@/lib/server/testing/github-user";
import type { TestDatabase } from "@/lib/server/testing/test-database";
import { checkRunOf } from "@/lib/server/writeback/desired";
import { mapCheckRuns } from "@/lib/server/writeback/map-check-runs";
import { executionFacts } from "@/lib/server/writeback/testing/facts";

// The write-back admin routes as Next calls them, on a real PostgreSQL and the GitHub stand-in (a retry asks it
// whether the person is still an administrator). The session is stubbed: there is no cookie store outside a request.
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

type Handler = (request: Request, context: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;

let standIn: Awaited<ReturnType<typeof startGitHubStandIn>>;
let database: TestDatabase;
let overviewRoute: { GET: Handler };
let retryRoute: { POST: Handler };
const users: Record<string, string> = {};

const viewerFor = (login: string, isAdmin: boolean): Viewer => ({
  userId: users[login] ?? "",
  login,
  name: null,
  image: null,
  isAdmin,
  repositories: new Map(),
  repositoryIds: new Map(),
  fetchedAt: new Date(),
  accessError: null,
});

async function call(handler: Handler, path: string, body?: unknown, origin = "http://localhost:3000") {
  const init: RequestInit =
    body === undefined
      ? {}
      : { method: "POST", headers: { origin, "content-type": "application/json" }, body: JSON.stringify(body) };
  const response = await handler(new Request(`http://localhost:3000${path}`, init), { params: Promise.resolve({}) });
  return {
    status: response.status,
    json: (await response.json()) as { data?: unknown; error?: { code: string; message: string } },
  };
}
const overview = () => call(overviewRoute.GET, "/api/admin/writeback");
const retry = (body: unknown, origin?: string) => call(retryRoute.POST, "/api/admin/writeback/retry", body, origin);

async function deadJob(): Promise<string> {
  const [report] = mapCheckRuns(executionFacts({ executionId: `e-${Math.random()}` }), {
    baseUrl: "https://stageboard.example.com",
  });
  if (!report) throw new Error("no report");
  const job = await database.db.writebackJob.create({
    data: {
      repository: "acme/web-app",
      headSha: checkRunOf(report.desired).headSha,
      pipelineId: "p1",
      executionId: checkRunOf(report.desired).externalId,
      kind: report.kind,
      desired: report.desired,
      state: "dead",
      attempts: 7,
      lastError: "GitHub answered 503: Service unavailable",
      lastStatusCode: 503,
    },
    select: { id: true },
  });
  return job.id;
}
const jobState = async (id: string) =>
  database.db.writebackJob.findUniqueOrThrow({ where: { id }, select: { state: true, attempts: true } });

beforeAll(async () => {
  standIn = await startGitHubStandIn({ port: 0 });
  vi.stubEnv("GITHUB_URL", standIn.url);
  vi.stubEnv("GITHUB_API_URL", `${standIn.url}/api/v3`);
  vi.stubEnv("TOKEN_ENCRYPTION_KEY", randomBytes(32).toString("base64"));
  vi.stubEnv("NEXTAUTH_URL", "http://localhost:3000");
  vi.stubEnv("STAGEBOARD_ADMINS", "ada");
  const { createTestDatabase } = await import("@/lib/server/testing/test-database");
  database = await createTestDatabase();
  state.db = database.db;
  const seal = (await import("@/lib/server/auth/adapter")).sealToken;
  for (const login of ["ada", "linus"]) {
    const token = await standInToken(standIn.url, login);
    const githubId = await standInAccountId(standIn.url, login);
    users[login] = await createSignedInUser(database.db, { login, githubId, token }, seal);
  }
  overviewRoute = await import("@/app/api/admin/writeback/route");
  retryRoute = await import("@/app/api/admin/writeback/retry/route");
});
afterAll(async () => {
  await database.drop();
  await standIn.stop();
  vi.unstubAllEnvs();
});
beforeEach(async () => {
  state.viewer = viewerFor("ada", true);
  await database.db.writebackJob.deleteMany();
});

describe("write-back admin routes", () => {
  it("list the queue's dead letters for an administrator", async () => {
    const id = await deadJob();
    const answer = await overview();
    expect(answer.status).toBe(200);
    expect(answer.json.data).toMatchObject({
      counts: { pending: 0, delivered: 0, dead: 1, skipped: 0 },
      undelivered: [
        {
          id,
          state: "dead",
          name: "CodePipeline · web-app",
          attempts: 7,
          lastError: "GitHub answered 503: Service unavailable",
        },
      ],
    });
  });

  it("retry a dead letter for an administrator GitHub still confirms, and audit it first", async () => {
    const id = await deadJob();
    const answer = await retry({ jobIds: [id] });
    expect(answer).toEqual({ status: 200, json: { data: { retried: 1 } } });
    expect(await jobState(id)).toEqual({ state: "pending", attempts: 0 });
    const audit = await database.db.auditEntry.findMany({
      where: { action: "writeback-retry" },
      orderBy: { id: "asc" },
      select: { entry: true, actorLogin: true, outcome: true, parameters: true },
    });
    expect(audit).toEqual([
      { entry: "attempt", actorLogin: "ada", outcome: "attempted", parameters: { jobIds: [id] } },
      { entry: "outcome", actorLogin: "ada", outcome: "succeeded", parameters: { jobIds: [id] } },
    ]);
    expect((await retry({ all: true })).json.data).toEqual({ retried: 0 });
  });

  it("refuse anyone else, one whose administrator flag GitHub no longer confirms, and other origins", async () => {
    const id = await deadJob();
    const audited = () => database.db.auditEntry.count({ where: { action: "writeback-retry" } });
    const auditedBefore = await audited();
    state.viewer = viewerFor("linus", false);
    expect((await overview()).status).toBe(403);
    expect((await retry({ jobIds: [id] })).status).toBe(403);
    // The flag cached with the session says administrator; STAGEBOARD_ADMINS does not name linus.
    state.viewer = viewerFor("linus", true);
    expect((await retry({ all: true })).status).toBe(403);
    state.viewer = viewerFor("ada", true);
    expect((await retry({ all: true }, "https://evil.example")).status).toBe(403);
    expect(await jobState(id)).toEqual({ state: "dead", attempts: 7 });
    expect(await audited()).toBe(auditedBefore);
  });

  it("refuse a body that is not a list of job ids or all", async () => {
    for (const body of [{}, { jobIds: [] }, { all: false }, { jobIds: ["a"], all: true }, { jobIds: ["a\u0000b"] }])
      expect((await retry(body)).status, JSON.stringify(body)).toBe(422);
  });
});
