import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { Viewer } from "@/lib/server/auth/visibility";
import type { RateLimits } from "@/lib/server/rate-limit/limiter";
import type * as StoreModule from "@/lib/server/rate-limit/store";
import { createTestDatabase, type TestDatabase } from "@/lib/server/testing/test-database";

// Route handlers called directly, as Next calls them: the viewer is stubbed (no cookie store outside a
// request), the rate limits are real ones on a test database, and nothing past validation may run.
const state = vi.hoisted(() => ({
  viewer: null as Viewer | null,
  limits: null as RateLimits | null,
  reachedData: [] as string[],
}));
vi.mock("@/lib/server/session", () => ({ getViewer: () => Promise.resolve(state.viewer) }));
vi.mock("@/lib/server/rate-limit/store", async (importOriginal) => ({
  ...(await importOriginal<typeof StoreModule>()),
  appRateLimits: () => state.limits,
}));
const reached = (name: string) => () => {
  state.reachedData.push(name);
  return Promise.resolve(null);
};
vi.mock("@/lib/server/pipelines/get-overview", () => ({ getOverview: reached("getOverview") }));
vi.mock("@/lib/server/pipelines/get-pipeline-detail", () => ({ getPipelineDetail: reached("getPipelineDetail") }));
vi.mock("@/lib/server/pipelines/list-executions", () => ({ listExecutions: reached("listExecutions") }));
vi.mock("@/lib/server/pipelines/get-repository-overview", () => ({
  getRepositoryOverview: reached("getRepositoryOverview"),
}));
vi.mock("@/lib/server/pipelines/get-change-token", () => ({ getChangeToken: reached("getChangeToken") }));

const { createRateLimitPool } = await import("@/lib/server/rate-limit/store");
const { createRateLimits } = await import("@/lib/server/rate-limit/limiter");
const { budgetsFrom } = await import("@/lib/server/rate-limit/budgets");
const { createLogger } = await import("@/lib/server/logger");
const { withUser } = await import("@/lib/server/api/with-user");
const me = await import("@/app/api/me/route");
const pipelines = await import("@/app/api/pipelines/route");
const pipeline = await import("@/app/api/pipelines/[id]/route");
const executions = await import("@/app/api/pipelines/[id]/executions/route");
const repository = await import("@/app/api/repositories/[owner]/[name]/route");
const changes = await import("@/app/api/changes/route");
const sessions = await import("@/app/api/sessions/route");

type Handler = (request: Request, context: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;
const call = (handler: Handler, url: string, params: Record<string, string> = {}, init?: RequestInit) =>
  handler(new Request(`http://localhost:3000${url}`, init), { params: Promise.resolve(params) });

// Only what withUser and these routes read before refusing; the rest of Viewer plays no part.
const viewer = (userId: string) =>
  ({ userId, login: userId, isAdmin: false, repositories: new Map(), accessError: null }) as Partial<Viewer> as Viewer;

describe("withUser", () => {
  let database: TestDatabase;
  let pool: ReturnType<typeof createRateLimitPool>;
  beforeAll(async () => {
    database = await createTestDatabase();
    pool = createRateLimitPool(database.url);
    state.limits = createRateLimits({
      pool,
      budgets: budgetsFrom({
        RATE_LIMIT_USER_PER_MINUTE: 3,
        RATE_LIMIT_IP_PER_MINUTE: 0,
        RATE_LIMIT_EVENTS_PER_MINUTE: 0,
      }),
      logger: createLogger(),
    });
  });
  afterAll(async () => {
    await pool.end();
    await database.drop();
  });
  beforeEach(() => {
    state.viewer = viewer(`user-${randomUUID()}`);
    state.reachedData = [];
  });

  it("answers 429 with Retry-After once the viewer's budget is spent", async () => {
    for (let i = 0; i < 3; i++) expect((await call(me.GET, "/api/me")).status).toBe(200);
    const limited = await call(me.GET, "/api/me");
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(await limited.json()).toMatchObject({ error: { code: "rate_limited" } });
    // Another person is not affected.
    state.viewer = viewer("someone-else");
    expect((await call(me.GET, "/api/me")).status).toBe(200);
  });

  it("uses the server's request id, and keeps the client's only beside it", async () => {
    const seen: { requestId?: string; clientRequestId?: string }[] = [];
    const handler = withUser({}, ({ requestId, clientRequestId }) => {
      seen.push({ requestId, clientRequestId });
      return Response.json({});
    });
    const ours = randomUUID();
    const answer = await call(
      handler,
      "/api/x",
      {},
      {
        headers: { "x-request-id": ours, "x-client-request-id": "client-trace.42" },
      },
    );
    expect(answer.headers.get("x-request-id")).toBe(ours);
    expect(seen[0]).toEqual({ requestId: ours, clientRequestId: "client-trace.42" });
    // Without proxy.ts (or with a client's own text in the header), a fresh id, never the client's.
    const forged = await call(
      handler,
      "/api/x",
      {},
      {
        headers: { "x-request-id": "chosen-by-the-client", "x-client-request-id": "<script>alert(1)</script>" },
      },
    );
    expect(forged.headers.get("x-request-id")).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
    expect(seen[1]?.requestId).toBe(forged.headers.get("x-request-id"));
    expect(seen[1]?.clientRequestId).toBeUndefined();
  });
});

describe("malformed and oversized input answers 4xx before any data is read", () => {
  let database: TestDatabase;
  let pool: ReturnType<typeof createRateLimitPool>;
  beforeAll(async () => {
    database = await createTestDatabase();
    pool = createRateLimitPool(database.url);
    state.limits = createRateLimits({
      pool,
      budgets: budgetsFrom({
        RATE_LIMIT_USER_PER_MINUTE: 0,
        RATE_LIMIT_IP_PER_MINUTE: 0,
        RATE_LIMIT_EVENTS_PER_MINUTE: 0,
      }),
      logger: createLogger(),
    });
  });
  afterAll(async () => {
    await pool.end();
    await database.drop();
  });
  beforeEach(() => {
    state.viewer = viewer("user-hostile");
    state.reachedData = [];
  });

  const long = (n: number) => "x".repeat(n);
  const cases: [string, Handler, string, Record<string, string>][] = [
    ["an over-long pipeline id", pipeline.GET, "/api/pipelines/x", { id: long(65) }],
    ["an over-long ?execution=", pipeline.GET, `/api/pipelines/p?execution=${long(101)}`, { id: "p" }],
    ["an over-long history filter", executions.GET, `/api/pipelines/p/executions?branch=${long(256)}`, { id: "p" }],
    ["an over-long cursor", executions.GET, `/api/pipelines/p/executions?cursor=${long(201)}`, { id: "p" }],
    ["an over-long overview search", pipelines.GET, `/api/pipelines?q=${long(101)}`, {}],
    ["markup as a repository owner", repository.GET, "/api/repositories/x/y", { owner: "<script>", name: "y" }],
    ["an over-long repository name", repository.GET, "/api/repositories/x/y", { owner: "acme", name: long(101) }],
    ["an over-long change scope", changes.GET, `/api/changes?repository=${long(201)}`, {}],
  ];
  for (const [what, handler, url, params] of cases) {
    it(`${what}: 400`, async () => {
      const answer = await call(handler, url, params);
      expect(answer.status).toBe(400);
      expect(await answer.json()).toMatchObject({
        error: { code: "bad_request", message: expect.any(String) as string },
      });
      expect(state.reachedData).toEqual([]);
    });
  }

  it("a `%` that is literal text in a query value is just text (Next has decoded the query already)", async () => {
    const answer = await call(pipelines.GET, "/api/pipelines?q=%25zz%25E0%25A4%25A", {});
    expect(answer.status).toBe(200);
    expect(state.reachedData).toEqual(["getOverview"]);
  });

  it("DELETE /api/sessions: a body over 64 KiB is refused (413) and ends no session", async () => {
    const user = await database.db.user.create({ data: { login: "sessions-owner", githubId: 424242 } });
    await database.db.session.create({
      data: { tokenHash: "h".repeat(64), userId: user.id, expires: new Date(Date.now() + 3_600_000) },
    });
    state.viewer = viewer(user.id);
    const headers = { origin: "http://localhost:3000", "content-type": "application/json" };
    const body = JSON.stringify({ padding: long(70_000) });
    const answer = await call(sessions.DELETE, "/api/sessions", {}, { method: "DELETE", headers, body });
    expect(answer.status).toBe(413);
    expect(await database.db.session.count({ where: { userId: user.id } })).toBe(1);
  });
});
